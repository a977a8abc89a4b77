"""A dossier from the desk to the result, in Chromium, with the demo province's officers."""

import io
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from motcua import clock as domain_clock
from motcua.demodata.province import DEMO_PASSWORD
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, PNG
from motcua.workcalendar.calendar import VN_TZ


@pytest.fixture
def clock(monkeypatch):
    """The domain's clock, shared with the live server thread."""
    state = {"now": datetime(2026, 11, 10, 9, 0, tzinfo=VN_TZ)}
    monkeypatch.setattr(domain_clock, "now", lambda: state["now"])
    return state


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/can-bo/$"))


def receive_at_desk(page, base, query, procedure_name, shot=None):
    log_in(page, base, "motcua.khesanh")
    page.goto(base + "/can-bo/ho-so/tiep-nhan/")
    page.get_by_label("Tên hoặc mã thủ tục").fill(query)
    page.keyboard.press("Enter")
    page.get_by_role("link", name=procedure_name, exact=True).click()
    page.get_by_label("Họ tên / tên tổ chức").fill("Phạm Thị Dung")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("045187006789")
    page.get_by_label("Điện thoại").fill("0935123456")
    page.locator("#id_applicant_address").fill("Khối 2, xã Khe Sanh")
    for box in page.locator("table.grid input[type=checkbox]").all()[:2]:
        box.check()
    page.set_input_files(
        "#files",
        files=[
            {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG},
        ],
    )
    if shot:
        shot(page, "10-desk-receive-form")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ")
    return Dossier.objects.order_by("-pk").first()


def act(page, base, username, code, button, note=None, files=None, check=(), **fields):
    """As ``username``, on the dossier's page, fill the form of the action whose button is
    ``button`` (its note, ``fields`` by selector, ``files`` by selector, boxes to ``check``)
    and send it; the officer is told it was done."""
    log_in(page, base, username)
    page.goto(f"{base}/can-bo/ho-so/{code}/")
    more = page.locator("details.more-actions > summary")
    if more.count():
        more.click()  # the less common actions are folded under "Thao tác khác"
    form = page.locator("form.action").filter(has=page.get_by_role("button", name=button))
    if note is not None:
        form.locator("textarea[name=note]").fill(note)
    for selector, value in fields.items():
        form.locator(selector).fill(value)
    for selector, payload in (files or {}).items():
        form.locator(selector).set_input_files(payload)
    for selector in check:
        form.locator(selector).check()
    form.get_by_role("button", name=button).click()
    expect(page.locator(".messages li.success")).to_be_visible()


def test_receive_forward_approve_return(live_server, demo, page, shot):
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    base = live_server.url
    dossier = receive_at_desk(page, base, "khai sinh", "Đăng ký khai sinh", shot)
    assert dossier.attachments.count() == 2
    shot(page, "11-dossier-received")

    pdf = page.request.get(f"{base}/can-bo/ho-so/{dossier.code}/mau/01/?pdf=1").body()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Phạm Thị Dung" in text
    qr = zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil())
    assert qr and "/tra-cuu/?t=" in qr[0].text
    page.goto(f"{base}/can-bo/ho-so/{dossier.code}/mau/01/")
    shot(page, "12-form-01-receipt")

    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(page, base, "tuphap.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(
        page, base, "lanhdao.khesanh", dossier.code, "Phê duyệt, ký kết quả",
        check=["input[name=paper_result]"],
    )  # fmt: skip
    act(page, base, "motcua.khesanh", dossier.code, "Trả kết quả")
    expect(page.locator(".status-line")).to_contain_text("Đã trả kết quả")
    shot(page, "13-dossier-returned")

    # The citizen scans the QR code with a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(qr[0].text.replace("http://127.0.0.1:8000", base))
    expect(page.locator(".lookup-result")).to_contain_text("Đã trả kết quả")
    shot(page, "14-citizen-lookup-phone")


def test_an_officer_works_in_english(live_server, demo, page, shot):
    base = live_server.url
    log_in(page, base, "tuphap.khesanh")
    page.get_by_role("button", name="English").click()
    page.goto(base + "/can-bo/ho-so/")
    expect(page.locator("h1")).to_have_text("Dossiers to handle")
    page.locator("table.inbox a.code").first.click()
    expect(page.locator("h2", has_text="Processing log")).to_be_visible()
    expect(page.get_by_role("button", name="Forward to the next step")).to_be_visible()
    shot(page, "17-dossier-in-english")
    # The printed receipt stays the Vietnamese legal form.
    page.get_by_role("link", name="View, print").first.click()
    expect(page.locator("body")).to_contain_text("GIẤY TIẾP NHẬN HỒ SƠ")
