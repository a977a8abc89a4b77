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
    act(dossier, "forward", specialist)
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


def rewrite_history(dossier, *, seq: int, note: str) -> None:
    """What someone with write access to the database and this code could do: change one
    event and recompute every hash after it, and the row's state hash — a chain that
    verifies again."""
    from motcua.dossiers.trace import state_hash

    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    prev = events[seq - 2].hash if seq > 1 else "0" * 64
    for event in events[seq - 1 :]:
        if event.seq == seq:
            event.note = note
        event.prev_hash = prev
        event.hash = event.compute_hash()
        DossierEvent.objects.filter(pk=event.pk).update(
            note=event.note, prev_hash=event.prev_hash, hash=event.hash
        )
        prev = event.hash
    row = Dossier.objects.get(pk=dossier.pk)
    Dossier.objects.filter(pk=dossier.pk).update(state_hash=state_hash(row, prev))


def test_a_rewrite_with_every_hash_recomputed_is_caught_by_a_checkpoint(
    version, desk, desk_officer, specialist, tmp_path, capsys
):
    import json

    from motcua.dossiers.trace import checkpoint_take, checkpoint_verify

    dossier = act(act(receive(desk, version), "forward", desk_officer), "forward", specialist)
    other = act(receive(desk, version), "forward", desk_officer)
    document = checkpoint_take()
    assert checkpoint_verify(document) == []
    act(other, "forward", specialist)  # life goes on after the checkpoint: still fine
    assert checkpoint_verify(document) == []
    rewrite_history(dossier, seq=2, note="ý kiến khác, viết lại sau")
    assert audit_verify() == []  # the chain alone cannot tell
    assert checkpoint_verify(document) == [dossier.code]
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(document))
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--checkpoint", str(path))
    assert (
        f"HỎNG so với điểm chốt {document['taken_at']}: {dossier.code}" in capsys.readouterr().out
    )


def test_a_checkpoint_file_edited_or_signed_with_another_key_is_refused(version, desk, settings):
    from motcua.dossiers.trace import checkpoint_take, checkpoint_verify

    receive(desk, version)
    document = checkpoint_take()
    forged = {**document, "heads": [[h[0], h[1], "0" * 64, h[3]] for h in document["heads"]]}
    assert "chữ ký" in checkpoint_verify(forged)[0]
    settings.TRACE_SIGNING_KEY = "another key"
    assert "chữ ký" in checkpoint_verify(document)[0]


def test_checkpoints_are_chained_and_append_only(version, desk):
    from motcua.dossiers.models import TraceCheckpoint
    from motcua.dossiers.trace import checkpoint_take

    receive(desk, version)
    first, second = checkpoint_take(), checkpoint_take()
    assert second["previous"] == first["signature"]
    with pytest.raises(AppendOnlyError):
        TraceCheckpoint.objects.first().delete()


def test_trace_checkpoint_writes_a_file_to_keep_apart(version, desk, tmp_path):
    import json
    from io import StringIO

    receive(desk, version)
    out = StringIO()
    call_command("trace_checkpoint", "--out", str(tmp_path / "c.json"), stdout=out)
    document = json.loads((tmp_path / "c.json").read_text())
    assert document["dossiers"] == 1 and "Đã chốt 1 hồ sơ" in out.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {"receiving_agency_id": None},
        {"result_kind": "electronic"},
        {"extension_reason": "sửa sau"},
        {"returned_to": "người khác"},
        {"closing_note": "sửa sau"},
        {"postal_tracking": "EE000000000VN"},
        {"delivery_address": "địa chỉ khác"},
        {"authorised_name": "người khác"},
        {"applicant_user_id": None},
        {"sets_received": 9},
    ],
)
def test_every_column_but_the_code_is_under_the_rows_hash(version, desk, desk_officer, change):
    dossier = act(receive(desk, version), "forward", desk_officer)
    assert audit_verify() == []
    row = Dossier.objects.get(pk=dossier.pk)
    if next(iter(change)) == "receiving_agency_id":
        change = {"receiving_agency_id": row.deciding_agency.parent_id or row.deciding_agency_id}
    if next(iter(change)) == "applicant_user_id":
        change = {"applicant_user_id": desk_officer.pk}
    if all(getattr(row, k) == v for k, v in change.items()):
        pytest.skip("the factory's dossier already has this value")
    Dossier.objects.filter(pk=dossier.pk).update(**change)
    assert audit_verify() == [dossier.code]


def test_a_rewritten_code_is_caught_by_a_checkpoint(version, desk):
    from motcua.dossiers.trace import checkpoint_take, checkpoint_verify

    dossier = receive(desk, version)
    document = checkpoint_take()
    forged = dossier.code[:-4] + "9999"
    Dossier.objects.filter(pk=dossier.pk).update(code=forged)
    assert checkpoint_verify(document) == [forged]


def test_a_checkpoint_taken_before_the_hash_covered_more_fields_still_holds(
    version, desk, desk_officer
):
    """Migration 0011 re-hashed every row over more fields: a checkpoint exported before
    it is checked against the fields it covered then, and still catches a rewrite."""
    from motcua.dossiers.trace import _heads_digest, _sign, checkpoint_verify, state_hash

    dossier = act(receive(desk, version), "forward", desk_officer)
    kept = receive(desk, version)
    heads = []
    for d in (dossier, kept):
        row = Dossier.objects.get(pk=d.pk)
        last = row.events.order_by("-seq").first()
        heads.append([str(row.uid), last.seq, last.hash, state_hash(row, last.hash, format=1)])
    digest = _heads_digest(heads)
    old = {"taken_at": "2026-11-01T09:00:00+07:00", "dossiers": 2, "digest": digest,
           "previous": "", "heads": heads}  # fmt: skip
    old["signature"] = _sign(old["taken_at"], 2, digest, "")
    assert checkpoint_verify(old) == []
    Dossier.objects.filter(pk=kept.pk).update(applicant_name="Tên khác")
    assert checkpoint_verify(old) == [kept.code]


def test_the_migration_rehashes_rows_that_held_and_leaves_broken_ones_broken(
    version, desk, desk_officer
):
    import importlib

    from django.apps import apps

    from motcua.dossiers.trace import state_hash

    migration = importlib.import_module(
        "motcua.dossiers.migrations.0011_state_hash_covers_every_field"
    )
    good = act(receive(desk, version), "forward", desk_officer)
    bad = receive(desk, version)
    for d in (good, bad):  # as format 1 left them
        row = Dossier.objects.get(pk=d.pk)
        last = row.events.order_by("-seq").first().hash
        Dossier.objects.filter(pk=d.pk).update(state_hash=state_hash(row, last, format=1))
    Dossier.objects.filter(pk=bad.pk).update(applicant_phone="0900000000")  # tampered before
    migration.rehash(apps, None)
    assert audit_verify() == [bad.code]
