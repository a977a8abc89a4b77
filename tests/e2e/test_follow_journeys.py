"""Following a dossier, rating it and sending feedback, in Chromium on a 375×812 phone with
the demo province's officers: the citizen follows the dossier through the receipt's QR link
(the timeline in their words), rates it once returned; a feedback about the dossier is
assigned by the commune's leader, answered by the officer, published as a question and answer
on the procedure's page, and the citizen reads the answer from the link in the message."""

import io
import re

from django.core.management import call_command
from playwright.sync_api import expect

from motcua.dossiers.selectors import lookup_url
from motcua.feedback.models import Feedback
from motcua.notifications.models import Notification
from motcua.ratings.models import Rating

from .test_dossier_journeys import act, log_in, receive_at_desk

PHONE = {"width": 375, "height": 812}


def local(url, settings, base):
    return url.replace(settings.PUBLIC_BASE_URL.rstrip("/"), base)


def test_the_citizen_follows_the_dossier_and_rates_it(
    live_server, demo, page, shot, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    base = live_server.url
    dossier = receive_at_desk(page, base, "khai sinh", "Đăng ký khai sinh")
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(local(lookup_url(dossier), settings, base))
    expect(page.locator(".headline")).to_contain_text("Đang thẩm định")
    timeline = page.locator(".public-timeline")
    expect(timeline).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(timeline).not_to_contain_text("Chuyển bước tiếp theo")
    expect(page.locator("main")).not_to_contain_text("Phạm Thị Dung")
    shot(page, "60-follow-timeline-phone")

    act(page, base, "tuphap.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(
        page, base, "lanhdao.khesanh", dossier.code, "Phê duyệt, ký kết quả",
        check=["input[name=paper_result]"],
    )  # fmt: skip
    act(page, base, "motcua.khesanh", dossier.code, "Trả kết quả")

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(local(lookup_url(dossier), settings, base))
    expect(page.locator(".headline")).to_contain_text("Đã trả kết quả")
    form = page.locator("form.rating-form")
    form.locator("label.score-3").first.click()
    form.locator("summary").click()
    form.get_by_role("group", name="Thái độ, tinh thần phục vụ của cán bộ").locator(
        "label.score-2"
    ).click()
    shot(page, "61-rating-form-phone")
    form.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".notice.thanks")).to_contain_text("Cảm ơn")
    rating = Rating.objects.get(dossier_id=dossier.pk)
    assert (rating.overall, rating.staff_attitude, rating.channel) == (3, 2, "lookup")
    shot(page, "62-rating-thanks-phone")

    # The touch screen at the desk: large print, the keypad; the dossier is already rated.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/kiosk/?co-quan={dossier.deciding_agency.code}")
    expect(page.locator(".keypad")).to_be_visible()
    shot(page, "63-kiosk-start")
    page.locator("#code").fill(dossier.code)
    page.get_by_role("button", name="Tiếp tục").click()
    for n, digit in enumerate("3456", start=1):  # each key is a button the server answers
        page.locator(".keypad").get_by_role("button", name=digit, exact=True).click()
        expect(page.locator("#verify")).to_have_value("3456"[:n])
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".headline")).to_contain_text("Đã trả kết quả")
    expect(page.locator(".notice.thanks")).to_contain_text("đã đánh giá")
    shot(page, "64-kiosk-status")


def test_feedback_and_its_answer(live_server, demo, page, shot, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    base = live_server.url
    dossier = receive_at_desk(page, base, "khai sinh", "Đăng ký khai sinh")

    # The citizen, on a phone, from the look-up page of their dossier.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(local(lookup_url(dossier), settings, base))
    page.get_by_role("link", name="Phản ánh, kiến nghị về hồ sơ này").click()
    expect(page.locator(".feedback-form .notice")).to_contain_text(dossier.code)
    page.get_by_label("Họ tên").fill("Phạm Thị Dung")
    page.get_by_label("Điện thoại").fill("0935123456")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill(
        "Bộ phận một cửa thu lệ phí 8.000 đồng nhưng trang thủ tục ghi miễn lệ phí."
    )
    shot(page, "70-feedback-form-phone")
    page.get_by_role("button", name="Gửi phản ánh").click()
    feedback = Feedback.objects.get()
    expect(page.locator(".feedback-status")).to_contain_text(feedback.code)
    expect(page.locator(".feedback-status .due")).to_be_visible()
    shot(page, "71-feedback-sent-phone")
    assert feedback.agency == dossier.deciding_agency

    # The commune's leader gives it to the officer, on a phone too.
    log_in(page, base, "lanhdao.khesanh")
    page.goto(f"{base}/can-bo/phan-anh/")
    page.get_by_role("link", name=feedback.code).click()
    page.get_by_label("Giao cho cán bộ").select_option("tuphap.khesanh")
    page.get_by_role("button", name="Giao xử lý").click()
    expect(page.locator(".messages li.success")).to_contain_text("Đã giao")
    shot(page, "72-feedback-assigned-phone")

    log_in(page, base, "tuphap.khesanh")
    page.goto(f"{base}/can-bo/phan-anh/{feedback.code}/")
    page.get_by_label("Nội dung trả lời").fill(
        "Thủ tục miễn lệ phí khi đăng ký đúng hạn. Bộ phận một cửa đã hoàn lại 8.000 đồng; "
        "xin lỗi ông/bà."
    )
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".messages li.success")).to_contain_text("Đã gửi câu trả lời")

    log_in(page, base, "lanhdao.khesanh")
    page.goto(f"{base}/can-bo/phan-anh/{feedback.code}/")
    page.get_by_label("Câu hỏi công khai (không ghi tên, thông tin cá nhân)").fill(
        "Đăng ký khai sinh đúng hạn có phải nộp lệ phí không?"
    )
    page.get_by_label("Câu trả lời công khai").fill(
        "Không. Đăng ký khai sinh đúng hạn miễn lệ phí."
    )
    page.get_by_role("button", name="Công khai hỏi đáp trên trang thủ tục").click()
    expect(page.locator(".messages li.success")).to_contain_text("Đã công khai")
    page.get_by_role("button", name="Đóng phản ánh").click()
    expect(page.locator(".status-line")).to_contain_text("Đã đóng")
    shot(page, "73-feedback-closed-phone")

    # The citizen reads the answer from the link in the message.
    call_command("send_notifications", stdout=io.StringIO())
    sms = Notification.objects.get(kind="feedback_answered", medium="sms")
    link = re.search(r"https?://\S+", sms.body).group(0)
    page.context.clear_cookies()
    page.goto(local(link, settings, base))
    expect(page.locator(".answer")).to_contain_text("đã hoàn lại 8.000 đồng")
    shot(page, "74-feedback-answer-phone")

    procedure = dossier.procedure_version.procedure.code
    page.goto(f"{base}/thu-tuc/{procedure}/")
    questions = page.locator(".procedure-questions")
    expect(questions).to_contain_text("Đăng ký khai sinh đúng hạn có phải nộp lệ phí không?")
    expect(questions).not_to_contain_text("Phạm Thị Dung")
    questions.scroll_into_view_if_needed()
    shot(page, "75-procedure-questions-phone", full_page=False)
