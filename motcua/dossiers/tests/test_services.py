"""SPEC §4–§6 through the services: receiving, the transition table, the clock, the trace."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from motcua.agencies.models import Agency
from motcua.dossiers import services
from motcua.dossiers.models import AppendOnlyError, Dossier, DossierEvent, Status
from motcua.dossiers.services import StaleDossier, TransitionRefused, audit_verify, dossier_apply
from motcua.dossiers.tests.factories import PDF, PNG, applicant, receive, vn
from motcua.notifications.models import Notification


@pytest.fixture
def clock(monkeypatch):
    """Set the services' "now" (Vietnam time)."""
    state = {}

    def set_now(moment):
        state["now"] = moment
        monkeypatch.setattr(services, "_now", lambda: state["now"])

    return set_now


def stored_files() -> list[str]:
    """Every file under the storage root (attachments live in dossiers/YYYY/MM/)."""
    from pathlib import Path

    from django.conf import settings

    return [str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def act(dossier, action, actor, **kw):
    fresh = Dossier.objects.get(pk=dossier.pk)
    return dossier_apply(
        dossier_id=dossier.pk, action=action, actor=actor, expected_version=fresh.version, **kw
    )


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


def test_national_code_format(version, desk):
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


def test_a_receipt_time_outside_the_calendar_is_refused(version, desk):
    with pytest.raises(ValidationError) as exc:
        receive(desk, version, at=vn(1975, 6, 2, 10))
    assert "1976" in exc.value.message_dict["received_at"][0]


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
    import hashlib

    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.file.read() == PDF


def test_a_failed_receipt_leaves_no_file_behind(version, desk, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("mất điện")

    from motcua.notifications import services as notifications

    # The messages are made after the files are written, on both write paths.
    monkeypatch.setattr(services, "notification_rows", boom)
    monkeypatch.setattr(notifications, "notification_rows", boom)
    with pytest.raises(RuntimeError):
        receive(desk, version, files=[("a.pdf", PDF)])
    assert not Dossier.objects.exists()
    assert stored_files() == []


def test_full_journey(version, desk, desk_officer, specialist, leader, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    assert dossier.status == Status.PROCESSING and dossier.current_unit.code == "tu-phap"
    dossier = act(dossier, "forward", specialist)
    assert dossier.current_role == "agency_leader"
    dossier = act(dossier, "forward", leader)  # approval: the result goes back to the desk
    assert dossier.status == Status.RESULT_READY and dossier.dvcqg_status == 9
    dossier = act(dossier, "return_result", desk_officer, returned_to="Nguyễn Văn An")
    assert dossier.status == Status.RETURNED and dossier.returned_to == "Nguyễn Văn An"
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["receive", "forward", "forward", "result_ready", "return_result"]
    assert audit_verify() == []


@pytest.mark.parametrize(
    "delivery, missing", [("desk", "returned_to"), ("post", "postal_tracking")]
)
def test_returning_names_who_received_it_or_the_postal_tracking_number(
    version, desk, desk_officer, specialist, leader, delivery, missing
):
    extra = {"delivery_address": "Khối 3, Lao Bảo"} if delivery == "post" else {}
    dossier = receive(desk, version, result_delivery=delivery, **extra)
    for actor in (desk_officer, specialist, leader):
        dossier = act(dossier, "forward", actor)
    with pytest.raises(ValidationError) as refused:
        act(dossier, "return_result", desk_officer)
    assert set(refused.value.message_dict) == {missing}
    assert Dossier.objects.get().status == Status.RESULT_READY


def test_only_the_holder_of_the_step_may_act(
    version, desk, desk_officer, specialist, other_agency_officer
):
    dossier = receive(desk, version)
    with pytest.raises(PermissionDenied):
        act(dossier, "forward", specialist)  # the desk holds step 1
    with pytest.raises(PermissionDenied):
        act(dossier, "forward", other_agency_officer)
    assert Dossier.objects.get().version == 1


def test_forbidden_transition_is_refused_and_changes_nothing(version, desk, desk_officer):
    dossier = receive(desk, version)
    with pytest.raises(TransitionRefused, match="trả kết quả"):
        act(dossier, "return_result", desk_officer, returned_to="A")
    assert Dossier.objects.get().status == Status.RECEIVED
    assert DossierEvent.objects.count() == 1


def test_second_officer_with_a_stale_page_gets_a_reload_message(version, desk, desk_officer):
    dossier = receive(desk, version)
    dossier_apply(dossier_id=dossier.pk, action="forward", actor=desk_officer, expected_version=1)
    with pytest.raises(StaleDossier):
        dossier_apply(
            dossier_id=dossier.pk,
            action="withdraw",
            actor=desk_officer,
            expected_version=1,
            note="Rút",
        )
    assert Dossier.objects.get().status == Status.PROCESSING


def test_supplement_wait_moves_due_time_later(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 10, 9))
    dossier = act(dossier, "request_supplement", specialist, note="Thiếu giấy chứng sinh")
    assert dossier.status == Status.WAITING_APPLICANT and dossier.dvcqg_status == 5
    # Back on Friday 13/11 at 9:00: 24 working hours later (6.5 + 8 + 8 + 1.5), not 3 calendar
    # days and not 4 days.
    clock(vn(2026, 11, 13, 9))
    dossier = act(dossier, "supplement_received", desk_officer)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == vn(2026, 11, 17, 10)  # Thursday 12/11 10:00 + 24 working hours
    assert dossier.supplement_count == 1


def test_payment_wait_stops_the_clock_too(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    dossier = act(dossier, "request_payment", specialist, note="Lệ phí trước bạ")
    assert dossier.dvcqg_status == 6
    clock(vn(2026, 11, 9, 15))  # 3.5 working hours later (lunch excluded)
    dossier = act(dossier, "payment_received", specialist)
    assert dossier.due_at == vn(2026, 11, 12, 15)


def test_extension_once_only(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    dossier = act(
        dossier,
        "extend",
        specialist,
        note="Cần xác minh thêm. Xin lỗi ông/bà.",
        new_due_at=vn(2026, 11, 16, 10),
    )
    assert dossier.due_at == vn(2026, 11, 16, 10) and dossier.original_due_at == vn(
        2026, 11, 12, 10
    )
    with pytest.raises(PermissionDenied):  # the button is gone: extended once already
        act(dossier, "extend", specialist, note="Lần hai", new_due_at=vn(2026, 11, 20, 10))
    assert Dossier.objects.get().due_at == vn(2026, 11, 16, 10)


def test_extension_must_move_the_date_later(version, desk, desk_officer, specialist):
    dossier = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    with pytest.raises(ValidationError, match="sau ngày hẹn hiện tại"):
        act(dossier, "extend", specialist, note="x", new_due_at=vn(2026, 11, 10, 10))


def test_send_back_needs_a_reason(version, desk, desk_officer, specialist):
    dossier = act(receive(desk, version), "forward", desk_officer)
    with pytest.raises(ValidationError):
        act(dossier, "send_back", specialist, note=" ")
    dossier = act(dossier, "send_back", specialist, note="Sai tên thủ tục")
    assert dossier.current_step.order == 1


def test_withdrawal_and_stop(version, desk, desk_officer, leader):
    dossier = receive(desk, version)
    dossier = act(dossier, "withdraw", desk_officer, note="Công dân xin rút")
    assert dossier.status == Status.WITHDRAWN and dossier.dvcqg_status == 7
    other = receive(desk, version)
    assert act(other, "stop", leader, note="Đối tượng đã mất").dvcqg_status == 8


def test_messages_are_queued_with_the_change_and_delivered(version, desk, desk_officer, tmp_path):
    from motcua.notifications.channels import FileChannel
    from motcua.notifications.services import notifications_deliver

    receive(desk, version)
    assert Notification.objects.filter(kind="received").count() == 2  # SMS and e-mail
    channel = FileChannel(tmp_path / "out.jsonl")
    assert notifications_deliver(channel=channel) == (2, 0)
    assert "da duoc tiep nhan" in (tmp_path / "out.jsonl").read_text()
    assert notifications_deliver(channel=channel) == (0, 0)


def test_a_failing_gateway_keeps_the_message_for_later(version, desk):
    from motcua.notifications.services import notifications_deliver

    class Down:
        def send(self, notification):
            raise ConnectionError("gateway down")

    receive(desk, version)
    assert notifications_deliver(channel=Down()) == (0, 2)
    assert Notification.objects.filter(state="pending", attempts=1).count() == 2


def test_events_are_append_only(version, desk):
    event = receive(desk, version).events.get()
    event.note = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_tampered_event_makes_verify_audit_fail(version, desk, desk_officer, capsys):
    dossier = act(receive(desk, version), "forward", desk_officer)
    call_command("verify_audit")
    DossierEvent.objects.filter(dossier=dossier, seq=1).update(note="đã sửa lén")
    with pytest.raises(SystemExit) as exc:
        call_command("verify_audit")
    assert exc.value.code == 1
    assert dossier.code in capsys.readouterr().out


def test_deleted_event_breaks_the_chain(version, desk, desk_officer):
    dossier = act(
        act(receive(desk, version), "forward", desk_officer), "withdraw", desk_officer, note="Rút"
    )
    DossierEvent.objects.filter(dossier=dossier, seq=2).delete()  # a raw delete, bypassing save
    assert audit_verify() == [dossier.code]


def test_messages_carry_the_dossier_code(version, desk):
    dossier = receive(desk, version)
    email, sms = Notification.objects.filter(dossier=dossier).order_by("medium")
    assert sms.medium == "sms" and f"Ho so {dossier.code} " in sms.body
    assert email.subject == f"Hồ sơ {dossier.code}" and "{code" not in email.body


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
    from motcua.dossiers.services import AlreadyReceived, IncomingFile, Receipt, SubmissionKey

    def submit(request_hash="h1", files=()):
        return services.dossier_receive(
            desk=desk,
            procedure_version=version,
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


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL code expression is PostgreSQL's"
)
@pytest.mark.parametrize("code_format", list(Agency.CodeFormat))
def test_the_code_made_in_sql_equals_the_code_made_in_python(db, code_format):
    agency = Agency(code="X", dossier_code_format=code_format)
    serials = [1, 2, 9998, 9999, 10000, 10001, 99999, 9999 * 26, 9999 * 26 + 1, 9999 * 676 + 5]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {services._serial_sql(agency, 's')} FROM unnest(%s::int[]) WITH ORDINALITY "
            "AS t(s, n) ORDER BY n",
            [serials],
        )
        from_sql = [row[0] for row in cursor.fetchall()]
    assert from_sql == [services._serial_text(agency, s) for s in serials]
