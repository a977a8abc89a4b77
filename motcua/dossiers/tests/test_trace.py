"""The trace (SPEC §4): append-only events, hash-chained, and the row chained to them."""

import pytest
from django.core.management import call_command

from motcua.dossiers.models import AppendOnlyError, Dossier, DossierEvent
from motcua.dossiers.tests.factories import act, receive, vn
from motcua.dossiers.trace import audit_verify


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


def test_a_due_time_edited_on_the_row_is_detected(version, desk, clock):
    clock(vn(2026, 11, 10, 9))
    dossier = receive(desk, version, at=vn(2026, 11, 9, 10))
    untouched = receive(desk, version, at=vn(2026, 11, 9, 11))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=vn(2026, 11, 30, 10))
    assert audit_verify() == [dossier.code]
    assert untouched.code not in audit_verify()


def test_the_last_event_deleted_and_the_row_rolled_back_is_detected(
    version, desk, desk_officer, specialist
):
    dossier = act(receive(desk, version), "forward", desk_officer)
    before = Dossier.objects.values().get(pk=dossier.pk)
    act(dossier, "request_supplement", specialist, missing_documents=["Thiếu giấy tờ"])
    # Someone with database access undoes the last action: the event goes, the row goes back.
    DossierEvent.objects.filter(dossier=dossier, seq=3).delete()
    Dossier.objects.filter(pk=dossier.pk).update(
        **{k: v for k, v in before.items() if k not in ("id", "state_hash")}
    )
    assert audit_verify() == [dossier.code]


def test_a_rewritten_note_with_its_hash_recomputed_breaks_the_next_link(
    version, desk, desk_officer, specialist
):
    dossier = act(act(receive(desk, version), "forward", desk_officer), "forward", specialist)
    event = DossierEvent.objects.get(dossier=dossier, seq=2)
    event.note = "ghi chú khác"
    DossierEvent.objects.filter(pk=event.pk).update(note=event.note, hash=event.compute_hash())
    assert audit_verify() == [dossier.code]


def test_a_dossier_without_events_is_broken(version, desk):
    dossier = receive(desk, version)
    DossierEvent.objects.filter(dossier=dossier).delete()
    assert audit_verify() == [dossier.code]


def test_every_action_keeps_the_trace_whole(version, desk, desk_officer, specialist, leader):
    dossier = act(act(receive(desk, version), "forward", desk_officer), "forward", specialist)
    approved = act(dossier, "approve", leader, paper_result=True)
    act(approved, "return_result", desk_officer, returned_to="An")
    assert audit_verify() == []
