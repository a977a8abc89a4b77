"""Acting on a received dossier (SPEC §4, §6): ``dossier_apply`` is the one function that
changes a dossier's status or step.

In one transaction it locks the row, checks the version the officer saw (a stale page gets
"reload"), asks ``access.may`` (the transition table's row for this action and status, its
guard, and who may), runs the action's effect below, sets the status the table names, appends
the event to the trace, issues the papers the event makes (``papers.papers_issue``: a
number and an issue date) and queues the applicant's message (``ActionSpec.message``).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.dossiers import deadlines, process
from motcua.dossiers.access import Actor, may
from motcua.dossiers.messages import message_put
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.papers import papers_issue
from motcua.dossiers.trace import event_append
from motcua.dossiers.transitions import SPECS, TABLE, Action
from motcua.workcalendar.calendar import Outcome


class StaleDossier(Exception):
    """Someone else changed the dossier since the page was loaded."""

    message = _("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang rồi thao tác lại.")


def dossier_apply(
    *,
    dossier_id: int,
    action: str,
    actor: Actor,
    expected_version: int | None,
    note: str = "",
    **params,
) -> Dossier:
    """Do ``action`` on the dossier as ``actor``; raises ``StaleDossier``,
    ``TransitionRefused``, ``PermissionDenied`` or ``ValidationError`` and then changes
    nothing."""
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related(
                "procedure_version",
                "deciding_agency",
                "receiving_agency",
                "current_step",
                "current_unit",
            )
            .get(pk=dossier_id)
        )
        if expected_version is not None and dossier.version != expected_version:
            raise StaleDossier(StaleDossier.message)
        may(actor, action, dossier)
        action = Action(action)
        spec = SPECS[action]
        if spec.note_required and not note.strip():
            raise ValidationError({"note": spec.note_required})
        status_before = dossier.status
        step_before = dossier.current_step.order if dossier.current_step_id else None
        unit_name = dossier.current_unit.name if dossier.current_unit_id else ""
        step_due_before = dossier.step_due_at
        now = clock.now()
        rule = TABLE[(action, status_before)]
        data = EFFECTS[action](dossier, now=now, note=note.strip(), **params) or {}
        if step_due_before is not None:
            data["step_due_at"] = step_due_before.isoformat()
        dossier.status = rule.target
        dossier.version += 1
        event = event_append(
            dossier,
            action=action,
            actor=actor,
            at=now,
            status_before=status_before,
            step_before=step_before,
            unit_name=unit_name,
            note=note.strip(),
            data=data,
        )
        dossier.save()
        papers_issue(dossier, event)  # form 04 numbered and dated by its extension, …
        if spec.message:
            message_put(dossier, spec.message)
    return dossier


# --- the effect of each action, besides the status the table sets -------------------------


def _accept(dossier: Dossier, *, now: datetime, **_other) -> dict:
    """The clock starts: code, due time, first step (SPEC §4)."""
    from motcua.dossiers.services.receipt import code_for, start_clock

    start_clock(dossier, received_at=now)
    dossier.code = code_for(dossier)
    return {"due_at": dossier.due_at.isoformat()}


def _forward(dossier: Dossier, *, now: datetime, **_other) -> dict:
    following = process.next_step(dossier)
    process.enter_step(dossier, following, at=now)
    return {"to_step": following.order}


def _send_back(dossier: Dossier, *, now: datetime, **_other) -> dict:
    previous = process.previous_step(dossier)
    process.enter_step(dossier, previous, at=now)
    return {"to_step": previous.order}


def _finish(dossier: Dossier, *, now: datetime, **_other) -> dict:
    """The result is ready: it waits at the desk step that returns it (lateness judged
    now, against the appointment in force, SPEC §6)."""
    process.enter_step(dossier, process.return_step(dossier), at=now)
    dossier.finished_at = now
    outcome = deadlines.finish_outcome(finished_at=now, due_at=dossier.due_at)
    return {"outcome": outcome.value, "late": outcome is Outcome.LATE}


def _pause(dossier: Dossier, *, now: datetime, **_other) -> dict:
    dossier.paused_at = now
    return {}


def _request_supplement(dossier: Dossier, *, now: datetime, **_other) -> dict:
    dossier.supplement_count += 1
    return _pause(dossier, now=now)


def _resume(dossier: Dossier, *, now: datetime, **_other) -> dict:
    """SPEC §6: both due times move later by the working time spent waiting."""
    dossier.due_at, dossier.step_due_at, hours = deadlines.after_wait(
        due_at=dossier.due_at,
        step_due_at=dossier.step_due_at,
        paused_at=dossier.paused_at,
        resumed_at=now,
        calendar=deadlines.calendar_of(dossier),
    )
    dossier.paused_at = None
    return {"waited_hours": round(hours, 2), "due_at": dossier.due_at.isoformat()}


def _extend(
    dossier: Dossier, *, now: datetime, note: str, new_due_at: datetime | None = None, **_other
) -> dict:
    """Form 04: apology and a new appointment."""
    errors = deadlines.extension_errors(due_at=dossier.due_at, new_due_at=new_due_at)
    if errors:
        raise ValidationError(errors)
    previous, new_due_at = dossier.due_at, deadlines.extended_due_at(new_due_at)
    dossier.due_at, dossier.extended_at, dossier.extension_reason = new_due_at, now, note
    return {"previous_due_at": previous.isoformat(), "due_at": new_due_at.isoformat()}


def _close(dossier: Dossier, *, now: datetime, note: str, **_other) -> dict:
    dossier.closing_note = note
    process.enter_step(dossier, None, at=now)
    return {}


def _return_result(
    dossier: Dossier, *, now: datetime, returned_to: str = "", postal_tracking: str = "", **_o
) -> dict:
    if dossier.result_delivery == ResultDelivery.POST:
        if not postal_tracking.strip():
            raise ValidationError({"postal_tracking": _("Nhập số vận đơn bưu chính.")})
    elif not returned_to.strip():
        raise ValidationError({"returned_to": _("Nhập họ tên người nhận kết quả.")})
    dossier.returned_at, dossier.returned_to = now, returned_to.strip()
    dossier.postal_tracking = postal_tracking.strip()
    process.enter_step(dossier, None, at=now)
    return {"delivery": dossier.result_delivery}


EFFECTS = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _close,
    Action.FORWARD: _forward,
    Action.SEND_BACK: _send_back,
    Action.APPROVE: _finish,
    Action.RESULT_READY: _finish,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT_RECEIVED: _resume,
    Action.REQUEST_PAYMENT: _pause,
    Action.PAYMENT_RECEIVED: _resume,
    Action.EXTEND: _extend,
    Action.REJECT: _close,
    Action.STOP: _close,
    Action.WITHDRAW: _close,
    Action.RETURN_RESULT: _return_result,
}
