"""Messages in Chromium: the citizen stops the SMS from the link in one (on a phone), and the
officer sees on the dossier page what was sent to whom and how it went."""

import io

from django.core.management import call_command
from playwright.sync_api import expect

from motcua.notifications.models import Notification

from .test_dossier_journeys import act, log_in, receive_at_desk


def test_a_citizen_stops_sms_and_the_officer_sees_each_message(
    live_server, demo, page, shot, settings, tmp_path
):
    settings.VAR_DIR = tmp_path  # the file channel writes under it
    base = live_server.url
    dossier = receive_at_desk(page, base, "khai sinh", "Đăng ký khai sinh")
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(page, base, "tuphap.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(
        page, base, "lanhdao.khesanh", dossier.code, "Phê duyệt, ký kết quả",
        check=["input[name=paper_result]"],
    )  # fmt: skip
    call_command("send_notifications", stdout=io.StringIO())

    sms = Notification.objects.get(about=f"dossier:{dossier.uid}", kind="result_ready")
    assert sms.state == "sent" and sms.body.isascii()
    link = sms.body.split("Ngung nhan SMS: ")[1].replace(settings.PUBLIC_BASE_URL, base)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    expect(page.locator(".opt-out-state")).to_contain_text("093****456 đang nhận tin")
    shot(page, "30-opt-out-page-phone")
    page.get_by_role("button", name="Ngừng nhận tin").click()
    expect(page.locator(".opt-out-state")).to_contain_text("đã ngừng nhận")
    shot(page, "31-opt-out-done-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "motcua.khesanh")
    page.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    section = page.locator(".delivery-status")
    expect(section).to_contain_text("Tiếp nhận hồ sơ, hẹn trả kết quả")
    expect(section).to_contain_text("Đã có kết quả")
    expect(section).to_contain_text("093****456")
    expect(section.locator("tr.delivery-sent")).to_have_count(2)
    section.scroll_into_view_if_needed()
    shot(page, "32-dossier-messages", full_page=False)
