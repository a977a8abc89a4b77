"""Papers (SPEC §7): which a dossier has, their numbers and issue dates, what they say, the
control slip drawn from the trace, and how they are laid out on A4.

The PDFs are read back with pypdf (text, lines, page sizes) and, for the QR code, rendered with
pypdfium2 and decoded with zxing-cpp. Each page is also saved as a PNG under
``var/screenshots/papers/`` to be looked at."""

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.db import transaction

from motcua.agencies.models import Agency, Desk
from motcua.dossiers import papers
from motcua.dossiers.access import actor_for_user
from motcua.dossiers.models import Dossier, DossierCodeCounter, IssuedPaper
from motcua.dossiers.papers import control_rows, dossier_paper, paper_issue, papers_for
from motcua.dossiers.services import Receipt, desk_notice_create, dossier_receive
from motcua.dossiers.tests.factories import act, applicant, receive, vn
from motcua.dossiers.trace import event_append
from motcua.workcalendar.calendar import Outcome

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "papers"


def forms(dossier):
    return [number for number, _title in papers_for(dossier)]


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def pdf_text(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def save_pages(pdf: bytes, name: str) -> None:
    """Every page as a PNG, to be looked at (var/ is not committed)."""
    import pypdfium2

    SHOTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    for number in range(len(document)):
        document[number].render(scale=1.5).to_pil().save(SHOTS / f"{name}-{number + 1}.png")


def qr_text(pdf: bytes) -> str:
    import pypdfium2
    import zxingcpp

    found = zxingcpp.read_barcodes(pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil())
    assert found, "no QR code on the first page"
    return found[0].text


@pytest.fixture
def extended(version, desk, desk_officer, specialist, leader, clock):
    """Received Mon 23/11 08:00, due Fri 27/11 08:00 (3 working days; Tue 24/11 is a holiday);
    with the applicant Mon 10:00 → Wed 25/11 10:00, 8 working hours that move it to Mon 30/11
    08:00; extended on Wed 25/11 11:00 to Wed 2/12 16:00."""
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 23, 8))
    clock(vn(2026, 11, 23, 9))
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 23, 10))
    act(
        dossier,
        "request_supplement",
        specialist,
        note="Bổ sung bản sao giấy chứng tử",
        missing_documents=["Bản sao giấy chứng tử"],
    )
    clock(vn(2026, 11, 25, 10))
    act(dossier, "supplement_received", desk_officer)
    clock(vn(2026, 11, 25, 11))
    act(
        dossier,
        "extend",
        leader,
        note="Phải xác minh tại nơi cư trú trước đây. Thành thật xin lỗi ông/bà.",
        new_due_at=vn(2026, 12, 2, 16),
    )
    return fresh(dossier)


# --- which papers ---------------------------------------------------------------------------


def test_papers_follow_the_dossiers_life(version, desk, desk_officer, leader, clock):
    clock(vn(2026, 11, 23, 9))
    dossier = receive(desk, version)
    assert forms(dossier) == ["01", "06"]
    extended = act(dossier, "extend", leader, note="Xin lỗi", new_due_at=vn(2026, 11, 30, 10))
    assert forms(extended) == ["01", "04", "06"]
    rejected = act(receive(desk, version), "reject", leader, note="Không đủ điều kiện")
    assert forms(rejected) == ["01", "03", "06"]
    withdrawn = act(receive(desk, version), "withdraw", desk_officer, note="Xin rút")
    assert forms(withdrawn) == ["01", "05", "06"]
    stopped = act(receive(desk, version), "stop", leader, note="Đã mất")
    assert forms(stopped) == ["01", "05", "06"]
    with pytest.raises(papers.NoSuchPaper):
        dossier_paper(fresh(dossier), "05")


# --- a paper once issued is a document -----------------------------------------------------


def test_the_event_issues_its_paper_with_a_number_and_the_events_date(extended, clock):
    paper = IssuedPaper.objects.get(form="04")  # issued by the extension, before any print
    assert paper.number == "1/PXL" and paper.issued_at == vn(2026, 11, 25, 11)
    assert paper.event.action == "extend" and paper.agency == extended.deciding_agency
    clock(vn(2026, 11, 27, 15))
    printed = dossier_paper(extended, "04")
    assert printed.context["issue"].number == "1/PXL"
    assert printed.context["issue"].issued_at == vn(2026, 11, 25, 11)


def test_a_paper_renders_without_a_warning_from_weasyprint(extended, caplog):
    """Every rule of the papers' stylesheet is one WeasyPrint takes (the screen's are apart)."""
    import logging

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for form in ("01", "04", "06"):
            dossier_paper(extended, form).pdf()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_date_line_starts_with_the_place_name(extended):
    """ND 30/2020: "<Địa danh>, ngày … tháng … năm …" — the issuing commune's name."""
    assert extended.deciding_agency.name == "UBND xã An Bình"
    text = " ".join(pdf_text(dossier_paper(extended, "04").pdf())[0].split())
    assert "An Bình, ngày 25 tháng 11 năm 2026" in text


def test_printed_again_it_is_the_same_paper_same_number_date_and_qr(extended, clock):
    clock(vn(2026, 11, 26, 9))
    first = dossier_paper(extended, "04").pdf()
    clock(vn(2026, 12, 1, 14, 30))
    again = dossier_paper(fresh(extended), "04").pdf()
    save_pages(first, "form-04")
    assert qr_text(first) == qr_text(again)
    query = parse_qs(urlparse(qr_text(first)).query)
    assert query["tg"] == ["20261125110000"]  # the issue time, never the print time
    assert query["so"] == ["1/PXL"] and query["giay"] == ["04"]
    strip = re.compile(r"In lúc .*")  # the print time is the one thing that differs
    same = [strip.sub("", t) for t in pdf_text(first)]
    assert same == [strip.sub("", t) for t in pdf_text(again)]
    text = pdf_text(first)[0]
    assert "Số: 1/PXL" in text and "ngày 25 tháng 11 năm 2026" in text
    assert "In lúc 09:00 26/11/2026" in text and "In lúc 14:30 01/12/2026" in pdf_text(again)[0]
    assert IssuedPaper.objects.filter(form="04").count() == 1


def test_numbers_run_per_agency_form_and_year(
    version, desk, desk_officer, leader, clock, other_commune
):
    clock(vn(2026, 11, 23, 9))
    late = {"note": "Chậm", "new_due_at": vn(2026, 12, 1, 16)}
    first = act(receive(desk, version), "extend", leader, **late)
    second = act(receive(desk, version), "extend", leader, **late)
    rejected = act(receive(desk, version), "reject", leader, note="Không thuộc thẩm quyền")
    assert [dossier_paper(fresh(d), f).context["issue"].number for d, f in [
        (first, "04"), (second, "04"), (rejected, "03")
    ]] == ["1/PXL", "2/PXL", "1/PTC"]  # fmt: skip
    event = first.events.get(action="extend")
    again = paper_issue(form="04", agency=other_commune, issued_at=event.at, event=event)
    assert again.number == "1/PXL"  # an event's paper is issued once
    clock(vn(2027, 1, 4, 9))
    next_year = receive(desk, version)
    next_year = act(next_year, "extend", leader, note="Chậm", new_due_at=vn(2027, 1, 11, 16))
    assert dossier_paper(fresh(next_year), "04").context["issue"].number == "1/PXL"
    notice = desk_notice_create(
        kind="refuse", desk=desk, procedure_version=version, applicant=applicant(), items=[],
        reason="Không thuộc thẩm quyền", actor=actor_for_user(desk_officer),
    )  # fmt: skip
    assert notice.paper.number == "1/PTC"  # the agency's series of form 03 for 2027
    other = Desk.objects.create(agency=other_commune, code="mc", name="Một cửa")
    with transaction.atomic():
        event = next_year.events.get(action="receive")
        separate = paper_issue(form="03", agency=other.agency, issued_at=event.at, event=event)
    assert separate.number == "1/PTC"  # another agency numbers its own


def test_a_paper_whose_event_came_before_numbering_is_issued_at_its_first_print(
    version, desk, leader, clock, monkeypatch
):
    from motcua.dossiers.services import actions

    clock(vn(2026, 11, 23, 9))
    monkeypatch.setattr(actions, "papers_issue", lambda dossier, event: [])
    dossier = act(receive(desk, version), "stop", leader, note="Người đề nghị đã mất")
    assert not IssuedPaper.objects.exists()
    clock(vn(2026, 11, 30, 8))
    issue = dossier_paper(fresh(dossier), "05").context["issue"]
    assert issue.number == "1/TB" and issue.issued_at == vn(2026, 11, 23, 9)  # its event's
    assert dossier_paper(fresh(dossier), "05").context["issue"] == issue


def test_a_desk_notice_is_numbered_when_written_and_printed_the_same(
    version, desk, desk_officer, clock
):
    clock(vn(2026, 11, 23, 10))
    notice = desk_notice_create(
        kind="complete", desk=desk, procedure_version=version, applicant=applicant(address=""),
        items=["Bản sao Giấy chứng sinh", "Tờ khai có chữ ký"], reason="Thiếu giấy tờ",
        actor=actor_for_user(desk_officer),
    )  # fmt: skip
    assert notice.paper.number == "1/PBS" and notice.paper.issued_at == vn(2026, 11, 23, 10)
    clock(vn(2026, 11, 27, 16))
    first = papers.notice_paper(notice)
    clock(vn(2026, 12, 2, 8))
    assert papers.notice_paper(notice).context["qr"] == first.context["qr"]
    pdf = first.pdf()
    save_pages(pdf, "form-02-desk")
    text = pdf_text(pdf)[0]
    assert "Số: 1/PBS" in text and "ngày 23 tháng 11 năm 2026" in text
    assert "Bản sao Giấy chứng sinh" in text and "Tờ khai có chữ ký" in text
    assert "1. " in text and "2. " in text  # a numbered list


@pytest.mark.parametrize("kind", ["complete", "refuse"])
def test_the_qr_of_a_desk_notice_opens_its_public_status(
    client, kind, version, desk, desk_officer, clock
):
    clock(vn(2026, 11, 23, 10))
    notice = desk_notice_create(
        kind=kind, desk=desk, procedure_version=version, applicant=applicant(),
        items=["Bản sao Giấy chứng sinh"] if kind == "complete" else [],
        reason="Thiếu giấy tờ" if kind == "complete" else "Không thuộc thẩm quyền",
        actor=actor_for_user(desk_officer),
    )  # fmt: skip
    url = urlparse(qr_text(papers.notice_paper(notice).pdf()))
    page = client.get(f"{url.path}?{url.query}")
    assert page.status_code == 200
    assert f"phiếu số {notice.paper.number}" in page.text and version.name in page.text
    if kind == "complete":
        assert "<li>Bản sao Giấy chứng sinh</li>" in page.text
    else:
        assert "không được tiếp nhận" in page.text and "Không thuộc thẩm quyền" in page.text
    assert applicant().id_number not in page.text and applicant().name not in page.text
    forged = parse_qs(url.query)["t"][0].replace("n.", "n.9", 1)
    assert "notice-status" not in client.get("/tra-cuu/", {"t": forged}).text


def test_a_refusal_without_an_address_prints_no_empty_address(version, desk, desk_officer, leader):
    notice = desk_notice_create(
        kind="refuse", desk=desk, procedure_version=version, applicant=applicant(address=""),
        items=[], reason="Không thuộc thẩm quyền", actor=actor_for_user(desk_officer),
    )  # fmt: skip
    text = pdf_text(papers.notice_paper(notice).pdf())[0]
    assert "địa chỉ" not in text and "(số định danh 079123456789)." in text
    rejected = act(
        receive(desk, version, applicant=applicant(address="")), "reject", leader, note="Sai"
    )
    text = pdf_text(dossier_paper(fresh(rejected), "03").pdf())[0]
    assert "địa chỉ" not in text and "Sai" in text
    with_address = act(receive(desk, version), "reject", leader, note="Sai")
    text = pdf_text(dossier_paper(fresh(with_address), "03").pdf())[0]
    assert "địa chỉ Thôn 1, xã An Bình." in text


# --- times: cut to the minute, one way for every paper ------------------------------------


def test_every_paper_prints_its_times_cut_to_the_minute_as_the_api_gives_them(version, desk, clock):
    """Received at 05:54:25 (the API: 05:54:25+07:00): forms 01 and 06 print 05:54."""
    clock(vn(2026, 11, 23, 5, 54, 25))
    dossier = receive(desk, version, at=vn(2026, 11, 23, 5, 54, 25))
    receipt = re.sub(r"\s+", " ", pdf_text(dossier_paper(dossier, "01").pdf())[0])
    assert "4. Thời gian nhận hồ sơ: 05 giờ 54 phút, ngày 23/11/2026." in receipt
    slip = re.sub(r"\s+", " ", pdf_text(dossier_paper(dossier, "06").pdf())[0])
    assert "Thời gian nhận hồ sơ: 05:54 23/11/2026" in slip


def test_the_paper_time_filters_cut_to_the_minute_in_vietnam_time():
    from datetime import UTC, datetime

    from motcua.dossiers.templatetags.papers import date_words, paper_time, time_words

    late_in_the_minute = datetime(2026, 11, 22, 22, 54, 59, 999999, tzinfo=UTC)  # 05:54:59 VN
    assert paper_time(late_in_the_minute) == "05:54 23/11/2026"
    assert paper_time(late_in_the_minute, "time") == "05:54"
    assert paper_time(late_in_the_minute, "date") == "23/11/2026"
    assert time_words(late_in_the_minute) == "05 giờ 54 phút, ngày 23/11/2026"
    midnight = datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)  # 23:59:59 VN, not next year
    assert paper_time(midnight) == "23:59 31/12/2026" and date_words(midnight).endswith("2026")


def test_the_paper_templates_write_every_time_through_the_papers_filters():
    """One helper for every paper (``paper_time``, ``time_words``, ``date_words``): no
    template formats a time its own way with Django's ``date`` filter."""
    folder = Path(settings.BASE_DIR) / "motcua" / "dossiers" / "templates" / "dossiers" / "forms"
    templates = sorted(folder.glob("*.html"))
    assert len(templates) == 8
    for template in templates:
        text = template.read_text()
        assert not re.search(r"\|\s*(date|time)\s*:", text), template.name
        assert "{% load" not in text or "papers" in text, template.name


# --- form 01 --------------------------------------------------------------------------------


def test_form_01_prints_the_codes_serial_in_full(version, desk, clock):
    clock(vn(2026, 11, 23, 9))
    DossierCodeCounter.objects.create(agency=desk.agency, code_day="261123", last=9999)
    dossier = receive(desk, version)
    assert dossier.code.endswith("-10000")
    paper = dossier_paper(dossier, "01")
    assert paper.context["serial"] == "10000"
    assert "Số thứ tự: 10000." in pdf_text(paper.pdf())[0]


def test_form_01_keeps_the_appointment_it_gave_and_notes_the_new_one(extended, clock):
    before = dossier_paper(extended, "01")  # the QR of the receipt as it was printed then
    text = pdf_text(before.pdf())[0]
    save_pages(before.pdf(), "form-01-extended")
    assert "5. Thời gian trả kết quả: 08 giờ 00 phút, ngày 27/11/2026." in text
    note = re.sub(r"\s+", " ", text[text.index("Ghi chú") :])
    assert "nay là 16 giờ 00 phút, ngày 02/12/2026" in note
    assert "số 1/PXL, ngày 25 tháng 11 năm 2026" in note and "chờ công dân" in note
    query = parse_qs(urlparse(qr_text(before.pdf())).query)
    assert query["hen"] == ["202611270800"] and query["tg"] == ["20261123080000"]


def test_form_01_reprinted_after_an_extension_stays_on_one_a4_page(
    version, desk, desk_officer, leader, specialist, clock
):
    """A full receipt as the desk gives it — five documents, an authorised person, the
    result by post — keeps to one page when reprinted with the note of the new appointment."""
    from pypdf import PdfReader

    clock(vn(2026, 11, 23, 8))
    documents = [
        (None, "Đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ (theo mẫu)", 1, 0),
        (None, "Giấy tờ chứng minh quyền sử dụng đất", 0, 1),
        (None, "Hai bộ bản vẽ thiết kế xây dựng", 2, 0),
        (None, "Căn cước công dân hoặc giấy tờ tùy thân có ảnh (xuất trình)", 1, 0),
        (None, "Văn bản ủy quyền (trường hợp nộp thay)", 1, 0),
    ]
    dossier = receive(
        desk, version, actor=desk_officer, at=vn(2026, 11, 23, 8), documents=documents,
        applicant=applicant(
            authorised_name="Trần Thị Bình Minh", authorised_id_number="045185002345",
            address="Thôn Phùng Lâm, xã Hướng Phùng, tỉnh Quảng Trị",
        ),
        result_delivery="post", delivery_address="Thôn Phùng Lâm, xã Hướng Phùng, tỉnh Quảng Trị",
    )  # fmt: skip
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 23, 10))
    act(dossier, "request_supplement", specialist, missing_documents=["Bản vẽ"])
    clock(vn(2026, 11, 25, 10))
    act(dossier, "supplement_received", desk_officer)
    clock(vn(2026, 11, 25, 11))
    act(dossier, "extend", leader, note="Xác minh", new_due_at=vn(2026, 12, 2, 16))
    pdf = dossier_paper(fresh(dossier), "01").pdf()
    save_pages(pdf, "form-01-extended")
    text = re.sub(r"\s+", " ", pdf_text(pdf)[0])
    assert "theo Phiếu xin lỗi và đề nghị gia hạn" in text and "không tính vào" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, pdf_text(pdf)[-1][-300:]


def test_form_01_shows_no_note_while_the_appointment_holds(version, desk):
    text = pdf_text(dossier_paper(receive(desk, version), "01").pdf())[0]
    assert "Ghi chú" not in text


# --- form 04 --------------------------------------------------------------------------------


def test_form_04_shows_the_appointment_in_force_before_it_waits_included(extended):
    # Given at receipt: Fri 27/11 08:00; 8 working hours waiting moved it to Mon 30/11 08:00;
    # the extension set Wed 2/12 16:00.
    assert extended.original_due_at == vn(2026, 11, 27, 8)
    text = re.sub(r"\s+", " ", pdf_text(dossier_paper(extended, "04").pdf())[0])
    assert "Thời gian hẹn trả kết quả: 08 giờ 00 phút, ngày 30/11/2026." in text
    assert "trả kết quả vào 16 giờ 00 phút, ngày 02/12/2026" in text
    assert "Phải xác minh tại nơi cư trú trước đây." in text


# --- form 06: the control slip --------------------------------------------------------------


def test_the_control_slip_has_a_row_per_hand_over_and_judges_each_step_by_its_due(
    extended, specialist, clock
):
    # Step 2 was due Wed 25/11 14:30; the 8 hours waited moved it to Thu 26/11 14:30.
    clock(vn(2026, 11, 26, 11))
    act(extended, "forward", specialist)
    rows = control_rows(fresh(extended))
    assert [(r.kind, r.outcome) for r in rows] == [
        ("step", Outcome.ON_TIME),  # desk: due 10:00, handed over at 09:00 the same day
        ("step", None),  # specialist, until the request to complete: not judged
        ("wait", None),  # the applicant had it: judges nobody
        ("step", Outcome.ON_TIME),  # specialist again: 11:00 Thu against 14:30 Thu
        ("step", None),  # the leader holds it now
    ]
    desk_row, before, wait, after, now = rows
    assert (desk_row.given_by, desk_row.received_by) == ("Nguyễn Văn An", "Alice")
    assert (desk_row.received_at, desk_row.handed_at) == (vn(2026, 11, 23, 8), vn(2026, 11, 23, 9))
    assert desk_row.holder == "1. Tiếp nhận, chuyển xử lý — Bộ phận một cửa"
    assert (before.given_by, before.received_by, before.holder) == (
        "Alice", "Bob", "2. Thẩm định — Tư pháp"
    )  # fmt: skip
    assert (wait.given_by, wait.received_by) == ("Bob", "Nguyễn Văn An")
    assert (wait.received_at, wait.handed_at) == (vn(2026, 11, 23, 10), vn(2026, 11, 25, 10))
    assert wait.outcome_label == "Không tính (thời gian chờ)"
    assert after.due == vn(2026, 11, 26, 14, 30) and after.handed_at == vn(2026, 11, 26, 11)
    assert any("Gia hạn, hẹn trả mới 16:00 02/12/2026" in n for n in after.notes)
    assert now.holder.startswith("3. Ký duyệt") and now.handed_at is None


def test_a_wait_never_makes_the_officer_late(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, actor=desk_officer)
    clock(vn(2026, 11, 23, 9))
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 23, 10))
    act(
        dossier,
        "request_supplement",
        specialist,
        note="Thiếu giấy tờ",
        missing_documents=["Bản sao giấy chứng sinh"],
    )
    clock(vn(2026, 12, 7, 10))  # two weeks with the applicant
    act(dossier, "supplement_received", desk_officer)
    clock(vn(2026, 12, 7, 11))
    act(dossier, "forward", specialist)
    outcomes = [(r.kind, r.outcome) for r in control_rows(fresh(dossier))]
    assert outcomes[2] == ("wait", None) and outcomes[3] == ("step", Outcome.EARLY)
    assert Outcome.LATE not in [outcome for _kind, outcome in outcomes]


def test_a_late_step_is_late(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, at=vn(2026, 11, 23, 8))  # step 1 due 10:00
    clock(vn(2026, 11, 23, 9))
    dossier = act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 26, 9))  # step 2 (12 h from Mon 9:00) was due Wed 25/11 14:30
    act(dossier, "forward", specialist)
    assert [r.outcome for r in control_rows(fresh(dossier))][:2] == [
        Outcome.ON_TIME,
        Outcome.LATE,
    ]


def test_every_row_states_the_due_time_its_step_had_from_when_it_actually_started(
    version, desk, desk_officer, specialist, clock
):
    """SPEC §6: each step's budget runs from when the step starts. The desk forwards two days
    late: the specialist's step is due 12 working hours after it actually reached them (Wed
    14:00 → Fri 08:30), not after a plan counted from the receipt (Tue 14:00); the leader's
    step, still held, likewise (Thu 09:00 + 4 h → 14:30, lunch excluded). Every row, handed
    over or held."""
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 23, 8))
    clock(vn(2026, 11, 25, 14))  # step 1 was due Mon 10:00
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 26, 9))
    act(dossier, "forward", specialist)
    rows = control_rows(fresh(dossier))
    assert [(r.received_at, r.due, r.outcome) for r in rows] == [
        (vn(2026, 11, 23, 8), vn(2026, 11, 23, 10), Outcome.LATE),
        (vn(2026, 11, 25, 14), vn(2026, 11, 27, 8, 30), Outcome.EARLY),
        (vn(2026, 11, 26, 9), vn(2026, 11, 26, 14, 30), None),
    ]
    pdf = dossier_paper(fresh(dossier), "06").pdf()
    save_pages(pdf, "form-06-late-start")
    text = re.sub(r"\s+", " ", "".join(pdf_text(pdf)))
    assert "08:30 27/11/2026" in text and "14:30 26/11/2026" in text


def test_a_wait_row_states_no_due_time_even_when_the_dossier_ends_during_the_wait(
    version, desk, desk_officer, specialist, clock
):
    """Withdrawn while with the applicant: the wait is still no step of an officer, so its row
    has no step due time and judges nobody."""
    clock(vn(2026, 11, 23, 8))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 23, 8))
    clock(vn(2026, 11, 23, 9))
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 23, 10))
    act(dossier, "request_supplement", specialist, missing_documents=["Bản sao giấy khai sinh"])
    clock(vn(2026, 12, 3, 10))  # long after the step's due time
    act(dossier, "withdraw", desk_officer, note="Xin rút hồ sơ")
    wait = control_rows(fresh(dossier))[-1]
    assert wait.kind == "wait" and wait.handed_at == vn(2026, 12, 3, 10)
    assert (wait.due, wait.outcome) == (None, None)


def test_an_extension_and_any_other_event_are_notes_not_hand_overs(
    version, desk, desk_officer, leader, clock
):
    clock(vn(2026, 11, 23, 9))
    dossier = receive(desk, version, actor=desk_officer)
    act(dossier, "extend", leader, note="Cần thêm thời gian", new_due_at=vn(2026, 12, 1, 16))
    with transaction.atomic():  # an action another part of the system may add later
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        event_append(
            locked, action="fee_recorded", actor=actor_for_user(leader),
            at=vn(2026, 11, 23, 9, 30),
            status_before=locked.status, step_before=1, unit_name="", note="Ghi nhận: ưu tiên",
        )  # fmt: skip
        locked.save()
    rows = control_rows(fresh(dossier))
    assert len(rows) == 1 and rows[0].handed_at is None
    assert rows[0].notes[0].startswith("Gia hạn, hẹn trả mới 16:00 01/12/2026")
    assert rows[0].notes[1].startswith("fee_recorded (Linh")
    assert "Ghi nhận: ưu tiên" in rows[0].notes[1]


def test_the_control_slip_names_the_coordinating_agencies(
    version, desk, desk_officer, province, clock
):
    clock(vn(2026, 11, 23, 9))
    alone = receive(desk, version, actor=desk_officer)
    assert papers.coordinating_agencies(alone) == []
    assert "phối hợp" not in pdf_text(dossier_paper(alone, "06").pdf())[0]
    elsewhere = dossier_receive(
        desk=desk, procedure_version=version, actor=actor_for_user(desk_officer),
        receipt=Receipt(applicant=applicant()), deciding_agency=province,
    )  # fmt: skip
    assert papers.coordinating_agencies(elsewhere) == [desk.agency]
    pdf = dossier_paper(elsewhere, "06").pdf()
    save_pages(pdf, "form-06-coordinating")
    text = re.sub(r"\s+", " ", pdf_text(pdf)[0])
    assert f"Cơ quan chủ trì giải quyết: {province.name}" in text
    assert f"Cơ quan phối hợp: {desk.agency.name}" in text


def test_the_control_slip_prints_its_rows(extended, specialist, clock):
    clock(vn(2026, 11, 26, 11))
    act(extended, "forward", specialist)
    pdf = dossier_paper(fresh(extended), "06").pdf()
    save_pages(pdf, "form-06")
    text = re.sub(r"\s+", " ", "".join(pdf_text(pdf)))
    assert "Chờ công dân bổ sung, hoàn thiện hồ sơ" in text and "Không tính" in text
    assert text.count("Đúng hạn") == 2 and "Quá hạn" not in text


# --- layout ---------------------------------------------------------------------------------


MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def every_paper(extended, desk, desk_officer, version, leader) -> dict[str, bytes]:
    withdrawn = act(receive(desk, version), "withdraw", desk_officer, note="Xin rút")
    rejected = act(receive(desk, version), "reject", leader, note="Không thuộc thẩm quyền")
    notice = desk_notice_create(
        kind="complete", desk=desk, procedure_version=version, applicant=applicant(),
        items=["Bản sao Giấy chứng sinh"], reason="Thiếu", actor=actor_for_user(desk_officer),
    )  # fmt: skip
    return {
        "01": dossier_paper(extended, "01").pdf(),
        "02": papers.notice_paper(notice).pdf(),
        "03": dossier_paper(fresh(rejected), "03").pdf(),
        "04": dossier_paper(extended, "04").pdf(),
        "05": dossier_paper(fresh(withdrawn), "05").pdf(),
        "06": dossier_paper(extended, "06").pdf(),
    }


def test_the_motto_is_one_line_on_every_paper_even_beside_a_long_agency_name(
    extended, desk, desk_officer, version, leader
):
    for agency in {extended.receiving_agency, extended.deciding_agency}:
        Agency.objects.filter(pk=agency.pk).update(
            name="Trung tâm Phục vụ hành chính công và Ủy ban nhân dân xã An Bình mở rộng"
        )
    Desk.objects.filter(pk=desk.pk).update(name="Bộ phận tiếp nhận và trả kết quả liên thông")
    extended = fresh(extended)
    for form, pdf in every_paper(extended, desk, desk_officer, version, leader).items():
        save_pages(pdf, f"form-{form}-long-name")
        lines = [line.strip() for line in pdf_text(pdf)[0].splitlines()]
        assert MOTTO in lines or any(line.endswith(MOTTO) for line in lines), (form, lines[:6])
        assert "Độc lập - Tự do - Hạnh phúc" in lines, (form, lines[:6])


def test_a_signature_block_never_stands_alone_on_a_page(version, desk, clock):
    """However many documents push the end of form 01 down, the signatures share their page
    with the closing lines, and keep their text."""
    clock(vn(2026, 11, 23, 9))
    for count in range(6, 15):
        documents = [(None, f"Giấy tờ số {n} kèm theo hồ sơ", 1, 1) for n in range(count)]
        dossier = receive(desk, version, documents=documents)
        pdf = dossier_paper(dossier, "01").pdf()
        if count == 10:
            save_pages(pdf, "form-01-two-pages")
        pages = pdf_text(pdf)
        signed = [p for p in pages if "NGƯỜI TIẾP NHẬN HỒ SƠ" in p]
        assert len(signed) == 1, count
        assert "Vào Sổ theo dõi hồ sơ" in signed[0], count
        assert "NGƯỜI NỘP HỒ SƠ" in signed[0] and "(Ký và ghi rõ họ tên)" in signed[0], count


def test_the_register_is_a4_landscape_with_every_column_on_the_page(
    client, version, desk, desk_officer, clock
):
    from pypdf import PdfReader

    clock(vn(2026, 11, 23, 9))
    for n in range(3):
        receive(desk, version, applicant=applicant(
            name=f"Nguyễn Thị Hồng Nhung {n}",
            address="Thôn Phùng Lâm, xã Hướng Phùng, tỉnh Quảng Trị",
        ))  # fmt: skip
    client.force_login(desk_officer)
    pdf = client.get("/can-bo/ho-so/so-theo-doi/?pdf=1").content
    save_pages(pdf, "form-07")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    right_edges = []

    def where(text, cm, tm, font, size):
        if text.strip():  # x of the text in page space, and a generous width per glyph
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            right_edges.append(x + 0.5 * size * cm[0] * len(text.strip()))

    text = page.extract_text(visitor_text=where)
    assert max(right_edges) <= width, "a column runs off the page"
    flat = re.sub(r"\s+", "", text)
    for header in ["STT", "Mãhồsơ", "TênTTHC", "Cơquanchủtrìgiảiquyết", "Hìnhthứcnhận"]:
        assert header in flat
    code = Dossier.objects.order_by("pk").first().code
    assert code in flat and "NhậntạiBộphậnmộtcửa" in flat


def test_a_long_desk_name_is_set_on_two_balanced_lines(desk, version, clock):
    """ "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" is wider than the issuer's column: it is set on two
    lines of about the same length, never with "QUẢ" alone on the second."""
    from motcua.dossiers.templatetags.papers import heading_lines

    assert heading_lines("Bộ phận tiếp nhận và trả kết quả") == (
        "BỘ PHẬN TIẾP NHẬN<br>VÀ TRẢ KẾT QUẢ"
    )
    assert heading_lines("Bộ phận một cửa") == "BỘ PHẬN MỘT CỬA"
    assert heading_lines("<b>Bộ phận</b> tiếp nhận & trả kết quả") == (
        "&lt;B&gt;BỘ PHẬN&lt;/B&gt; TIẾP<br>NHẬN &amp; TRẢ KẾT QUẢ"
    )
    Desk.objects.filter(pk=desk.pk).update(name="Bộ phận tiếp nhận và trả kết quả")
    desk.refresh_from_db()
    clock(vn(2026, 11, 23, 9))
    pdf = dossier_paper(receive(desk, version), "01").pdf()
    lines = [line.strip() for line in pdf_text(pdf)[0].splitlines()]
    assert "QUẢ" not in lines and not any(line.startswith("QUẢ ") for line in lines), lines[:8]
