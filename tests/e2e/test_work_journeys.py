"""Work as officers do it, in Chromium, with the demo commune Khe Sanh's officers: a head of
unit assigns, the specialist writes an opinion with a draft, the leader sends it back once and
then approves with the signed result, the desk returns it; a request to complete during
processing (form 02) seen in the citizen's look-up; an extension proposed by the specialist
and issued by the leader (form 04)."""

import hashlib
import io
import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from motcua import clock as domain_clock
from motcua.dossiers.tests.factories import PDF, pdf_bytes
from motcua.workcalendar.calendar import VN_TZ

from .conftest import SCREENSHOTS
from .test_dossier_journeys import act, log_in, receive_at_desk

NAME = "Cấp Giấy xác nhận tình trạng hôn nhân"
QUERY = "xac nhan tinh trang hon nhan"
SIGNED = pdf_bytes(padding=2048)  # another PDF: the signed decision


@pytest.fixture
def clock(monkeypatch):
    """The domain's clock, shared with the live server thread: Tuesday 10/11/2026 09:00."""
    state = {"now": datetime(2026, 11, 10, 9, 0, tzinfo=VN_TZ)}
    monkeypatch.setattr(domain_clock, "now", lambda: state["now"])
    return state


def pdf_file(name, content=PDF):
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def open_dossier(page, base, username, code):
    log_in(page, base, username)
    page.goto(f"{base}/can-bo/ho-so/{code}/")


def unfold(page):
    more = page.locator("details.more-actions > summary")
    if more.count():
        more.click()


def pdf_as_image(page, url, name):
    """The paper's PDF, its first page rendered to a PNG to look at; its text."""
    import pypdfium2
    from pypdf import PdfReader

    pdf = page.request.get(url).body()
    pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil().save(SCREENSHOTS / f"{name}.png")
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_assign_opinion_send_back_approve_with_the_result_and_return(
    live_server, demo, page, shot, clock
):
    base = live_server.url
    dossier = receive_at_desk(page, base, QUERY, NAME)
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")

    # The head of unit sees the load of each officer and gives the dossier to one of them.
    log_in(page, base, "truongphong.khesanh")
    page.goto(base + "/can-bo/ho-so/")
    load = page.locator("table.load")
    expect(load).to_contain_text("Nguyễn Văn Nam")
    expect(load.locator("tr.unassigned")).to_contain_text("Chưa phân công")
    shot(page, "20-head-of-unit-load")
    page.goto(f"{base}/can-bo/ho-so/{dossier.code}/")
    unfold(page)  # assigning is not the main action at this step
    assign = page.locator("form.action-assign")
    assign.get_by_label("Giao cho cán bộ").select_option("tuphap.khesanh")
    assign.get_by_label("Ghi chú phân công").fill("Anh Nam thụ lý, cần xác minh nơi cư trú.")
    shot(page, "21-head-of-unit-assigns")
    assign.get_by_role("button", name="Phân công xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã phân công hồ sơ")
    expect(page.locator(".facts .assignee")).to_have_text("Nguyễn Văn Nam")

    # "Của tôi": the specialist's own; an opinion with the draft decision.
    log_in(page, base, "tuphap.khesanh")
    page.goto(base + "/can-bo/ho-so/?hop=mine")
    expect(page.locator("main")).to_contain_text(dossier.code)
    shot(page, "22-specialist-mine")
    page.get_by_role("link", name=dossier.code).first.click()
    unfold(page)
    opinion = page.locator("form.action-comment")
    opinion.get_by_label("Ý kiến xử lý").fill("Đã xác minh tại nơi cư trú: đủ điều kiện cấp.")
    opinion.locator("input[type=file]").set_input_files(pdf_file("du-thao-giay-xac-nhan.pdf"))
    opinion.get_by_role("button", name="Ghi ý kiến xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi ý kiến xử lý")
    expect(page.locator("ul.working-files")).to_contain_text("du-thao-giay-xac-nhan.pdf")
    shot(page, "23-specialist-opinion-and-draft")
    act(
        page, base, "tuphap.khesanh", dossier.code, "Chuyển bước tiếp theo",
        note="Kính trình lãnh đạo ký.",
    )  # fmt: skip

    # The leader reads the opinion and the draft, and sends it back once.
    open_dossier(page, base, "lanhdao.khesanh", dossier.code)
    expect(page.locator(".timeline")).to_contain_text("đủ điều kiện cấp")
    expect(page.locator("ul.working-files")).to_contain_text("du-thao-giay-xac-nhan.pdf")
    shot(page, "24-leader-reads-the-draft")
    act(
        page, base, "lanhdao.khesanh", dossier.code, "Trả lại bước trước",
        note="Ghi rõ thời gian cư trú tại xã trước đây.",
    )  # fmt: skip

    # Back in the specialist's own inbox, corrected, forwarded again.
    log_in(page, base, "tuphap.khesanh")
    page.goto(base + "/can-bo/ho-so/?hop=mine")
    expect(page.locator("main")).to_contain_text(dossier.code)
    act(
        page, base, "tuphap.khesanh", dossier.code, "Chuyển bước tiếp theo",
        note="Đã bổ sung thời gian cư trú.",
        files={"#files-forward": pdf_file("du-thao-giay-xac-nhan-lan-2.pdf")},
    )  # fmt: skip

    # Approval with the signed result: it says approved, and the file is kept with its hash.
    open_dossier(page, base, "lanhdao.khesanh", dossier.code)
    approve = page.locator("form.action-approve")
    approve.get_by_label("Ý kiến phê duyệt").fill("Đồng ý cấp.")
    approve.get_by_label("Kết quả đã ký (tệp PDF)").set_input_files(
        pdf_file("giay-xac-nhan-da-ky.pdf", SIGNED)
    )
    approve.get_by_role("button", name="Phê duyệt, ký kết quả").click()
    expect(page.locator(".messages")).to_contain_text("Đã phê duyệt và ký kết quả")
    digest = hashlib.sha256(SIGNED).hexdigest()
    expect(page.locator(".facts .result")).to_contain_text(digest)
    shot(page, "25-leader-approved-with-result")

    # The desk returns it, the result named with its SHA-256.
    open_dossier(page, base, "motcua.khesanh", dossier.code)
    expect(page.locator("form.action-return_result")).to_contain_text(digest)
    act(page, base, "motcua.khesanh", dossier.code, "Trả kết quả")
    expect(page.locator(".status-line")).to_contain_text("Đã trả kết quả")
    expect(page.locator(".timeline")).to_contain_text("Giao cho Nguyễn Văn Nam")
    shot(page, "26-desk-returned-the-result")
    returned = dossier.events.order_by("-seq").first()
    assert returned.data["result_file"]["sha256"] == digest


def test_supplement_during_processing_form_02_and_the_look_up(live_server, demo, page, shot, clock):
    base = live_server.url
    dossier = receive_at_desk(page, base, QUERY, NAME)
    assert dossier.due_at == datetime(2026, 11, 13, 9, 0, tzinfo=VN_TZ)  # 3 working days
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    open_dossier(page, base, "tuphap.khesanh", dossier.code)
    unfold(page)
    ask = page.locator("form.action-request_supplement")
    ask.get_by_label("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)").fill(
        "Bản sao giấy chứng tử của vợ cũ\nGiấy xác nhận nơi cư trú trước đây"
    )
    ask.get_by_label("Lý do yêu cầu bổ sung").fill("Cần chứng minh tình trạng hôn nhân trước đây.")
    ask.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect(page.locator(".messages")).to_contain_text("In phiếu yêu cầu bổ sung (mẫu 02)")

    # Form 02, exactly as at the desk: the numbered list and the contact officer's phone.
    papers = page.locator("ul.papers li", has_text="Mẫu 02")
    papers.get_by_role("link", name="Xem, in").click()
    expect(page.locator("h1")).to_contain_text("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    body = page.locator("body")
    expect(body.locator("ol li")).to_have_text(
        ["Bản sao giấy chứng tử của vợ cũ", "Giấy xác nhận nơi cư trú trước đây"]
    )
    expect(body).to_contain_text("Nguyễn Văn Nam, điện thoại 0233 3880 123")
    shot(page, "27-form-02-during-processing")
    text = pdf_as_image(page, page.url + "?pdf=1", "28-form-02-pdf")
    assert "Giấy xác nhận nơi cư trú trước đây" in text and dossier.code in text

    # The citizen looks it up on a phone and sees what to bring.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/tra-cuu/")
    page.get_by_label("Mã hồ sơ (in trên giấy hẹn)").fill(dossier.code)
    page.get_by_label("4 số cuối số điện thoại hoặc số định danh").fill("3456")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("ol.missing-documents li")).to_have_text(
        ["Bản sao giấy chứng tử của vợ cũ", "Giấy xác nhận nơi cư trú trước đây"]
    )
    shot(page, "29-lookup-shows-what-to-bring")

    # Brought two days later: the clock stood still meanwhile (SPEC §6).
    page.set_viewport_size({"width": 1280, "height": 900})
    clock["now"] = datetime(2026, 11, 12, 9, 0, tzinfo=VN_TZ)  # 16 working hours later
    act(page, base, "motcua.khesanh", dossier.code, "Nhận hồ sơ bổ sung")
    expect(page.locator(".facts")).to_contain_text("09:00 17/11/2026")
    expect(page.locator(".facts")).to_contain_text("ban đầu 09:00 13/11/2026")
    shot(page, "15-supplement-moved-due")


def test_extension_proposed_by_the_specialist_issued_by_the_leader(
    live_server, demo, page, shot, clock
):
    base = live_server.url
    dossier = receive_at_desk(page, base, QUERY, NAME)
    act(page, base, "motcua.khesanh", dossier.code, "Chuyển bước tiếp theo")
    open_dossier(page, base, "tuphap.khesanh", dossier.code)
    expect(
        page.get_by_role("button", name="Xin lỗi và gia hạn thời gian giải quyết")
    ).to_have_count(0)  # the specialist only proposes
    act(
        page, base, "tuphap.khesanh", dossier.code, "Đề xuất gia hạn (mẫu 04)",
        note="Phải xác minh tại nơi cư trú trước đây ở tỉnh khác.",
        **{"input[type=datetime-local]": "2026-11-17T16:00"},
    )  # fmt: skip
    shot(page, "30-specialist-proposes-extension")

    # The leader finds it in their inbox, marked, though its step is the specialist's.
    log_in(page, base, "lanhdao.khesanh")
    page.goto(f"{base}/can-bo/ho-so/")
    row = page.locator("table.inbox tr", has_text=dossier.code)
    expect(row.locator(".extension-pending")).to_have_text("Đề xuất gia hạn chờ duyệt")
    shot(page, "30b-leader-inbox-proposal-waiting")
    row.get_by_role("link", name=dossier.code).click()
    expect(page.locator(".proposal")).to_contain_text("16:00 17/11/2026")
    expect(page.locator(".proposal")).to_contain_text("Nguyễn Văn Nam")
    unfold(page)
    extend = page.locator("form.action-extend")
    expect(extend.locator("input[type=datetime-local]")).to_have_value("2026-11-17T16:00")
    extend.get_by_label("Lý do chậm và lời xin lỗi").fill(
        "Phải xác minh tại nơi cư trú trước đây ở tỉnh khác. Thành thật xin lỗi ông/bà."
    )
    shot(page, "31-leader-sees-the-proposal")
    extend.get_by_role("button", name="Xin lỗi và gia hạn thời gian giải quyết").click()
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Đã gia hạn một lần")
    expect(
        page.get_by_role("button", name="Xin lỗi và gia hạn thời gian giải quyết")
    ).to_have_count(0)  # once only
    page.locator("ul.papers li", has_text="Mẫu 04").get_by_role("link", name="Xem, in").click()
    expect(page.locator("h1")).to_contain_text("PHIẾU XIN LỖI")
    expect(page.locator("body")).to_contain_text("16 giờ 00 phút, ngày 17/11/2026")
    expect(page.locator(".signatures")).to_contain_text("Hoàng Văn Thắng")
    shot(page, "16-form-04-extension")
    text = pdf_as_image(page, page.url + "?pdf=1", "32-form-04-pdf")
    assert re.search(r"Hoàng Văn Thắng", text) and "17/11/2026" in text
