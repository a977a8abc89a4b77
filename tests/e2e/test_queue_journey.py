"""The desk floor in Chromium, three screens open at once: the kiosk where a citizen takes a
number, the counter where the officer calls it and receives the dossier, and the board on
the wall that shows the call within a second."""

import re
import time
from datetime import datetime

import pytest
from playwright.sync_api import expect

from motcua import clock as domain_clock
from motcua.demodata.province import DEMO_PASSWORD
from motcua.dossiers.models import Dossier
from motcua.tickets import push
from motcua.tickets.models import Counter, Ticket, TicketDossier
from motcua.workcalendar.calendar import VN_TZ

SCREEN = {"width": 1920, "height": 1080}


@pytest.fixture
def clock(monkeypatch):
    """The domain's clock, shared with the live server thread: a Monday morning. The test
    server (WSGI) ends each stream after half a minute, so none outlives the journey by
    much; the board reconnects with Last-Event-ID, as with runserver."""
    state = {"now": datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)}
    monkeypatch.setattr(domain_clock, "now", lambda: state["now"])
    monkeypatch.setattr(push, "WSGI_STREAM_SECONDS", 30)
    return state


def desk_and_counter():
    counter = Counter.objects.select_related("desk").get(
        desk__agency__code="000.01.31.H50", number=2
    )
    return counter.desk, counter


def open_board(browser, base, desk):
    context = browser.new_context(locale="vi-VN", viewport=SCREEN)
    board = context.new_page()
    board.goto(f"{base}/man-hinh/{desk.pk}/")
    return board


def log_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))


def test_kiosk_counter_and_board_together(live_server, clock, demo, browser, page, shot):
    base = live_server.url
    desk, counter = desk_and_counter()

    board = open_board(browser, base, desk)
    expect(board.locator("#board")).to_have_attribute("data-mode", "live")
    board.get_by_role("button", name="Bật âm thanh").click()

    kiosk_context = browser.new_context(locale="vi-VN", viewport={"width": 1080, "height": 1600})
    kiosk = kiosk_context.new_page()
    kiosk.goto(f"{base}/lay-so/{desk.pk}/")
    shot(kiosk, "30-kiosk")
    kiosk.get_by_label("Người cao tuổi (từ 60 tuổi)").check()
    kiosk.get_by_role("button", name=re.compile("^Đất đai, xây dựng")).click()
    number = kiosk.locator("#ticket-number").inner_text()
    ticket = Ticket.objects.get(desk=desk, number=int(number))
    assert ticket.priority and ticket.service.code == "dat-dai"
    expect(kiosk.locator(".priority-mark")).to_contain_text("ƯU TIÊN")
    shot(kiosk, "31-ticket")

    log_in(page, base, "motcua.khesanh")
    page.goto(f"{base}/can-bo/quay/")
    page.get_by_role("link", name="Quầy 2 – Đất đai").click()
    page.locator("#call-next").hover()  # the page's accessibility checks run here, not below
    called_at = time.monotonic()
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    cell = board.locator(f'[data-counter="{counter.pk}"] [data-role="number"]')
    expect(cell).to_have_text(number, timeout=3000)
    on_board = time.monotonic() - called_at
    assert on_board < 1.0, f"the board showed the call {on_board:.2f} s after it"
    expect(board.locator("#announce")).to_have_text(f"Mời số {number} đến quầy số 2")
    expect(board.locator("#board")).to_have_attribute(
        "data-announced-with", re.compile("voice|chime")
    )
    expect(page.locator("#serving-number")).to_have_text(number)
    shot(board, "32-board-called", full_page=False)
    shot(page, "33-counter")

    # The officer receives the dossier straight from the ticket.
    page.get_by_role("link", name="Tiếp nhận hồ sơ từ số này").click()
    expect(page.locator(".queue-ticket")).to_contain_text(number)
    page.get_by_label("Tên hoặc mã thủ tục").fill("xây dựng")
    page.keyboard.press("Enter")
    page.locator("ol.results a.result-title").first.click()
    expect(page.locator(".queue-ticket")).to_contain_text(number)
    page.get_by_label("Họ tên / tên tổ chức").fill("Lê Văn Tám")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("045060001234")
    page.get_by_label("Điện thoại").fill("0912000111")
    page.locator("#id_applicant_address").fill("Khối 3, xã Khe Sanh")
    for box in page.locator("table.grid input[type=checkbox]").all()[:2]:
        box.check()
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ")
    link = TicketDossier.objects.get(ticket=ticket)
    assert link.dossier == Dossier.objects.order_by("-pk").first()

    page.goto(f"{base}/can-bo/quay/{counter.pk}/")
    expect(page.locator(".now-serving")).to_contain_text(link.dossier.code)
    page.goto(f"{base}/can-bo/quay/thong-ke/")
    expect(page.locator("svg.chart").first).to_be_visible()
    shot(page, "35-statistics")

    # The citizen follows the ticket on a phone: it has been called.
    kiosk.get_by_role("link", name="Xem vị trí trong hàng đợi").click()
    expect(kiosk.locator(".place-status")).to_contain_text("mời đến quầy số 2")
    kiosk_context.close()
    board.context.close()


def test_the_board_polls_when_the_stream_fails(live_server, clock, demo, browser, page):
    base = live_server.url
    desk, counter = desk_and_counter()
    context = browser.new_context(locale="vi-VN", viewport=SCREEN)
    context.route("**/api/v1/queue/board/stream*", lambda route: route.abort())
    board = context.new_page()
    board.goto(f"{base}/man-hinh/{desk.pk}/")
    expect(board.locator("#board")).to_have_attribute("data-mode", "polling", timeout=10000)
    log_in(page, base, "motcua.khesanh")
    page.goto(f"{base}/can-bo/quay/{counter.pk}/")
    page.get_by_role("button", name="Gọi số tiếp theo").click()
    number = page.locator("#serving-number").inner_text()
    cell = board.locator(f'[data-counter="{counter.pk}"] [data-role="number"]')
    expect(cell).to_have_text(number, timeout=5000)
    context.close()


def test_book_online_then_check_in_at_the_kiosk(live_server, clock, demo, page, shot):
    from motcua.tickets.models import Appointment

    base = live_server.url
    desk, _counter = desk_and_counter()
    page.goto(f"{base}/dat-lich/")
    page.get_by_role(
        "link", name=re.compile("Bộ phận tiếp nhận và trả kết quả – UBND xã Khe Sanh")
    ).click()
    page.get_by_label("Dịch vụ").select_option(label="Hộ tịch, chứng thực")
    page.get_by_label("Ngày").select_option(value="2026-11-25")
    page.get_by_role("button", name="Xem giờ trống").click()
    page.locator("input[name=khung-gio][value^='2026-11-25T08:00']").check()
    page.get_by_label("Họ tên").fill("Phạm Văn Hòa")
    page.get_by_label(re.compile("^Điện thoại di động")).fill("0905111222")
    shot(page, "34-booking")
    page.get_by_role("button", name="Đặt lịch").click()
    code = page.locator("#booking-code").inner_text()
    assert Appointment.objects.get(code=code).starts_at == datetime(2026, 11, 25, 8, tzinfo=VN_TZ)

    clock["now"] = datetime(2026, 11, 25, 7, 45, tzinfo=VN_TZ)
    page.goto(f"{base}/lay-so/{desk.pk}/")
    page.get_by_label("Đã đặt lịch hẹn trực tuyến? Nhập mã đặt lịch:").fill(code.lower())
    page.get_by_role("button", name="Lấy số theo lịch hẹn").click()
    expect(page.locator("body")).to_contain_text("Phục vụ theo lịch hẹn từ")
    assert Appointment.objects.get(code=code).ticket.serve_after is not None
