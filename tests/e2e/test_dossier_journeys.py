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


def act(page, base, username, code, button, note=None, **fields):
    log_in(page, base, username)
    page.goto(f"{base}/can-bo/ho-so/{code}/")
    more = page.locator("details.more-actions > summary")
    if more.count():
        more.click()  # the less common actions are folded under "Thao tác khác"
    form = page.locator("form.action").filter(has=page.get_by_role("button", name=button))
    if note is not None:
        form.locator("textarea").fill(note)
    for selector, value in fields.items():
        form.locator(selector).fill(value)
    form.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")


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
    act(page, base, "lanhdao.khesanh", dossier.code, "Phê duyệt, ký kết quả")
    act(page, base, "motcua.khesanh", dossier.code, "Trả kết quả")
    expect(page.locator(".status-line")).to_contain_text("Đã trả kết quả")
    shot(page, "13-dossier-returned")

    # The citizen scans the QR code with a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(qr[0].text.replace("http://127.0.0.1:8000", base))
    expect(page.locator(".lookup-result")).to_contain_text("Đã trả kết quả")
    shot(page, "14-citizen-lookup-phone")


def test_supplement_request_moves_the_appointment(live_server, demo, page, shot, clock):
    base = live_server.url
    name = "Cấp Giấy xác nhận tình trạng hôn nhân"
    dossier = receive_at_desk(page, base, "xac nhan tinh trang hon nhan", name)
    assert dossier.due_at == datetime(2026, 11, 13, 9, 0, tzinfo=VN_TZ)  # 3 working days
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(
        page,
        base,
        "tuphap.khesanh",
        dossier.code,
        "Yêu cầu bổ sung hồ sơ",
        note="Bổ sung bản sao giấy chứng tử của vợ cũ",
    )
    clock["now"] = datetime(2026, 11, 12, 9, 0, tzinfo=VN_TZ)  # 16 working hours later
    act(page, base, "motcua.khesanh", dossier.code, "Nhận hồ sơ bổ sung")
    expect(page.locator(".facts")).to_contain_text("09:00 17/11/2026")
    expect(page.locator(".facts")).to_contain_text("ban đầu 09:00 13/11/2026")
    shot(page, "15-supplement-moved-due")


def test_extension_with_form_04_once(live_server, demo, page, shot, clock):
    base = live_server.url
    dossier = receive_at_desk(
        page, base, "xac nhan tinh trang hon nhan", "Cấp Giấy xác nhận tình trạng hôn nhân"
    )
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    act(
        page,
        base,
        "tuphap.khesanh",
        dossier.code,
        "Xin lỗi và gia hạn thời gian giải quyết",
        note="Phải xác minh tại nơi cư trú trước đây. Thành thật xin lỗi ông/bà.",
        **{"input[type=datetime-local]": "2026-11-18T16:00"},
    )
    expect(page.locator(".status-line")).to_contain_text("Đã gia hạn một lần")
    expect(
        page.get_by_role("button", name="Xin lỗi và gia hạn thời gian giải quyết")
    ).to_have_count(0)
    page.get_by_role("link", name=re.compile("Xem, in")).nth(1).click()  # mẫu 04
    expect(page.locator("h1")).to_contain_text("PHIẾU XIN LỖI")
    expect(page.locator("body")).to_contain_text("16 giờ 00 phút, ngày 18/11/2026")
    shot(page, "16-form-04-extension")


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
