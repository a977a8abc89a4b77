"""A citizen on a phone (375 × 812) submits a procedure online with two files, the desk asks
to complete it online, the citizen sends exactly what is missing, the desk accepts it; later
the electronic result is returned and the citizen downloads it through the message's signed
link, its SHA-256 shown (issue 10, items 3 and 6). Every page gets a11y.py's checks."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from . import a11y
from .citizen import fill_profile, my_dossiers, sign_up
from .test_dossier_journeys import log_in

PHONE = {"width": 375, "height": 812}
PASSWORD = "mat-khau-cua-dan-2026"


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    if getattr(request.node, "journey_failed", True):
        a11y.disable(context)
    context.close()


@pytest.fixture
def citizen(demo):
    """The demo's citizen account (motcua/citizens/demo.py), with this journey's password."""
    from motcua.citizens.models import CitizenProfile

    user = CitizenProfile.objects.get(phone="0912345678").user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def files(tmp_path):
    from motcua.dossiers.tests.factories import JPEG, PDF

    paths = {
        "to-khai.pdf": PDF,
        "can-cuoc.jpg": JPEG,
        "to-khai-ky.pdf": PDF,
        # A program renamed to look like a photo: refused by its content.
        "anh-chup.jpg": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500,
    }
    for name, content in paths.items():
        (tmp_path / name).write_bytes(content)
    return {name: str(tmp_path / name) for name in paths}


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"la trang rộng {width} px"


def citizen_logs_in(page, url):
    page.context.clear_cookies()
    page.goto(url)  # the online form asks to log in first (the citizens' page), then comes back
    form = page.locator("#form-password")
    form.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912345678")
    form.get_by_label("Mật khẩu").fill(PASSWORD)
    form.get_by_role("button", name="Đăng nhập").click()


def fill_and_submit(phone, paths, shot, *, disguised=False, prefix="4", mobile="0912345678"):
    """From the online form's first page to the acknowledgement: Khe Sanh, the applicant,
    two files (a disguised one refused first when ``disguised``), the result online, the
    review, submit."""
    expect(phone.get_by_role("heading", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    phone.get_by_label("Nộp hồ sơ tới").select_option(label="Ủy ban nhân dân xã Khe Sanh")
    phone.get_by_role("button", name="Bắt đầu").tap()

    expect(phone.get_by_role("heading", name="Người nộp hồ sơ")).to_be_visible()
    phone.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn Dân")
    phone.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("045090001234")
    phone.get_by_label("Điện thoại").fill(mobile)
    phone.get_by_label("Địa chỉ").fill("Khóm 3, xã Khe Sanh")
    no_sideways_scroll(phone)
    shot(phone, f"{prefix}0-online-applicant")
    phone.get_by_role("button", name="Lưu và tiếp tục").tap()

    expect(phone.get_by_role("heading", name="Giấy tờ")).to_be_visible()
    inputs = phone.locator("input[type=file]")
    expect(inputs).to_have_count(2)
    if disguised:
        inputs.nth(0).set_input_files(paths["to-khai.pdf"])
        inputs.nth(1).set_input_files(paths["anh-chup.jpg"])  # disguised
        phone.get_by_role("button", name="Lưu và tiếp tục").tap()
        expect(phone.locator(".errors")).to_contain_text("Chưa lưu tệp nào")
        expect(phone.locator("li.has-error")).to_contain_text("không phải PDF, JPEG, PNG")
        shot(phone, f"{prefix}1-online-disguised-file")
    inputs.nth(0).set_input_files(paths["to-khai.pdf"])
    inputs.nth(1).set_input_files(paths["can-cuoc.jpg"])
    phone.get_by_role("button", name="Lưu và tiếp tục").tap()

    expect(phone.get_by_role("heading", name="Nhận kết quả")).to_be_visible()
    phone.get_by_label("Trực tuyến: tải kết quả điện tử từ tài khoản").check()
    phone.get_by_role("button", name="Lưu và tiếp tục").tap()

    expect(phone.get_by_role("heading", name="Xem lại và nộp")).to_be_visible()
    expect(phone.locator(".review-documents")).to_contain_text("can-cuoc.jpg")
    no_sideways_scroll(phone)
    shot(phone, f"{prefix}2-online-review")
    phone.get_by_role("button", name="Nộp hồ sơ").tap()
    expect(phone.locator(".ack")).to_contain_text("đang chờ kiểm tra, tiếp nhận")
    shot(phone, f"{prefix}3-online-submitted")


def test_a_citizen_submits_online_completes_it_and_downloads_the_result(
    live_server, browser, citizen, phone, shot, tmp_path
):
    from motcua.catalog.models import Procedure

    base = live_server.url
    paths = files(tmp_path)
    version = Procedure.objects.get(code="1.004873").current_version
    citizen_logs_in(phone, f"{base}/nop-truc-tuyen/thu-tuc/{version.pk}/")

    fill_and_submit(phone, paths, shot, disguised=True)
    dossier_url = phone.url

    # The desk finds it in its inbox and asks to complete it, online.
    officer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    desk = officer.new_page()  # another device: the citizen stays logged in on the phone
    log_in(desk, base, "motcua.khesanh")
    desk.goto(base + "/can-bo/ho-so/")
    desk.get_by_role("link", name="(chưa có mã)").first.click()
    expect(desk.locator(".badge.online")).to_be_visible()
    desk.locator("details.more-actions summary").click()  # accepting is the main action
    form = desk.locator("form.action-request_completion")
    form.get_by_label("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)").fill(
        "Tờ khai có chữ ký của người yêu cầu"
    )
    form.get_by_label("Lý do yêu cầu bổ sung").fill("Tờ khai chưa ký")
    form.get_by_role("button").click()
    expect(desk.locator(".status-line")).to_contain_text("Chờ công dân bổ sung")

    phone.goto(dossier_url)
    expect(phone.locator(".missing-documents")).to_contain_text("Tờ khai có chữ ký")
    shot(phone, "44-online-asked-to-complete")
    phone.get_by_role("link", name="Nộp bổ sung").tap()
    files_asked = phone.locator("input[type=file]")
    expect(files_asked).to_have_count(1)  # exactly what is missing
    files_asked.first.set_input_files(paths["to-khai-ky.pdf"])
    phone.get_by_role("button", name="Nộp bổ sung").tap()
    expect(phone.locator(".ack")).to_contain_text("đang chờ kiểm tra, tiếp nhận")

    desk.goto(base + "/can-bo/ho-so/")
    desk.get_by_role("link", name="(chưa có mã)").first.click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ trực tuyến").click()
    expect(desk.locator("h1 .code")).to_have_text(re.compile(r"-\d{6}-\d{4,}$"))
    officer.close()

    # Processing (not this journey's subject) and the result returned online by the desk.
    result = electronic_result_returned()
    phone.goto(dossier_url)
    expect(phone.locator(".sha256")).to_have_text(hashlib.sha256(result).hexdigest())

    # The message's signed link works without logging in.
    phone.context.clear_cookies()
    path = "/" + signed_link().split("/", 3)[3]  # the message names the public address
    phone.goto(base + path)
    expect(phone.get_by_role("heading", name="Kết quả điện tử")).to_be_visible()
    expect(phone.locator(".sha256")).to_have_text(hashlib.sha256(result).hexdigest())
    no_sideways_scroll(phone)
    shot(phone, "45-online-result")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải kết quả về").tap()
    saved = tmp_path / "ket-qua.pdf"
    download.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(result).hexdigest()


def electronic_result_returned() -> bytes:
    """Through the demo's steps (as its own dossiers of 1.004873 go): the desk forwards, Tư
    pháp forwards, the leader approves with the signed PDF, the desk returns it online."""
    from django.contrib.auth import get_user_model

    from motcua.dossiers.files import IncomingFile
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tests.factories import act, pdf_bytes

    def user(name):
        return get_user_model().objects.get(username=name)

    result = pdf_bytes(padding=100)
    dossier = Dossier.objects.get(channel=2, applicant_name="Nguyễn Văn Dân")
    dossier = act(dossier, "forward", user("motcua.khesanh"))
    dossier = act(dossier, "forward", user("tuphap.khesanh"))
    dossier = act(
        dossier, "approve", user("lanhdao.khesanh"), result_file=IncomingFile("kq.pdf", result)
    )
    act(dossier, "return_result", user("motcua.khesanh"))
    return result


def signed_link() -> str:
    from motcua.notifications.models import Notification

    body = Notification.objects.get(kind="result_online", medium="sms").body  # no e-mail given
    return re.search(r"https?://\S+/ket-qua/\S+/", body).group(0)


def desk_accepts(browser, base):
    """Khe Sanh's desk officer, on another device, accepts the online dossier waiting."""
    officer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    desk = officer.new_page()
    log_in(desk, base, "motcua.khesanh")
    desk.goto(base + "/can-bo/ho-so/")
    desk.get_by_role("link", name="(chưa có mã)").first.click()
    desk.get_by_role("button", name="Tiếp nhận hồ sơ trực tuyến").click()
    expect(desk.locator("h1 .code")).to_have_text(re.compile(r"-\d{6}-\d{4,}$"))
    officer.close()


def message_link(kind: str, recipient: str, base: str) -> str:
    """The look-up link of the last ``kind`` message SMS'd to ``recipient``, on this server."""
    from django.conf import settings

    from motcua.notifications.models import Notification

    sms = Notification.objects.filter(kind=kind, medium="sms", recipient=recipient).latest("pk")
    link = re.search(r"https?://\S+", sms.body).group(0)
    return link.replace(settings.PUBLIC_BASE_URL.rstrip("/"), base)


def test_a_new_citizen_submits_pays_follows_downloads_and_rates(
    live_server, browser, demo, phone, shot, tmp_path
):
    """The whole of issue 10 in one journey: sign up, find the procedure, submit it online
    with two files, follow it (no code yet), pay through the demo gateway, the desk accepts,
    follow it by the link of the acceptance message (the receipt's QR), the result returned
    electronically, downloaded from "my dossiers" with its SHA-256, and rated."""
    from motcua.dossiers.models import Dossier
    from motcua.ratings.models import Rating

    base, paths, mobile = live_server.url, files(tmp_path), "0987000222"
    sign_up(phone, base, name="Lê Thị Hoa", phone=mobile)
    fill_profile(phone, id_number="045190001122", address="Khối 1, xã Khe Sanh")
    no_sideways_scroll(phone)
    shot(phone, "50-journey-signed-up")

    # The procedure's page, as found in the catalog, has the button to submit online.
    phone.goto(base + "/thu-tuc/1.004873/")
    phone.get_by_role("link", name="Nộp trực tuyến").first.tap()
    fill_and_submit(phone, paths, shot, prefix="5", mobile=mobile)

    # The acknowledgement's link: no code yet, and it says so (never "None"); the fee is due.
    phone.goto(message_link("submitted", mobile, base))
    expect(phone.locator(".dossier-code")).to_contain_text("Chưa có mã hồ sơ")
    expect(phone.locator("main")).not_to_contain_text("None")
    expect(phone.locator("dd.payment")).to_contain_text("3.000")
    no_sideways_scroll(phone)
    shot(phone, "54-journey-follow-before-acceptance")

    # Pay through the demo gateway.
    phone.get_by_role("link", name="Nộp trực tuyến").tap()
    phone.get_by_role("button", name=re.compile("Thanh toán 3.000")).tap()
    expect(phone.locator(".demo-banner")).to_contain_text("không phải tiền thật")
    phone.get_by_role("button", name="Thanh toán thành công").tap()
    expect(phone.locator(".payment-result .outcome")).to_have_text("Thanh toán thành công.")
    expect(phone.locator(".facts .no-code")).to_contain_text("Chưa có mã hồ sơ")
    shot(phone, "55-journey-paid")

    desk_accepts(browser, base)
    dossier = Dossier.objects.get(channel=2)
    assert dossier.code and dossier.received_at is not None

    # The acceptance message's link, the receipt's QR code: the code, the appointment, paid.
    phone.goto(message_link("received", mobile, base))
    expect(phone.locator(".dossier-code")).to_have_text(dossier.code)
    expect(phone.locator(".headline")).to_contain_text("Đã tiếp nhận")
    expect(phone.locator("dd.payment")).to_contain_text("Đã nộp")
    expect(phone.locator(".due")).to_be_visible()
    no_sideways_scroll(phone)
    shot(phone, "56-journey-follow-received")

    result = electronic_result_returned()

    # "My dossiers": the dossier, its papers and the electronic result with its SHA-256.
    assert my_dossiers(phone, base) == ["Cấp Giấy xác nhận tình trạng hôn nhân"]
    phone.locator(".my-dossiers .result-title").first.tap()
    expect(phone.locator(".facts")).to_contain_text(dossier.code)
    shot(phone, "57-journey-my-dossier")
    phone.locator("#papers-link").tap()
    expect(phone.locator(".sha256")).to_have_text(hashlib.sha256(result).hexdigest())
    no_sideways_scroll(phone)
    shot(phone, "58-journey-result")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải kết quả về").tap()
    saved = tmp_path / "ket-qua-hoa.pdf"
    download.value.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(result).hexdigest()

    # Rated from the look-up page (the QR link), once.
    phone.goto(message_link("received", mobile, base))
    expect(phone.locator(".headline")).to_contain_text("Đã trả kết quả")
    form = phone.locator("form.rating-form")
    form.locator("label.score-3").first.tap()
    shot(phone, "59-journey-rating")
    form.get_by_role("button", name="Gửi đánh giá").tap()
    expect(phone.locator(".notice.thanks")).to_contain_text("Cảm ơn")
    assert Rating.objects.get(dossier_id=dossier.pk).overall == 3
    shot(phone, "59b-journey-rated")
