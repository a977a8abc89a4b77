"""Paying a fee online on a phone (375 × 812) through the demo gateway, end to end: the
citizen finds the dossier at the look-up, gives up once on the gateway's page (the dossier
stays as it was), pays, gets the e-receipt; the look-up then says paid and its timeline
shows it; the desk officer sees the payments, their log and the trace, and records a fee
paid in cash for another dossier. Every page also gets a11y.py's checks."""

import re

from playwright.sync_api import expect

from .test_dossier_journeys import log_in
from .test_phone_journeys import no_sideways_scroll

PHONE = {"width": 375, "height": 812}


def phone_page(browser):
    context = browser.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    return context, context.new_page()


def state_of(dossier):
    from motcua.dossiers.models import Dossier

    d = Dossier.objects.get(pk=dossier.pk)
    return (d.status, d.version, d.due_at, d.state_hash, d.events.count())


def test_a_citizen_pays_a_fee_online_through_the_demo_gateway(live_server, demo, browser, shot):
    from motcua.dossiers.models import Dossier
    from motcua.payments.models import Payment

    base = live_server.url
    # Trần Thị Bình's "Cấp Giấy xác nhận tình trạng hôn nhân", just received (fee 3.000 đ).
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    before = state_of(dossier)
    context, phone = phone_page(browser)
    try:
        phone.goto(base + "/tra-cuu/")
        phone.get_by_label("Mã hồ sơ (in trên giấy hẹn)").fill(dossier.code)
        phone.get_by_label("4 số cuối số điện thoại hoặc số định danh").fill("4321")
        phone.get_by_role("button", name="Tra cứu").tap()
        expect(phone.locator("dd.payment")).to_contain_text("3.000")
        expect(phone.locator("dd.payment")).to_contain_text("Chưa nộp")
        no_sideways_scroll(phone)
        shot(phone, "60-pay-lookup-fee-due")
        phone.get_by_role("link", name="Nộp trực tuyến").tap()

        # The pay page: the demo gateway, marked as such.
        expect(phone.get_by_role("heading", name="Nộp phí, lệ phí trực tuyến")).to_be_visible()
        demo_choice = phone.get_by_label(re.compile("Cổng thanh toán thử"))
        expect(demo_choice).to_be_checked()
        expect(phone.locator(".demo-mark")).to_have_text("thử, không phải tiền thật")
        shot(phone, "61-pay-choose-gateway")
        phone.get_by_role("button", name=re.compile("Thanh toán 3.000")).tap()

        # The demo gateway's own page: it says on top that no money moves. Give up once.
        expect(phone.locator(".demo-banner")).to_contain_text("không phải tiền thật")
        expect(phone.locator(".demo-facts")).to_contain_text("3.000")
        no_sideways_scroll(phone)
        shot(phone, "62-pay-demo-gateway")
        phone.get_by_role("button", name="Hủy").tap()
        expect(phone.locator(".payment-result .outcome")).to_have_text(
            "Thanh toán không thành công hoặc đã bị hủy."
        )
        expect(phone.get_by_text("hồ sơ giữ nguyên như trước")).to_be_visible()
        shot(phone, "63-pay-cancelled")
        assert state_of(dossier) == before  # an abandoned payment leaves the dossier as it was
        assert Payment.objects.get(dossier=dossier).state == "cancelled"

        # Again, and pay.
        phone.get_by_role("link", name="Thanh toán lại").tap()
        phone.get_by_role("button", name=re.compile("Thanh toán 3.000")).tap()
        phone.get_by_role("button", name="Thanh toán thành công").tap()
        expect(phone.locator(".payment-result .outcome")).to_have_text("Thanh toán thành công.")
        no_sideways_scroll(phone)
        shot(phone, "64-pay-paid")
        phone.get_by_role("link", name="Xem, in biên lai").tap()
        expect(phone.get_by_role("heading", name=re.compile("BIÊN LAI THU PHÍ"))).to_be_visible()
        expect(phone.locator("body")).to_contain_text("Ba nghìn đồng")
        expect(phone.locator(".demo-stamp")).to_be_visible()
        shot(phone, "65-pay-receipt")

        # The look-up now says paid, and its timeline has the fee.
        phone.goto(base + "/tra-cuu/")
        phone.get_by_label("Mã hồ sơ (in trên giấy hẹn)").fill(dossier.code)
        phone.get_by_label("4 số cuối số điện thoại hoặc số định danh").fill("4321")
        phone.get_by_role("button", name="Tra cứu").tap()
        expect(phone.locator("dd.payment")).to_contain_text("Đã nộp")
        expect(phone.get_by_role("link", name="Nộp trực tuyến")).to_have_count(0)
        expect(phone.locator(".timeline")).to_contain_text("Đã nộp phí, lệ phí")
        shot(phone, "66-pay-lookup-paid")
    finally:
        context.close()
    status, _version, due_at, _hash, events = state_of(dossier)
    assert (status, due_at) == (before[0], before[2]) and events == before[4] + 1

    # The desk officer: the payments, their log, and the trace.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, base, "motcua.khesanh")
        page.goto(base + f"/can-bo/ho-so/{dossier.code}/")
        fees = page.locator(".dossier-fees")
        expect(fees.locator(".badge")).to_have_text("Đã nộp")
        expect(fees.locator(".payment-list li")).to_have_count(2)
        fees.get_by_text("Nhật ký thanh toán").click()
        expect(fees.locator(".payment-log li")).to_have_count(4)  # 2 started, 1 cancelled, 1 paid
        expect(page.locator(".dossier-history")).to_contain_text("Đã nộp phí, lệ phí")
        shot(page, "67-pay-desk-sees-payments")

        # Another dossier, paid in cash at the desk.
        other = Dossier.objects.get(applicant_name="Lê Văn Cường")
        page.goto(base + f"/can-bo/ho-so/{other.code}/")
        page.get_by_text("Ghi nhận đã nộp phí tại bộ phận một cửa").click()
        page.get_by_label("Số biên lai giấy (nếu có)").fill("BL-0042")
        page.get_by_role("button", name=re.compile("Đã thu")).click()
        expect(page.locator(".messages")).to_contain_text("Đã ghi nhận nộp phí, lệ phí")
        expect(page.locator(".dossier-fees .badge")).to_have_text("Đã nộp")
        expect(page.locator(".dossier-history")).to_contain_text("Đã nộp phí, lệ phí")
        shot(page, "68-pay-desk-cash")
    finally:
        context.close()
