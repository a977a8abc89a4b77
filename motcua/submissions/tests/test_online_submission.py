"""Online submission from the citizen's side (issue 10, item 3): the step-by-step form, drafts,
the review, submit → DVCQG 1 with an acknowledgement; the desk's check (accept, ask to
complete online, refuse) and the citizen completing it; bad input changes nothing."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.factories import PDF, PNG, act, pdf_bytes, vn
from motcua.notifications.models import Notification
from motcua.submissions.models import Draft, DraftFile

APPLICANT = {
    "applicant_type": "1",
    "applicant_name": "Nguyễn Văn Dân",
    "applicant_id_number": "079123456789",
    "applicant_phone": "0912345678",
    "applicant_email": "dan@example.vn",
    "applicant_address": "Thôn 2, xã An Bình",
}


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def start(client, version, commune) -> Draft:
    response = client.post(
        reverse("portal:submit_start", args=[version.pk]), {"agency": commune.pk}
    )
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:draft_applicant", args=[draft.uid])
    return draft


def documents(version):
    return list(version.documents.order_by("order", "pk"))


def fill(client, version, commune, *, delivery="online") -> Draft:
    """Every step of the form, as a citizen goes through it."""
    draft = start(client, version, commune)
    step = client.post(reverse("portal:draft_applicant", args=[draft.uid]), APPLICANT)
    assert step["Location"] == reverse("portal:draft_documents", args=[draft.uid])
    tokhai, chungsinh, _optional = documents(version)
    step = client.post(
        reverse("portal:draft_documents", args=[draft.uid]),
        {
            f"doc_{tokhai.pk}": upload("to-khai.pdf", PDF),
            f"doc_{chungsinh.pk}": upload("chung-sinh.png", PNG, "image/png"),
            "go": "next",
        },
    )
    assert step["Location"] == reverse("portal:draft_delivery", args=[draft.uid])
    step = client.post(
        reverse("portal:draft_delivery", args=[draft.uid]), {"result_delivery": delivery}
    )
    assert step["Location"] == reverse("portal:draft_review", args=[draft.uid])
    return draft


@pytest.fixture
def as_citizen(client, citizen):
    client.force_login(citizen)
    return client


def test_a_citizen_submits_online_step_by_step(
    as_citizen, version, commune, desk, clock, django_capture_on_commit_callbacks
):
    clock(vn(2026, 11, 23, 20, 15))  # an evening at home
    draft = fill(as_citizen, version, commune)
    review = as_citizen.get(reverse("portal:draft_review", args=[draft.uid]))
    assert "to-khai.pdf" in review.text and "chung-sinh.png" in review.text
    assert "Chưa nộp được" not in review.text

    with django_capture_on_commit_callbacks(execute=True):  # the drafts' files deleted then
        response = as_citizen.post(reverse("portal:draft_review", args=[draft.uid]))

    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("portal:online_dossier", args=[dossier.ref])
    assert (dossier.status, dossier.dvcqg_status, dossier.channel) == (Status.SUBMITTED, 1, 2)
    assert dossier.code is None and dossier.received_at is None and dossier.due_at is None
    assert dossier.submitted_at == vn(2026, 11, 23, 20, 15)
    assert dossier.receiving_desk == desk and dossier.applicant_user.username == "dan"
    assert (dossier.applicant_name, dossier.result_delivery) == ("Nguyễn Văn Dân", "online")
    papers = dict(dossier.attachments.values_list("document_name", "original_name"))
    assert papers == {
        "Tờ khai đăng ký khai sinh": "to-khai.pdf",
        "Giấy chứng sinh": "chung-sinh.png",
    }
    assert sorted(dossier.documents.values_list("name", flat=True)) == [
        "Giấy chứng sinh",
        "Tờ khai đăng ký khai sinh",
    ]
    # The acknowledgement, through the outbox, by SMS and e-mail.
    ack = Notification.objects.filter(kind="submitted", about=f"dossier:{dossier.uid}")
    assert sorted(ack.values_list("medium", "recipient")) == [
        ("email", "dan@example.vn"),
        ("sms", "0912345678"),
    ]
    # The draft keeps only the dossier it became; its files moved into the dossier.
    draft.refresh_from_db()
    assert draft.dossier == dossier and draft.applicant == {} and not DraftFile.objects.exists()
    assert len(stored_files()) == 2 and all("drafts" not in str(p) for p in stored_files())
    page = as_citizen.get(response["Location"])
    assert "đang chờ kiểm tra, tiếp nhận" in page.text


def test_the_same_draft_submitted_twice_makes_one_dossier(as_citizen, version, commune, desk):
    draft = fill(as_citizen, version, commune)
    url = reverse("portal:draft_review", args=[draft.uid])
    first = as_citizen.post(url)
    again = as_citizen.post(url)
    assert Dossier.objects.count() == 1
    assert first["Location"] == again["Location"]
    assert Notification.objects.filter(kind="submitted").count() == 2  # SMS + e-mail, once


def test_a_draft_is_saved_and_resumed_later(as_citizen, version, commune, desk):
    draft = start(as_citizen, version, commune)
    left = as_citizen.post(
        reverse("portal:draft_applicant", args=[draft.uid]), {**APPLICANT, "go": "leave"}
    )
    assert left["Location"] == reverse("portal:drafts")
    listed = as_citizen.get(reverse("portal:drafts"))
    assert reverse("portal:draft_applicant", args=[draft.uid]) in listed.text
    again = as_citizen.get(reverse("portal:draft_applicant", args=[draft.uid]))
    assert 'value="Nguyễn Văn Dân"' in again.text  # as typed before
    resumed = as_citizen.get(reverse("portal:submit_start", args=[version.pk]))
    assert "Hồ sơ nháp đang làm dở" in resumed.text


def test_an_incomplete_draft_submits_nothing(as_citizen, version, commune, desk):
    draft = start(as_citizen, version, commune)
    as_citizen.post(reverse("portal:draft_applicant", args=[draft.uid]), APPLICANT)
    tokhai = documents(version)[0]
    as_citizen.post(
        reverse("portal:draft_documents", args=[draft.uid]),
        {f"doc_{tokhai.pk}": upload("to-khai.pdf", PDF), "go": "upload"},
    )
    # Giấy chứng sinh missing, no way of receiving the result chosen: nothing is sent.
    response = as_citizen.post(reverse("portal:draft_review", args=[draft.uid]), follow=True)
    assert not Dossier.objects.exists() and not Notification.objects.exists()
    assert "Chưa tải lên: Giấy chứng sinh" in response.text
    assert "Chọn cách nhận kết quả." in response.text
    draft.refresh_from_db()
    assert draft.dossier is None and draft.files.count() == 1  # the draft as it was


def test_post_delivery_needs_an_address(as_citizen, version, commune, desk):
    draft = start(as_citizen, version, commune)
    url = reverse("portal:draft_delivery", args=[draft.uid])
    refused = as_citizen.post(url, {"result_delivery": "post", "delivery_address": " "})
    assert refused.status_code == 200 and "cần địa chỉ nhận" in refused.text
    draft.refresh_from_db()
    assert draft.result_delivery == ""
    as_citizen.post(url, {"result_delivery": "post", "delivery_address": "Số 5, thôn 2"})
    draft.refresh_from_db()
    assert (draft.result_delivery, draft.delivery_address) == ("post", "Số 5, thôn 2")


def test_a_disguised_file_is_refused_and_nothing_is_stored(as_citizen, version, commune, desk):
    draft = start(as_citizen, version, commune)
    tokhai, chungsinh, _optional = documents(version)
    response = as_citizen.post(
        reverse("portal:draft_documents", args=[draft.uid]),
        {
            f"doc_{tokhai.pk}": upload("to-khai.pdf", PDF),  # fine, but not kept alone
            f"doc_{chungsinh.pk}": upload("chung-sinh.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            "go": "next",
        },
    )
    assert response.status_code == 400
    assert "không phải PDF, JPEG, PNG" in response.text and "chung-sinh.pdf" in response.text
    assert not DraftFile.objects.exists() and stored_files() == []


def test_a_pdf_with_javascript_is_refused(as_citizen, version, commune, desk):
    draft = start(as_citizen, version, commune)
    tokhai = documents(version)[0]
    active = pdf_bytes(catalog="/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")
    response = as_citizen.post(
        reverse("portal:draft_documents", args=[draft.uid]),
        {f"doc_{tokhai.pk}": upload("to-khai.pdf", active), "go": "upload"},
    )
    assert response.status_code == 400 and "mã JavaScript" in response.text
    assert not DraftFile.objects.exists() and stored_files() == []


def test_an_oversize_file_is_refused_and_nothing_is_stored(
    as_citizen, version, commune, desk, settings
):
    settings.ATTACHMENT_MAX_MB = 1
    draft = start(as_citizen, version, commune)
    tokhai = documents(version)[0]
    page = as_citizen.get(reverse("portal:draft_documents", args=[draft.uid]))
    assert 'data-max-bytes="1048576"' in page.text and "tối đa 1 MB" in page.text  # told first
    big = pdf_bytes(padding=1024 * 1024)
    response = as_citizen.post(
        reverse("portal:draft_documents", args=[draft.uid]),
        {f"doc_{tokhai.pk}": upload("to-khai.pdf", big), "go": "upload"},
    )
    assert response.status_code == 400 and "lớn hơn 1 MB" in response.text
    assert not DraftFile.objects.exists() and stored_files() == []


def test_a_new_upload_replaces_the_old_file(
    as_citizen, version, commune, desk, django_capture_on_commit_callbacks
):
    draft = start(as_citizen, version, commune)
    tokhai = documents(version)[0]
    url = reverse("portal:draft_documents", args=[draft.uid])
    as_citizen.post(url, {f"doc_{tokhai.pk}": upload("cu.pdf", PDF), "go": "upload"})
    with django_capture_on_commit_callbacks(execute=True):
        as_citizen.post(
            url, {f"doc_{tokhai.pk}": upload("moi.png", PNG, "image/png"), "go": "upload"}
        )
    assert list(DraftFile.objects.values_list("original_name", flat=True)) == ["moi.png"]
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        as_citizen.post(url, {"remove": tokhai.pk})
    assert not DraftFile.objects.exists() and stored_files() == []


def test_another_citizens_draft_and_dossier_are_404(
    client, citizen, other_citizen, version, commune, desk
):
    client.force_login(citizen)
    draft = fill(client, version, commune)
    client.post(reverse("portal:draft_review", args=[draft.uid]))
    dossier = Dossier.objects.get()
    other_draft = start_as(client, other_citizen, version, commune)
    client.force_login(other_citizen)
    for name in ("draft_applicant", "draft_documents", "draft_delivery", "draft_review"):
        assert client.get(reverse(f"portal:{name}", args=[draft.uid])).status_code == 404
    assert client.post(reverse("portal:draft_review", args=[draft.uid])).status_code == 404
    assert client.post(reverse("portal:draft_delete", args=[draft.uid])).status_code == 404
    for name in ("online_dossier", "complete", "result_file"):
        for ref in (dossier.ref, dossier.uid.hex):
            assert client.get(reverse(f"portal:{name}", args=[ref])).status_code == 404
    assert client.get(reverse("portal:draft_review", args=[other_draft.uid])).status_code == 200
    assert Draft.objects.count() == 2 and Dossier.objects.count() == 1


def start_as(client, user, version, commune) -> Draft:
    client.force_login(user)
    client.post(reverse("portal:submit_start", args=[version.pk]), {"agency": commune.pk})
    return Draft.objects.filter(user=user).get()


def test_only_a_citizen_submits(client, desk_officer, version, commune, desk):
    url = reverse("portal:submit_start", args=[version.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    client.force_login(desk_officer)
    assert client.post(url, {"agency": commune.pk}).status_code == 403
    assert not Draft.objects.exists()


def test_a_procedure_not_submitted_online_has_no_form(as_citizen, levels, commune, desk):
    from motcua.catalog.models import Procedure
    from motcua.catalog.tests.factories import procedure_record, publish

    publish(procedure_record("1.000001", name="Chứng thực bản sao", online_level="none"))
    direct = Procedure.objects.get(code="1.000001").current_version
    assert as_citizen.get(reverse("portal:submit_start", args=[direct.pk])).status_code == 404
    assert as_citizen.get(reverse("portal:submit_start", args=[999999])).status_code == 404


def test_a_superseded_version_leads_to_the_current_one(as_citizen, version, commune, desk):
    from motcua.catalog.models import Procedure
    from motcua.catalog.tests.factories import procedure_record, publish

    publish(procedure_record("1.001193", processing_time="5"))
    current = Procedure.objects.get(code="1.001193").current_version
    assert current.pk != version.pk
    response = as_citizen.get(reverse("portal:submit_start", args=[version.pk]))
    assert response["Location"] == reverse("portal:submit_start", args=[current.pk])


# --- the desk's check ---------------------------------------------------------------------


def submitted(client, version, commune, *, delivery="online") -> Dossier:
    draft = fill(client, version, commune, delivery=delivery)
    client.post(reverse("portal:draft_review", args=[draft.uid]))
    return Dossier.objects.get()


def test_the_desk_sees_it_in_its_inbox_and_accepting_starts_the_clock(
    client, citizen, desk_officer, version, commune, desk, clock
):
    clock(vn(2026, 11, 21, 22, 0))  # submitted on a Saturday night
    client.force_login(citizen)
    dossier = submitted(client, version, commune)
    client.force_login(desk_officer)
    inbox = client.get(reverse("dossiers:inbox"))
    assert reverse("dossiers:detail", args=[dossier.ref]) in inbox.text
    assert "Trực tuyến" in inbox.text
    clock(vn(2026, 11, 23, 9, 30))
    response = client.post(
        reverse("dossiers:act", args=[dossier.ref]), {"action": "accept", "version": 1}
    )
    dossier.refresh_from_db()
    assert response.status_code == 302 and dossier.status == Status.RECEIVED
    assert dossier.received_at == vn(2026, 11, 23, 9, 30)  # the clock starts now, not Saturday
    assert dossier.due_at is not None and dossier.code.endswith("-261123-0001")
    assert Notification.objects.filter(kind="received", medium="sms").count() == 1


def test_asked_to_complete_the_citizen_sends_exactly_what_is_missing(
    client, citizen, desk_officer, version, commune, desk
):
    client.force_login(citizen)
    dossier = submitted(client, version, commune)
    client.force_login(desk_officer)
    missing = "Tờ khai có chữ ký\nGiấy chứng sinh bản chụp rõ nét"
    client.post(
        reverse("dossiers:act", args=[dossier.ref]),
        {"action": "request_completion", "version": 1, "note": "Ảnh mờ",
         "missing_documents": missing},
    )  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.awaits_completion
    asked = Notification.objects.get(kind="completion_requested", medium="email")
    assert "1. Tờ khai có chữ ký\n2. Giấy chứng sinh bản chụp rõ nét" in asked.body
    # The desk may not accept it, nor ask again, while the citizen has it.
    assert client.post(
        reverse("dossiers:act", args=[dossier.ref]), {"action": "accept", "version": 2}
    ).status_code in (302, 400)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED

    client.force_login(citizen)
    page = client.get(reverse("portal:online_dossier", args=[dossier.ref]))
    assert "Tờ khai có chữ ký" in page.text and "Giấy chứng sinh bản chụp rõ nét" in page.text
    assert "Lý do: Ảnh mờ" in page.text
    url = reverse("portal:complete", args=[dossier.ref])
    form = client.get(url)
    assert form.text.count('type="file"') == 2  # one per item, nothing else
    before = dossier.attachments.count()

    one_only = client.post(url, {"version": 2, "item_0": upload("to-khai-ky.pdf", PDF)})
    assert one_only.status_code == 400 and "Giấy chứng sinh bản chụp rõ nét" in one_only.text
    disguised = client.post(
        url,
        {"version": 2, "item_0": upload("to-khai-ky.pdf", PDF),
         "item_1": upload("chung-sinh.png", b"<html><script>x</script></html>", "image/png")},
    )  # fmt: skip
    assert disguised.status_code == 400 and "không phải PDF" in disguised.text
    assert Dossier.objects.get(pk=dossier.pk).version == 2
    assert dossier.attachments.count() == before

    done = client.post(
        url,
        {"version": 2, "item_0": upload("to-khai-ky.pdf", PDF),
         "item_1": upload("chung-sinh-ro.png", PNG, "image/png")},
    )  # fmt: skip
    assert done["Location"] == reverse("portal:online_dossier", args=[dossier.ref])
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.dvcqg_status == 1  # status stays 1
    assert not dossier.awaits_completion and dossier.completion_count == 1
    added = dossier.attachments.order_by("-pk")[:2]
    assert {(a.document_name, a.original_name) for a in added} == {
        ("Tờ khai có chữ ký", "to-khai-ky.pdf"),
        ("Giấy chứng sinh bản chụp rõ nét", "chung-sinh-ro.png"),
    }
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert (last.action, last.actor.username) == ("resubmit", "dan")
    # Back at the desk, which may now accept it.
    client.force_login(desk_officer)
    client.post(reverse("dossiers:act", args=[dossier.ref]), {"action": "accept", "version": 3})
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_refused_with_a_reason_the_citizen_sees_why(
    client, citizen, desk_officer, version, commune, desk
):
    client.force_login(citizen)
    dossier = submitted(client, version, commune)
    client.force_login(desk_officer)
    without = client.post(
        reverse("dossiers:act", args=[dossier.ref]), {"action": "refuse", "version": 1}
    )
    assert without.status_code in (302, 400)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED  # a reason is needed
    client.post(
        reverse("dossiers:act", args=[dossier.ref]),
        {"action": "refuse", "version": 1, "note": "Không thuộc thẩm quyền của xã"},
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and dossier.dvcqg_status == 3
    client.force_login(citizen)
    page = client.get(reverse("portal:online_dossier", args=[dossier.ref]))
    assert "Không thuộc thẩm quyền của xã" in page.text


def test_the_desk_receives_a_dossier_brought_by_post(client, desk_officer, version, commune):
    client.force_login(desk_officer)
    tokhai, chungsinh, _optional = documents(version)
    response = client.post(
        reverse("dossiers:receive") + f"?thu_tuc={version.procedure.code}",
        {**APPLICANT, "channel": "3", "result_delivery": "post",
         "delivery_address": "Số 5, thôn 2", "deciding_agency": commune.pk,
         "sets_received": 1, "outcome": "receive",
         f"doc_{tokhai.pk}": "1", f"doc_{tokhai.pk}_originals": "1",
         f"doc_{tokhai.pk}_copies": "0",
         f"doc_{chungsinh.pk}": "1", f"doc_{chungsinh.pk}_originals": "1",
         f"doc_{chungsinh.pk}_copies": "0"},
    )  # fmt: skip
    dossier = Dossier.objects.get()
    assert response.status_code == 302, response.content
    assert (dossier.channel, dossier.status, dossier.dvcqg_status) == (3, Status.RECEIVED, 2)
    page = client.get(reverse("dossiers:detail", args=[dossier.ref]))
    assert dossier.get_channel_display() in page.text


def test_act_on_an_online_dossier_by_the_applicant_is_only_resubmit(
    citizen, desk_officer, version, commune, desk, client
):
    from motcua.dossiers import access

    client.force_login(citizen)
    dossier = submitted(client, version, commune)
    dan = access.actor_for_user(citizen)
    assert access.allowed_actions(dan, dossier) == []
    asked = act(dossier, "request_completion", desk_officer, missing_documents=["Tờ khai"])
    assert access.allowed_actions(dan, asked) == ["resubmit"]


def test_a_document_id_that_is_not_one_changes_nothing(as_citizen, version, commune, desk):
    """'²' passes str.isdigit() and 30 digits overflow the database's integer: neither is an
    id the form sends, so neither is a 500."""
    draft = start(as_citizen, version, commune)
    tokhai = documents(version)[0]
    url = reverse("portal:draft_documents", args=[draft.uid])
    as_citizen.post(url, {f"doc_{tokhai.pk}": upload("cu.pdf", PDF), "go": "upload"})
    for odd in ("²", "9" * 30):
        assert as_citizen.post(url, {"remove": odd}).status_code < 500
        answer = as_citizen.post(url, {f"doc_{odd}": upload("x.pdf", PDF), "go": "upload"})
        assert answer.status_code < 500
    assert list(DraftFile.objects.values_list("original_name", flat=True)) == ["cu.pdf"]


# --- abandoned drafts ----------------------------------------------------------------------


def test_abandoned_drafts_are_deleted_with_their_files_never_a_dossiers(
    as_citizen, citizen, version, commune, desk, clock, capsys, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from motcua.dossiers.files import IncomingFile
    from motcua.submissions.services import draft_files_put, draft_start

    clock(vn(2026, 10, 1, 9))
    dossier = submitted(as_citizen, version, commune)  # its draft is kept, its files moved
    kept_by_dossier = {a.file.name for a in dossier.attachments.all()}
    assert kept_by_dossier

    def left_with_a_file() -> Draft:
        draft = draft_start(user=citizen, version=version, agency=commune)
        draft_files_put(draft=draft, uploads={documents(version)[0].pk: IncomingFile("a.pdf", PDF)})
        return draft

    abandoned = left_with_a_file()
    clock(vn(2026, 10, 20, 9))
    recent = left_with_a_file()
    files_of = {d.pk: {f.file.name for f in d.files.all()} for d in (abandoned, recent)}
    clock(vn(2026, 11, 1, 9))  # 31 days after the first, 12 after the second
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_abandoned_drafts")
    assert "Đã xóa 1 hồ sơ nháp" in capsys.readouterr().out
    assert set(Draft.objects.values_list("pk", flat=True)) == {
        Draft.objects.get(dossier=dossier).pk,
        recent.pk,
    }
    on_disk = {str(p.relative_to(settings.MEDIA_ROOT)) for p in stored_files()}
    assert not files_of[abandoned.pk] & on_disk
    assert files_of[recent.pk] <= on_disk and kept_by_dossier <= on_disk
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_abandoned_drafts", days=10)
    assert set(Draft.objects.values_list("pk", flat=True)) == {
        Draft.objects.get(dossier=dossier).pk
    }
    assert kept_by_dossier <= {str(p.relative_to(settings.MEDIA_ROOT)) for p in stored_files()}
