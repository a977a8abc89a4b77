"""Desk, inbox, dossier and papers through HTTP, with named actors (SPEC §3)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import DeskNotice, Dossier, Status
from motcua.dossiers.tests.factories import PDF, PNG, receive, vn


@pytest.fixture
def dossier(version, desk, desk_officer):
    return receive(
        desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10), files=[("to-khai.pdf", PDF)]
    )


def receive_post(client, version, **overrides):
    doc = version.documents.get()
    data = {
        "applicant_type": 1,
        "applicant_name": "Trần Thị Bích",
        "applicant_id_number": "001203004005",
        "applicant_phone": "0987654321",
        "applicant_email": "",
        "applicant_address": "Xóm 2",
        "deciding_agency": "",
        "result_delivery": "desk",
        "sets_received": 1,
        f"doc_{doc.pk}": "1",
        f"doc_{doc.pk}_originals": "1",
        f"doc_{doc.pk}_copies": "0",
        "outcome": "receive",
        "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PNG)],
    }
    data.update(overrides)
    url = reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}"
    return client.post(url, data)


def test_desk_receives_a_dossier_with_two_attachments(client, desk_officer, version, commune):
    client.force_login(desk_officer)
    response = receive_post(client, version, deciding_agency=commune.pk)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{dossier.code}/")
    assert dossier.attachments.count() == 2 and dossier.documents.count() == 1
    page = client.get(response["Location"])
    assert dossier.code in page.text and "Giấy tiếp nhận hồ sơ" in page.text


def test_bad_id_number_shows_a_vietnamese_message_and_saves_nothing(
    client, desk_officer, version, commune
):
    client.force_login(desk_officer)
    response = receive_post(client, version, deciding_agency=commune.pk, applicant_id_number="12ab")
    assert response.status_code == 200
    assert "12 chữ số" in response.text and "Hồ sơ chưa được lưu" in response.text
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_name", "N" * 256),
        ("applicant_address", "Đ" * 501),
        ("applicant_email", "a" * 250 + "@b.vn"),
        ("applicant_name", "Trần\x00Bích"),
        ("applicant_address", "Xóm\x002"),
    ],
)
def test_overlong_or_nul_fields_are_form_errors_and_save_nothing(
    client, desk_officer, version, commune, field, value
):
    client.force_login(desk_officer)
    response = receive_post(client, version, deciding_agency=commune.pk, **{field: value})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Dossier.objects.exists()


def test_incomplete_dossier_gives_form_02_and_receives_nothing(
    client, desk_officer, version, commune
):
    client.force_login(desk_officer)
    response = receive_post(
        client,
        version,
        deciding_agency=commune.pk,
        outcome="complete",
        items="Giấy chứng sinh\nCCCD của mẹ",
        reason="Thiếu giấy tờ",
        applicant_phone="0987 654.321",
    )
    notice = DeskNotice.objects.get()
    assert notice.items == ["Giấy chứng sinh", "CCCD của mẹ"]
    assert notice.applicant_phone == "0987654321"  # as a dossier stores it
    assert not Dossier.objects.exists()
    paper = client.get(response["Location"])
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in paper.text and "CCCD của mẹ" in paper.text


def test_only_desk_officers_receive(client, specialist, version):
    client.force_login(specialist)
    assert client.get(reverse("dossiers:receive")).status_code == 403


@pytest.mark.parametrize("actor", ["desk_officer", "leader"])
def test_allowed_officers_see_the_dossier(client, dossier, actor, request):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 200


def test_outsider_gets_404_everywhere(client, dossier, other_agency_officer):
    client.force_login(other_agency_officer)
    attachment = dossier.attachments.get()
    for url in [
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:attachment", args=[dossier.code, attachment.pk]),
        reverse("dossiers:paper", args=[dossier.code, "01"]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("dossiers:act", args=[dossier.code]),
        {"action": "withdraw", "version": 1, "note": "x"},
    )
    assert response.status_code == 404
    assert Dossier.objects.get().status == Status.RECEIVED


def test_anonymous_is_sent_to_log_in(client, dossier):
    response = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_specialist_sees_the_dossier_once_it_reaches_their_unit(
    client, dossier, desk_officer, specialist
):
    client.force_login(specialist)
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 404
    client.force_login(desk_officer)
    client.post(reverse("dossiers:act", args=[dossier.code]), {"action": "forward", "version": 1})
    client.force_login(specialist)
    assert client.get(reverse("dossiers:detail", args=[dossier.code])).status_code == 200
    inbox = client.get(reverse("dossiers:inbox"))
    assert dossier.code in inbox.text


def test_stale_page_gets_a_reload_message(client, dossier, desk_officer):
    client.force_login(desk_officer)
    url = reverse("dossiers:act", args=[dossier.code])
    client.post(url, {"action": "forward", "version": 1})
    response = client.post(url, {"action": "withdraw", "version": 1, "note": "Rút"}, follow=True)
    assert "vừa được người khác thay đổi" in response.text
    assert Dossier.objects.get().status == Status.PROCESSING


def test_attachment_is_served_to_the_desk(client, dossier, desk_officer):
    client.force_login(desk_officer)
    attachment = dossier.attachments.get()
    response = client.get(reverse("dossiers:attachment", args=[dossier.code, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert "to-khai.pdf" in response["Content-Disposition"]


def test_receipt_pdf_has_diacritics_and_a_qr_code_to_the_lookup(
    client, dossier, desk_officer, settings
):
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    client.force_login(desk_officer)
    response = client.get(reverse("dossiers:paper", args=[dossier.code, "01"]), {"pdf": 1})
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Nguyễn Văn An",
        dossier.code,
        "10 giờ 00 phút, ngày 12/11/2026",
        "Độc lập - Tự do - Hạnh phúc",
    ]:
        assert expected in text
    image = pypdfium2.PdfDocument(response.content)[0].render(scale=3).to_pil()
    decoded = zxingcpp.read_barcodes(image)
    assert decoded, "no QR code found on the receipt"
    url = decoded[0].text
    assert url.startswith(settings.PUBLIC_BASE_URL + "/tra-cuu/?t=")
    assert "tthc=1.001193" in url and "giay=01" in url and "dd=%2A%2A" in url
    # The QR opens the public page without typing anything.
    path = url.removeprefix(settings.PUBLIC_BASE_URL)
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and dossier.code in page.text


def test_register_exports_csv(client, dossier, desk_officer):
    client.force_login(desk_officer)
    response = client.get(reverse("dossiers:register"), {"csv": 1})
    assert response["Content-Type"].startswith("text/csv")
    assert dossier.code in b"".join(response.streaming_content).decode("utf-8-sig")


def test_inbox_query_count_does_not_grow(
    client, version, desk, desk_officer, django_assert_max_num_queries
):
    client.force_login(desk_officer)
    receive(desk, version, at=vn(2026, 11, 9, 10))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dossiers:inbox"))
    for hour in range(8, 16):
        receive(desk, version, at=vn(2026, 11, 10, hour))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dossiers:inbox"))


# --- public look-up ----------------------------------------------------------------------


def test_public_lookup_by_code_and_last_four_digits(client, dossier):
    response = client.get(reverse("portal:lookup"), {"code": dossier.code, "verify": "5678"})
    assert response.status_code == 200
    assert "Đã tiếp nhận" in response.text
    assert "Nguyễn Văn An" not in response.text and "0912345678" not in response.text


def test_public_lookup_same_404_for_wrong_code_and_wrong_verify(client, dossier):
    wrong_verify = client.get(reverse("portal:lookup"), {"code": dossier.code, "verify": "0000"})
    wrong_code = client.get(reverse("portal:lookup"), {"code": "X-1", "verify": "5678"})
    assert wrong_verify.status_code == wrong_code.status_code == 404
    # The same message: nothing tells a guesser that the code exists.
    assert wrong_verify.context["error"] == wrong_code.context["error"]


def test_public_lookup_is_rate_limited(client, dossier, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_LOOKUP_PER_MINUTE = 3
    codes = [
        client.get(reverse("portal:lookup"), {"code": "x", "verify": "1234"}).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def test_dossier_due_within_a_working_day_is_flagged(client, version, desk, desk_officer):
    from motcua import clock
    from motcua.workcalendar.calendar import add_working_time

    soon = receive(desk, version)  # received now: due in 3 working days
    Dossier.objects.filter(pk=soon.pk).update(due_at=add_working_time(clock.now(), hours=4))
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:detail", args=[soon.code]))
    assert "Sắp đến hạn" in page.text
    Dossier.objects.filter(pk=soon.pk).update(due_at=add_working_time(clock.now(), days=3))
    assert "Sắp đến hạn" not in client.get(reverse("dossiers:detail", args=[soon.code])).text


def test_counters_stop_at_a_cap(client, version, desk, desk_officer, monkeypatch):
    from motcua.dossiers import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for hour in (8, 9, 10):
        receive(desk, version, at=vn(2026, 11, 10, hour))
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:inbox"))
    assert page.context["counts"]["unit"] == "2+"
    assert len(page.context["dossiers"]) == 3


def test_menu_shows_waiting_and_overdue_counters(client, version, desk, desk_officer):
    receive(desk, version, at=vn(2026, 11, 2, 10))  # due 5/11: overdue by now
    client.force_login(desk_officer)
    page = client.get("/")
    assert page.context["menu_waiting"]() == "1" and page.context["menu_overdue"]() == "1"
    assert 'id="menu-inbox"' in page.text


def test_too_big_a_scan_is_refused_with_a_message(client, desk_officer, version, commune,
                                                   settings):  # fmt: skip
    settings.ATTACHMENT_MAX_MB = 0  # every file is too big
    client.force_login(desk_officer)
    response = receive_post(client, version, deciding_agency=commune.pk)
    assert response.status_code == 200
    assert "lớn hơn 0 MB" in response.text
    assert not Dossier.objects.exists()


def test_send_notifications_command_delivers_the_outbox(version, desk, settings, tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    receive(desk, version)
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "Đã gửi 2, lỗi 0" in out.getvalue()
    assert "da duoc tiep nhan" in (tmp_path / "outbox" / "messages.jsonl").read_text()


def test_the_same_receiving_form_sent_twice_makes_one_dossier(client, desk_officer, version):
    client.force_login(desk_officer)
    first = receive_post(client, version, submission="form-1")
    again = receive_post(client, version, submission="form-1")
    dossier = Dossier.objects.get()
    assert first["Location"] == again["Location"] == reverse("dossiers:detail", args=[dossier.code])
    assert "đã được tiếp nhận trước đó" in client.get(again["Location"]).text
    assert receive_post(client, version, submission="form-2").status_code == 302
    assert Dossier.objects.count() == 2


def test_each_receiving_form_carries_its_own_key(client, desk_officer, version):
    client.force_login(desk_officer)
    url = reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}"
    keys = [client.get(url, follow=True).context["form"]["submission"].value() for _ in range(2)]
    assert keys[0] and keys[0] != keys[1]


def test_the_key_of_a_receiving_form_is_in_its_address_so_back_sends_the_same(
    client, desk_officer, version
):
    """Back returns to the form's address; asked again, the server gives the same key."""
    client.force_login(desk_officer)
    opened = client.get(reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}")
    assert opened.status_code == 302 and "phien=" in opened["Location"]
    key = opened["Location"].split("phien=")[1]
    shown = [client.get(opened["Location"]).context["form"]["submission"].value() for _ in "12"]
    assert shown == [key, key]


def test_staff_pages_speak_english_and_papers_stay_vietnamese(client, desk_officer, dossier):
    client.force_login(desk_officer)
    client.cookies["django_language"] = "en"
    inbox = client.get(reverse("dossiers:inbox"))
    assert "Dossiers to handle" in inbox.text and "Hồ sơ cần xử lý" not in inbox.text
    page = client.get(reverse("dossiers:detail", args=[dossier.code]))
    assert "Processing log" in page.text and "Receipt and appointment for the result" in page.text
    assert "Nhật ký xử lý" not in page.text
    paper = client.get(reverse("dossiers:paper", args=[dossier.code, "01"]))
    assert "Giấy tiếp nhận hồ sơ" in paper.text.replace("\n", " ")
    assert "Receipt and appointment" not in paper.text


def test_no_deciding_agency_picked_means_the_desks_own(client, desk_officer, version, desk):
    client.force_login(desk_officer)
    assert receive_post(client, version, deciding_agency="").status_code == 302
    assert Dossier.objects.get().deciding_agency == desk.agency


def test_errors_follow_the_officers_language(client, desk_officer, version, commune):
    client.force_login(desk_officer)
    client.cookies["django_language"] = "en"
    response = receive_post(client, version, deciding_agency=commune.pk, applicant_id_number="1")
    assert "A personal ID number (CCCD) has exactly 12 digits." in response.text
    assert "The dossier was not saved." in response.text and not Dossier.objects.exists()


def test_the_register_pages_instead_of_stopping_and_its_csv_has_every_row(
    client, desk_officer, version, desk, monkeypatch, clock
):
    from motcua.dossiers import views

    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 2)
    clock(vn(2026, 11, 23, 9))
    codes = [receive(desk, version, at=vn(2026, 11, 20, 8 + i)).code for i in range(5)]
    client.force_login(desk_officer)
    url = reverse("dossiers:register")
    pages = [client.get(url, {"trang": n}) for n in (1, 2, 3)]
    shown = [d.code for page in pages for d in page.context["rows"]]
    assert shown == codes  # every row, in order of receipt, once
    assert "Trang 3/3" in pages[2].text
    numbers = pages[1].context["first_number"]
    assert numbers == 3  # the register's row numbers go on from page to page
    assert client.get(url, {"trang": "999999999999999999999"}).status_code == 200
    csv_rows = b"".join(client.get(url, {"csv": 1}).streaming_content).decode("utf-8-sig")
    assert all(code in csv_rows for code in codes)


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x.vn","Bấm")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3"]
)
def test_the_register_csv_never_carries_a_formula(client, desk_officer, version, desk, name):
    from motcua.dossiers.tests.factories import applicant

    receive(desk, version, applicant=applicant(name=name, phone=""))
    client.force_login(desk_officer)
    response = client.get(reverse("dossiers:register"), {"csv": 1})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    import csv as csvlib

    cells = [cell for row in csvlib.reader(io.StringIO(text)) for cell in row]
    assert "'" + name in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_note_longer_than_the_apis_is_refused_on_the_page_too(client, dossier, desk_officer):
    """The trace keeps a note for ever and form 06 prints it: the page takes what the API
    takes (NOTE_MAX_LENGTH), no more — a 3 MB note once stalled form 06 for minutes."""
    from motcua.dossiers.services.actions import NOTE_MAX_LENGTH

    client.force_login(desk_officer)
    url = reverse("dossiers:act", args=[dossier.code])
    events = dossier.events.count()
    answer = client.post(
        url, {"action": "forward", "version": 1, "note": "x" * (NOTE_MAX_LENGTH + 1)}
    )
    assert answer.status_code == 400
    assert "tối đa 4000 ký tự" in answer.text
    dossier.refresh_from_db()
    assert (dossier.version, dossier.events.count()) == (1, events)
    client.post(url, {"action": "forward", "version": 1, "note": "x" * NOTE_MAX_LENGTH})
    dossier.refresh_from_db()
    assert dossier.version == 2
