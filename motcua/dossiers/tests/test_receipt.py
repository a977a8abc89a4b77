"""Receiving (SPEC §4–§6, §12): codes, due times, validation, files, keys, messages."""

import hashlib
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.agencies.models import Agency
from motcua.dossiers.access import SYSTEM, PeerSystem
from motcua.dossiers.models import Dossier, DossierCodeCounter, Status
from motcua.dossiers.services import (
    AlreadyReceived,
    IncomingFile,
    Receipt,
    SubmissionKey,
    dossier_receive,
    dossier_submit,
)
from motcua.dossiers.tests.factories import PDF, PNG, applicant, receive, vn
from motcua.notifications.models import Notification


def stored_files() -> list[str]:
    """Every file under the storage root (attachments live in dossiers/YYYY/MM/)."""
    return [str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_receipt_gets_code_due_time_and_first_step(version, desk, desk_officer, clock):
    clock(vn(2026, 11, 10, 9))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    assert dossier.code == "000.01.31.H99-261109-0001"
    assert dossier.status == Status.RECEIVED and dossier.dvcqg_status == 2
    assert dossier.due_at == vn(2026, 11, 12, 10)  # 3 working days
    assert dossier.current_step.order == 1 and dossier.current_role == "desk_officer"
    assert dossier.step_due_at == vn(2026, 11, 9, 13, 30)  # 2 h, over lunch
    second = receive(desk, version, at=vn(2026, 11, 9, 11))
    assert second.code.endswith("-0002")
    next_day = receive(desk, version, at=vn(2026, 11, 10, 8))
    assert next_day.code == "000.01.31.H99-261110-0001"  # the serial restarts each day


def test_national_code_format(version, desk, clock):
    clock(vn(2026, 11, 10, 9))
    Agency.objects.filter(pk=desk.agency_id).update(dossier_code_format="national")
    desk.agency.refresh_from_db()
    assert receive(desk, version, at=vn(2026, 11, 9, 10)).code.endswith("-261109-AA0001")


def test_every_status_maps_to_one_dvcqg_code():
    from motcua.dossiers.models import DVCQG_STATUS

    assert set(DVCQG_STATUS) == set(Status)
    assert set(DVCQG_STATUS.values()) == set(range(1, 11))


def test_bad_applicant_is_refused_and_nothing_is_stored(version, desk):
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, applicant=applicant(id_number="12345", phone="abc"))
    assert "12 chữ số" in exc.value.message_dict["applicant.id_number"][0]
    assert "applicant.phone" in exc.value.message_dict
    assert not Dossier.objects.exists()


def test_business_needs_a_tax_code(version, desk):
    with pytest.raises(ValidationError, match="Mã số thuế"):
        receive(desk, version, applicant=applicant(type=2, id_number="079123456789"))
    assert receive(desk, version, applicant=applicant(type=2, id_number="0101234567")).pk


def test_files_are_checked_by_content_not_name(version, desk):
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, files=[("giay-to.pdf", b"MZ\x90\x00 not a pdf")])
    assert "không phải PDF" in exc.value.message_dict["files.0"][0]
    assert not Dossier.objects.exists()


def test_files_are_stored_with_random_names_and_sha256(version, desk):
    dossier = receive(desk, version, files=[("to-khai.pdf", PDF), ("anh.png", PNG)])
    first, second = dossier.attachments.all()
    assert first.content_type == "application/pdf" and second.content_type == "image/png"
    assert "to-khai" not in first.file.name
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.file.read() == PDF


def test_a_failed_receipt_leaves_no_file_behind(version, desk, monkeypatch):
    from motcua.dossiers.services import receipt

    def boom(*args, **kwargs):
        raise RuntimeError("mất điện")

    # The messages are made after the files are written.
    monkeypatch.setattr(receipt, "message_rows", boom)
    with pytest.raises(RuntimeError):
        receive(desk, version, files=[("a.pdf", PDF)])
    assert not Dossier.objects.exists()
    assert stored_files() == []


def test_messages_are_queued_with_the_change_and_delivered(version, desk, tmp_path):
    from motcua.notifications.channels import FileChannel
    from motcua.notifications.services import notifications_deliver

    receive(desk, version)
    assert Notification.objects.filter(kind="received").count() == 2  # SMS and e-mail
    channel = FileChannel(tmp_path / "out.jsonl")
    assert notifications_deliver(channel=channel) == (2, 0)
    assert "da duoc tiep nhan" in (tmp_path / "out.jsonl").read_text()
    assert notifications_deliver(channel=channel) == (0, 0)


def test_messages_carry_the_dossier_code_and_a_working_link(version, desk, client):
    dossier = receive(desk, version)
    about = f"dossier:{dossier.uid}"
    email, sms = Notification.objects.filter(about=about).order_by("medium")
    assert sms.medium == "sms" and f"Ho so {dossier.code} " in sms.body
    assert email.subject.startswith(f"Hồ sơ {dossier.code}: đã tiếp nhận")
    assert f"Mã hồ sơ: {dossier.code}\n" in email.body and "{code" not in email.body
    # The link in the message opens this dossier's public status (on both databases: the
    # PostgreSQL statement writes the message before the code exists).
    link = sms.body.rsplit("Tra cuu: ", 1)[1]
    page = client.get(link.removeprefix(settings.PUBLIC_BASE_URL))
    assert page.status_code == 200 and dossier.code in page.text


def test_a_version_superseded_since_it_was_read_receives_nothing(version, desk):
    from motcua.catalog.models import ProcedureVersion

    read_earlier = ProcedureVersion.objects.get(pk=version.pk)  # still "published" in memory
    ProcedureVersion.objects.filter(pk=version.pk).update(status="superseded")
    with pytest.raises(ValidationError) as refused:
        receive(desk, read_earlier, files=[("a.pdf", PDF)])
    assert "procedure" in refused.value.message_dict
    assert not Dossier.objects.exists() and not Notification.objects.exists()
    assert stored_files() == []
    ProcedureVersion.objects.filter(pk=version.pk).update(status="published")
    assert receive(desk, version).code.endswith("-0001")  # the refusal used no serial


def test_a_submission_key_receives_once(version, desk):
    def submit(request_hash="h1", files=()):
        return dossier_receive(
            desk=desk,
            procedure_version=version,
            actor=SYSTEM,
            receipt=Receipt(applicant=applicant(), files=[IncomingFile(*f) for f in files]),
            submission=SubmissionKey(sender="portal:7", key="k-1", request_hash=request_hash),
        )

    first = submit()
    with pytest.raises(AlreadyReceived) as again:
        submit(files=[("a.pdf", PDF)])
    assert again.value.dossier == first and again.value.same_request
    with pytest.raises(AlreadyReceived) as other:
        submit(request_hash="h2")
    assert not other.value.same_request
    assert Dossier.objects.count() == 1 and Notification.objects.count() == 2
    assert stored_files() == []


# --- the receipt time (SPEC §12) ----------------------------------------------------------


def test_a_receipt_time_in_the_future_is_refused(version, desk, clock):
    clock(vn(2026, 11, 10, 9))
    with pytest.raises(ValidationError) as refused:
        receive(desk, version, at=vn(2026, 11, 10, 9, 6))
    assert "tương lai" in refused.value.message_dict["received_at"][0]
    assert receive(desk, version, at=vn(2026, 11, 10, 9, 4)).pk  # other clocks differ a little
    assert Dossier.objects.count() == 1


def test_a_receipt_time_over_30_days_ago_needs_a_migration_key(version, desk, commune, clock):
    clock(vn(2026, 11, 23, 9))
    with pytest.raises(ValidationError) as refused:
        receive(desk, version, at=vn(2026, 10, 23, 8, 59))
    assert "30 ngày" in refused.value.message_dict["received_at"][0]
    assert not Dossier.objects.exists()
    assert receive(desk, version, at=vn(2026, 10, 24, 9)).pk
    migration = PeerSystem(
        key_id=1, name="Chuyển dữ liệu", agency_id=commune.pk,
        agency_ids=frozenset({commune.pk}), may_backdate=True,
    )  # fmt: skip
    assert receive(desk, version, actor=migration, at=vn(2019, 5, 6, 9)).code.endswith(
        "-190506-0001"
    )


def test_a_code_a_century_apart_never_clashes(desk, commune):
    """1926 and 2026 write the same YYMMDD: one counter row for both (a backdated receipt once
    took 2026's codes and blocked an agency's receipts for a day)."""
    from datetime import date

    from motcua.dossiers.codes import code_allocate, code_day

    assert code_day(date(1926, 11, 23)) == code_day(date(2026, 11, 23)) == "261123"
    # Serials a 1926 receipt took for "261123" (an import, under the migration key)…
    DossierCodeCounter.objects.create(agency=commune, code_day="261123", last=7)
    # …are never given again on 23/11/2026.
    assert code_allocate(agency=commune, received_at=vn(2026, 11, 23, 8)).endswith("-0008")


def test_a_receipt_time_outside_the_calendar_is_refused(version, desk, commune):
    migration = PeerSystem(
        key_id=1, name="Chuyển dữ liệu", agency_id=commune.pk,
        agency_ids=frozenset({commune.pk}), may_backdate=True,
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, actor=migration, at=vn(1926, 11, 23, 10))
    assert "1976" in exc.value.message_dict["received_at"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("name", 255),
        ("id_number", 20),
        ("phone", 20),
        ("email", 254),
        ("address", 500),
        ("authorised_name", 255),
        ("authorised_id_number", 20),
    ],
)
def test_applicant_details_longer_than_their_column_are_refused(version, desk, field, limit):
    """PostgreSQL would refuse them with a 500, SQLite would keep them: both refuse here."""
    value = "1" * (limit + 1) if field != "email" else "a" * limit + "@b"
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, applicant=applicant(**{field: value}))
    assert f"applicant.{field}" in exc.value.message_dict
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("field", ["name", "address", "email", "authorised_name"])
def test_applicant_details_with_a_nul_byte_are_refused(version, desk, field):
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, applicant=applicant(**{field: "Thôn\x001@b"}))
    assert "NUL" in exc.value.message_dict[f"applicant.{field}"][0]
    assert not Dossier.objects.exists()


def imported(like: Dossier, code: str) -> Dossier:
    """A dossier row put in the table some other way (an import), with ``code``."""
    row = Dossier.objects.filter(pk=like.pk).values().get()
    row.update(id=None, uid=uuid.uuid4(), code=code)
    return Dossier.objects.create(**row)


def test_a_code_already_taken_by_an_import_is_skipped(version, desk, clock):
    clock(vn(2026, 11, 23, 9))
    first = receive(desk, version, at=vn(2026, 11, 23, 8))
    for serial in ("0002", "0003"):  # imported behind the counter's back
        imported(first, first.code[:-4] + serial)
    dossier = receive(desk, version, at=vn(2026, 11, 23, 8, 30))
    assert dossier.code.endswith("-0004")
    assert receive(desk, version, at=vn(2026, 11, 23, 8, 40)).code.endswith("-0005")


def test_an_imported_code_with_odd_digits_does_not_stop_receipts(version, desk, clock):
    # "²".isdigit() is true and int("²") raises: a row like this once made every clash a 500.
    clock(vn(2026, 11, 23, 9))
    first = receive(desk, version, at=vn(2026, 11, 23, 8))
    imported(first, first.code[:-4] + "0002")
    imported(first, first.code[:-4] + "²")
    imported(first, first.code[:-4] + "١٢")
    assert receive(desk, version, at=vn(2026, 11, 23, 8, 30)).code.endswith("-0003")


# --- who receives -------------------------------------------------------------------------


def test_only_the_desks_own_officers_or_a_peer_above_receive_there(
    version, desk, other_agency_officer, specialist, commune, province, other_commune
):
    for outsider in (other_agency_officer, specialist):
        with pytest.raises(PermissionDenied):
            receive(desk, version, actor=outsider)
    every = frozenset({province.pk, commune.pk, other_commune.pk})
    above = PeerSystem(key_id=1, name="Tỉnh", agency_id=province.pk, agency_ids=every)
    beside = PeerSystem(
        key_id=2,
        name="Xã khác",
        agency_id=other_commune.pk,
        agency_ids=frozenset({other_commune.pk}),
    )
    with pytest.raises(PermissionDenied):
        receive(desk, version, actor=beside)
    assert receive(desk, version, actor=above).pk
    assert Dossier.objects.count() == 1


# --- before it is received ------------------------------------------------------------------


def test_a_dossier_submitted_online_has_no_code_or_due_time(version, desk, citizen):
    from motcua.dossiers.access import actor_for_user

    dossier = dossier_submit(
        desk=desk,
        procedure_version=version,
        actor=actor_for_user(citizen),
        receipt=Receipt(applicant=applicant(), channel=2, files=[IncomingFile("a.pdf", PDF)]),
    )
    assert dossier.status == Status.SUBMITTED and dossier.dvcqg_status == 1
    assert dossier.code is None and dossier.due_at is None and dossier.received_at is None
    assert dossier.applicant_user == citizen and dossier.attachments.count() == 1
    assert dossier.events.get().action == "submit"
    assert Notification.objects.filter(kind="submitted").count() == 2
