"""The desk as a new officer works it, in Chromium: a dossier with nothing ticked is asked
about, Back then "Tiếp nhận" again makes no second dossier, a request to complete prints only
what was typed, and every paper has its way back."""

import re

from playwright.sync_api import expect

from motcua.agencies.models import Membership
from motcua.dossiers.models import DeskNotice, Dossier
from motcua.workcalendar.calendar import VN_TZ

from .test_dossier_journeys import act, log_in

PROCEDURE = "Cấp Giấy xác nhận tình trạng hôn nhân"


def extendable(leader):
    """A dossier of the leader's agency that may still be extended (SPEC §6), and a new
    appointment the rules accept: one working day after its current one, at 16:00."""
    from motcua import clock
    from motcua.dossiers import deadlines
    from motcua.workcalendar.calendar import add_working_time

    agencies = Membership.objects.filter(user__username=leader).values("agency")
    for dossier in Dossier.objects.filter(
        status="processing", deciding_agency__in=agencies, extended_at__isnull=True
    ).order_by("-due_at"):
        calendar = deadlines.calendar_of(dossier)
        day = add_working_time(dossier.due_at, days=1, calendar=calendar).astimezone(VN_TZ)
        new_due = day.replace(hour=16, minute=0)
        if not deadlines.extension_errors(
            due_at=dossier.due_at, new_due_at=new_due, now=clock.now(),
            paused_at=dossier.paused_at, calendar=calendar, version=dossier.procedure_version,
        ):  # fmt: skip
            return dossier, new_due
    raise AssertionError(f"the demo has no dossier {leader} may extend")


def open_form(page, base):
    log_in(page, base, "motcua.khesanh")
    page.goto(base + "/can-bo/ho-so/tiep-nhan/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("xac nhan tinh trang hon nhan")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=PROCEDURE, exact=True).click()
    page.get_by_label("Họ tên / tên tổ chức").fill("Hồ Văn Em")
    page.get_by_label("Số định danh cá nhân (12 số) hoặc mã số thuế").fill("045095005678")
    page.get_by_label("Điện thoại").fill("0914555666")


def test_nothing_ticked_is_asked_before_receiving(live_server, demo, page, shot):
    base = live_server.url
    before = Dossier.objects.count()
    open_form(page, base)
    expect(page.locator("#id_items")).to_have_value("")  # nothing typed yet, nothing else
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator(".errors").first).to_contain_text("Chưa đánh dấu giấy tờ nào đã nhận")
    shot(page, "20-desk-nothing-ticked")
    assert Dossier.objects.count() == before
    page.get_by_label("Vẫn tiếp nhận: hồ sơ không kèm giấy tờ nào trong danh mục").check()
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ")
    assert Dossier.objects.count() == before + 1
    assert not Dossier.objects.order_by("-pk").first().documents.exists()


def test_back_then_receive_again_makes_no_second_dossier(live_server, demo, page, shot):
    base = live_server.url
    before = Dossier.objects.count()
    open_form(page, base)
    page.locator("table.grid input[type=checkbox]").first.check()
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ")
    code = Dossier.objects.order_by("-pk").first().code
    page.go_back()  # the officer goes back to the form and presses the button again
    expect(page.get_by_label("Họ tên / tên tổ chức")).to_have_value("Hồ Văn Em")
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    expect(page.locator(".messages")).to_contain_text(f"đã được tiếp nhận trước đó, mã {code}")
    assert Dossier.objects.count() == before + 1
    shot(page, "21-desk-sent-again")


def test_a_request_to_complete_prints_what_was_typed_and_leads_back(live_server, demo, page, shot):
    base = live_server.url
    open_form(page, base)
    page.locator("details.not-received > summary").click()
    page.locator("#id_items").fill("Bản sao Giấy chứng tử của vợ cũ\nTờ khai có chữ ký")
    page.get_by_label("Lý do (khi yêu cầu bổ sung hoặc từ chối)").fill("Hồ sơ chưa đủ")
    page.get_by_role("button", name="Yêu cầu bổ sung (mẫu 02)").click()
    expect(page.locator("h1")).to_have_text("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    expect(page.locator("ol.missing li")).to_have_text(
        ["Bản sao Giấy chứng tử của vợ cũ", "Tờ khai có chữ ký"]
    )
    expect(page.locator("body")).not_to_contain_text("generator")
    expect(page.locator(".paper-number")).to_contain_text(re.compile(r"Số: \d+/PBS"))
    shot(page, "22-form-02-desk")
    number = DeskNotice.objects.latest("pk").paper.number
    assert number in page.locator(".paper-number").inner_text()
    page.get_by_role("link", name="Tiếp nhận hồ sơ khác").click()
    expect(page.get_by_label("Tên hoặc mã thủ tục")).to_be_visible()


def test_each_paper_of_a_dossier_shows_and_leads_back(live_server, demo, page, shot):
    base = live_server.url
    dossier, new_due = extendable("lanhdao.khesanh")
    act(
        page, base, "lanhdao.khesanh", dossier.code, "Xin lỗi và gia hạn thời gian giải quyết",
        note="Phải xác minh thêm tại nơi cư trú. Thành thật xin lỗi ông/bà.",
        **{"input[type=datetime-local]": f"{new_due:%Y-%m-%dT16:00}"},
    )  # fmt: skip
    for form in ["01", "04", "06"]:
        page.goto(f"{base}/can-bo/ho-so/{dossier.code}/mau/{form}/")
        expect(page.locator(".motto .nation")).to_have_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        shot(page, f"23-form-{form}")
    page.get_by_role("link", name=f"Về hồ sơ {dossier.code}").click()
    expect(page.locator("h1")).to_contain_text(dossier.code)


def test_the_register_and_the_log_in_page(live_server, demo, page, shot):
    base = live_server.url
    page.goto(base + "/dang-nhap/")
    expect(page).to_have_title(re.compile("Một cửa điện tử"))
    log_in(page, base, "motcua.khesanh")
    page.goto(base + "/can-bo/ho-so/so-theo-doi/")
    expect(page.locator("h1")).to_have_text("SỔ THEO DÕI HỒ SƠ")
    shot(page, "24-form-07-register")
    pdf = page.request.get(base + "/can-bo/ho-so/so-theo-doi/?pdf=1").body()
    assert pdf.startswith(b"%PDF")
