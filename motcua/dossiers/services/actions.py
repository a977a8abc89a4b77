"""Acting on a received dossier (SPEC §4, §6): ``dossier_apply`` is the one function that
changes a dossier's status or step, and the one that records the work done inside a step
(assignment, opinions and working files, an extension proposed).

In one transaction it locks the row, checks the version the officer saw (a stale page gets
"reload"), asks ``access.may`` (the transition table's row for this action and status, its
guard, and who may), runs the action's effect below, sets the status the table names, appends
the event to the trace, stores the files handed over with it (working files, the result:
named with their SHA-256 in the event, so the trace holds them) and queues the applicant's
message (``ActionSpec.message``), and issues the papers the event makes
(``papers.papers_issue``: a number and an issue date).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.agencies.selectors import person_name
from motcua.dossiers import access, deadlines, process, tallies
from motcua.dossiers.access import Actor, may
from motcua.dossiers.files import IncomingFile, file_errors
from motcua.dossiers.messages import message_put
from motcua.dossiers.models import Attachment, Dossier, DossierEvent, ResultDelivery, ResultKind
from motcua.dossiers.papers import papers_issue
from motcua.dossiers.services.notices import dossier_notice_create, missing_documents_clean
from motcua.dossiers.services.receipt import delete_files, store_files
from motcua.dossiers.trace import event_append
from motcua.dossiers.transitions import SPECS, TABLE, Action
from motcua.workcalendar.calendar import Outcome


class StaleDossier(Exception):
    """Someone else changed the dossier since the page was loaded."""

    message = _("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang rồi thao tác lại.")


PDF = "application/pdf"


def dossier_apply(
    *,
    dossier_id: int,
    action: str,
    actor: Actor,
    expected_version: int | None,
    note: str = "",
    new_due_at: datetime | None = None,
    assignee: str | None = None,
    missing_documents: Sequence[str] | None = None,
    files: Sequence[IncomingFile] = (),
    result_file: IncomingFile | None = None,
    paper_result: bool = False,
    returned_to: str = "",
    postal_tracking: str = "",
    documents: Sequence[IncomingFile] = (),
) -> Dossier:
    """Do ``action`` on the dossier as ``actor``; raises ``StaleDossier``,
    ``TransitionRefused``, ``PermissionDenied`` or ``ValidationError`` and then changes
    nothing, files included.

    ``assignee`` is a username; ``files`` are working files (for the actions whose spec
    lists "files"); ``result_file`` (a PDF) or ``paper_result`` is the result of the
    decision step; ``documents`` are the applicant's files completing an online dossier, each
    labelled (``IncomingFile.label``) with the item of the request it answers."""
    saved: list[str] = []
    for incoming in (*files, *([result_file] if result_file is not None else [])):
        incoming.refusal  # noqa: B018 - the content checks (seconds for a big PDF) before any lock
    try:
        with transaction.atomic():
            dossier = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related(
                    "procedure_version",
                    "deciding_agency",
                    "receiving_agency",
                    "receiving_desk",
                    "current_step",
                    "current_unit",
                    "current_assignee",
                )
                .get(pk=dossier_id)
            )
            if expected_version is not None and dossier.version != expected_version:
                raise StaleDossier(StaleDossier.message)
            may(actor, action, dossier)
            action = Action(action)
            spec = SPECS[action]
            note = note.strip()
            if spec.note_required and not note:
                raise ValidationError({"note": spec.note_required})
            _check_text(
                note=note,
                assignee=assignee or "",
                returned_to=returned_to,
                postal_tracking=postal_tracking,
                missing_documents=list(missing_documents or ()),
            )
            _check_files(spec, files, result_file, documents)
            status_before = dossier.status
            step_before = dossier.current_step.order if dossier.current_step_id else None
            unit_name = dossier.current_unit.name if dossier.current_unit_id else ""
            step_due_before = dossier.step_due_at
            counted_before = tallies.facts_of(dossier)
            now = clock.now()
            rule = TABLE[(action, status_before)]
            data = (
                EFFECTS[action](
                    dossier,
                    now=now,
                    actor=actor,
                    note=note,
                    new_due_at=new_due_at,
                    assignee=assignee,
                    missing_documents=missing_documents,
                    files=files,
                    result_file=result_file,
                    paper_result=paper_result,
                    returned_to=returned_to,
                    postal_tracking=postal_tracking,
                    documents=documents,
                )
                or {}
            )
            if step_due_before is not None:
                data["step_due_at"] = step_due_before.isoformat()
            stored = _files_to_store(files, result_file, documents)
            if stored:
                data["files"] = [
                    {"name": f.name, "sha256": f.sha256, "kind": kind}
                    | ({"document": f.label} if f.label else {})
                    for f, kind in stored
                ]
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
                note=note,
                data=data,
            )
            dossier.save()
            _store(dossier, event, stored, actor, saved)
            tallies.tally_change(counted_before, tallies.facts_of(dossier))  # ADR 0023
            papers_issue(dossier, event)  # form 04 numbered and dated by its extension, …
            online = dossier.result_delivery == ResultDelivery.ONLINE
            if kind := (spec.online_message if online else None) or spec.message:
                message_put(dossier, kind, note=note, missing=data.get("missing_documents", ()))
    except BaseException:
        delete_files(saved)
        raise
    return dossier


NUL = _("Không được chứa ký tự NUL.")
#: The longest note or reason an action takes (page and API alike): it goes into the trace,
#: which keeps it for ever, and onto the papers, which must print in bounded time.
NOTE_MAX_LENGTH = 4000


def _check_text(**inputs) -> None:
    """The same refusal on both databases: PostgreSQL stores no NUL byte, and a value longer
    than its column is a 422, never a database error."""
    errors = {}
    for name, value in inputs.items():
        values = value if isinstance(value, list) else [value]
        if any("\x00" in str(v) for v in values):
            errors[name] = NUL
    if "note" not in errors and len(inputs["note"]) > NOTE_MAX_LENGTH:
        errors["note"] = _("Ghi chú, lý do tối đa %(n)s ký tự.") % {"n": NOTE_MAX_LENGTH}
    for name in ("returned_to", "postal_tracking"):
        limit = Dossier._meta.get_field(name).max_length
        if name not in errors and len(inputs[name].strip()) > limit:
            errors[name] = _("Tối đa %(n)s ký tự.") % {"n": limit}
    if errors:
        raise ValidationError(errors)


def _check_files(
    spec,
    files: Sequence[IncomingFile],
    result_file: IncomingFile | None,
    documents: Sequence[IncomingFile] = (),
) -> None:
    """Files only where the action takes them; each judged by its content (ADR 0010); the
    result a PDF."""
    errors = {}
    if files and "files" not in spec.fields:
        errors["files"] = _("Thao tác này không kèm tệp.")
    elif files:
        errors.update(file_errors(list(files)))
    if documents and "documents" not in spec.fields:
        errors["documents"] = _("Thao tác này không kèm giấy tờ của người nộp.")
    elif documents:
        found = file_errors(list(documents))
        errors.update({key.replace("files", "documents", 1): m for key, m in found.items()})
    if result_file is not None:
        if "result" not in spec.fields:
            errors["result_file"] = _("Thao tác này không kèm tệp kết quả.")
        elif (refusal := result_file.refusal) is not None:
            errors["result_file"] = refusal.render(result_file.name)
        elif result_file.content_type != PDF:
            errors["result_file"] = _(
                "Kết quả phải là tệp PDF (quyết định, giấy chứng nhận đã ký); “%(name)s” không "
                "phải PDF."
            ) % {"name": result_file.name}
    if errors:
        raise ValidationError(errors)


def _files_to_store(files, result_file, documents=()) -> list[tuple[IncomingFile, str]]:
    stored = [(f, Attachment.Kind.WORKING.value) for f in files]
    if result_file is not None:
        stored.append((result_file, Attachment.Kind.RESULT.value))
    stored += [(f, Attachment.Kind.DOCUMENT.value) for f in documents]
    return stored


def _store(dossier, event: DossierEvent, stored, actor, saved: list[str]) -> None:
    """Write the files (before their rows commit: a crash leaves at worst a file without a
    row, which ``verify_files`` finds) and their rows, linked to ``event``."""
    if not stored:
        return
    rows = store_files(dossier, [f for f, _kind in stored], actor, saved)
    for row, (_file, kind) in zip(rows, stored, strict=True):
        row.kind, row.event = kind, event
    Attachment.objects.bulk_create(rows)


# --- the effect of each action, besides the status the table sets -------------------------
# Each gets the dossier (locked) and the action's inputs by keyword, and returns what its
# event records besides the note.


def _accept(dossier: Dossier, *, now: datetime, **_other) -> dict:
    """The clock starts: code, due time, first step (SPEC §4)."""
    from motcua.dossiers.services.receipt import code_for, start_clock

    start_clock(dossier, received_at=now)
    dossier.code = code_for(dossier)
    return {"due_at": dossier.due_at.isoformat()}


def _request_completion(
    dossier: Dossier,
    *,
    now: datetime,
    actor: Actor,
    note: str,
    missing_documents: Sequence[str] | None = None,
    **_other,
) -> dict:
    """An online dossier is incomplete: form 02 with the numbered list of everything missing,
    given through the desk; nothing is received and no clock runs (SPEC §4). The applicant
    sends exactly these items online (``resubmit``)."""
    items = missing_documents_clean(missing_documents)
    dossier.completion_requested_at = now
    dossier.completion_count += 1
    notice = dossier_notice_create(dossier=dossier, items=items, reason=note, actor=actor)
    return {
        "missing_documents": items,
        "completion_count": dossier.completion_count,
        "notice": notice.pk,
    }


def completion_request(dossier: Dossier):
    """The desk's latest request to complete the dossier (form 02: ``items``, ``reason``)."""
    from motcua.dossiers.models import DeskNotice

    return dossier.notices.filter(kind=DeskNotice.Kind.COMPLETE).order_by("-pk").first()


def completion_items(dossier: Dossier) -> list[str]:
    """What the desk's latest request to complete the online dossier lists (form 02)."""
    notice = completion_request(dossier)
    return list(notice.items) if notice is not None else []


def _resubmit(dossier: Dossier, *, documents: Sequence[IncomingFile] = (), **_other) -> dict:
    """The applicant sends what was asked — one file for each item of the request, in its
    order, and nothing else — and the dossier waits for the desk's check again."""
    items = completion_items(dossier)
    given = [f.label for f in documents]
    errors = {  # keyed by the item's place in the request (``documents.<n>``: the n-th file)
        f"completion.{i}": _("Chưa có tệp cho “%(item)s”.") % {"item": item}
        for i, item in enumerate(items)
        if given[i : i + 1] != [item]
    }
    if len(given) > len(items):
        errors["documents"] = _("Chỉ nộp các giấy tờ được yêu cầu bổ sung.")
    if errors:
        raise ValidationError(errors)
    asked_at = dossier.completion_requested_at
    dossier.completion_requested_at = None
    return {"completed": items, "asked_at": asked_at.isoformat()}


def _assign(dossier: Dossier, *, actor: Actor, assignee: str | None = None, **_other) -> dict:
    """The unit's step goes to one of its officers: any of them when the head of unit gives
    it, only themselves when a specialist takes it. The event keeps who had it before."""
    username = (assignee or "").strip()
    if not username:
        raise ValidationError({"assignee": _("Chọn cán bộ được phân công.")})
    user = access.step_officers(dossier).filter(username=username).first()
    if user is None:
        raise ValidationError(
            {
                "assignee": _("“%(user)s” không phải cán bộ của %(unit)s.")
                % {"user": username, "unit": dossier.current_unit.name}
            }
        )
    me = access.actor_user(actor)
    if not access.assigns_others(actor, dossier) and (me is None or user.pk != me.pk):
        raise PermissionDenied(
            _("Chuyên viên chỉ nhận hồ sơ cho chính mình; lãnh đạo phòng phân công người khác.")
        )
    if user.pk == dossier.current_assignee_id:
        raise ValidationError(
            {"assignee": _("Hồ sơ đang do %(name)s xử lý.") % {"name": person_name(user)}}
        )
    previous = dossier.current_assignee
    dossier.current_assignee = user
    return {
        "assignee": user.username,
        "assignee_name": person_name(user),
        "previous_assignee": previous.username if previous else None,
        "previous_assignee_name": person_name(previous) if previous else None,
        "claimed": me is not None and user.pk == me.pk,
    }


def _comment(dossier: Dossier, *, note: str, files=(), **_other) -> dict:
    """An opinion (ý kiến xử lý) and working files at the current step; the status stays."""
    if not note and not files:
        raise ValidationError({"note": _("Ghi ý kiến xử lý hoặc đính kèm tệp.")})
    return {}


def _forward(dossier: Dossier, *, now: datetime, **_other) -> dict:
    following = process.next_step(dossier)
    process.enter_step(dossier, following, at=now)
    return {"to_step": following.order}


def _send_back(dossier: Dossier, *, now: datetime, **_other) -> dict:
    """Back to the previous step, to the officer who passed it on from there if they still
    work in that unit (their "mine" inbox shows it again)."""
    previous = process.previous_step(dossier)
    process.enter_step(dossier, previous, at=now)
    data = {"to_step": previous.order}
    if dossier.current_unit_id is None:
        return data
    handled = (
        DossierEvent.objects.filter(
            dossier=dossier, action=Action.FORWARD, step_before=previous.order
        )
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
    officer = access.step_officers(dossier).filter(pk=handled).first() if handled else None
    if officer is not None:
        dossier.current_assignee = officer
        data.update(assignee=officer.username, assignee_name=person_name(officer))
    return data


def _finish(
    dossier: Dossier,
    *,
    now: datetime,
    result_file: IncomingFile | None = None,
    paper_result: bool = False,
    **_other,
) -> dict:
    """The result is ready — only with a result: the signed decision or certificate as a PDF
    (kept with its SHA-256), or a result on paper. It waits at the desk step that returns it
    (lateness judged now, against the appointment in force, SPEC §6)."""
    if result_file is not None and paper_result:
        raise ValidationError(
            {
                "paper_result": _(
                    "Kết quả là tệp PDF đính kèm hoặc bản giấy, không thể cả hai: bỏ tệp hoặc "
                    "bỏ đánh dấu “bản giấy”."
                )
            }
        )
    if result_file is None and not paper_result:
        raise ValidationError(
            {
                "result_file": _(
                    "Đính kèm kết quả giải quyết (quyết định, giấy chứng nhận đã ký, tệp PDF) "
                    "hoặc đánh dấu kết quả là bản giấy."
                )
            }
        )
    dossier.result_kind = ResultKind.ELECTRONIC if result_file is not None else ResultKind.PAPER
    process.enter_step(dossier, process.return_step(dossier), at=now)
    dossier.finished_at = now
    outcome = deadlines.finish_outcome(finished_at=now, due_at=dossier.due_at)
    return {
        "outcome": outcome.value,
        "late": outcome is Outcome.LATE,
        "result": dossier.result_kind,
    }


def _pause(dossier: Dossier, *, now: datetime, **_other) -> dict:
    dossier.paused_at = now
    return {}


def _request_supplement(
    dossier: Dossier,
    *,
    now: datetime,
    actor: Actor,
    note: str,
    missing_documents: Sequence[str] | None = None,
    **_other,
) -> dict:
    """Form 02 with the numbered list of what is missing, given through the desk; the clock
    stops. Everything is to be asked at once: a second request needs its reason, and the
    dossier then counts as late (SPEC §9, ``Dossier.supplement_repeated``)."""
    items = missing_documents_clean(missing_documents)
    if dossier.supplement_count >= 1 and not note:
        raise ValidationError(
            {
                "note": _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần. Yêu cầu bổ sung lần nữa phải ghi rõ "
                    "lý do; hồ sơ sẽ bị tính là trễ hạn."
                )
            }
        )
    dossier.supplement_count += 1
    notice = dossier_notice_create(dossier=dossier, items=items, reason=note, actor=actor)
    return {
        **_pause(dossier, now=now),
        "missing_documents": items,
        "supplement_count": dossier.supplement_count,
        "repeated": dossier.supplement_repeated,
        "notice": notice.pk,
    }


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


def _fee_paid(dossier: Dossier, **_other) -> dict:
    """A fee paid (``payments.services``, which names the payment in the note): the trace
    records it; the status and the clock stay."""
    return {}


def _extension_check(dossier: Dossier, *, now: datetime, new_due_at: datetime | None) -> None:
    errors = deadlines.extension_errors(
        due_at=dossier.due_at,
        new_due_at=new_due_at,
        now=now,
        paused_at=dossier.paused_at,
        calendar=deadlines.calendar_of(dossier),
        version=dossier.procedure_version,
    )
    if errors:
        raise ValidationError(errors)


def _propose_extension(
    dossier: Dossier, *, now: datetime, new_due_at: datetime | None = None, **_other
) -> dict:
    """The officer asks the leader for form 04; checked now by the same rules, so the leader
    is shown a proposal that can be issued."""
    new_due_at = deadlines.extended_due_at(new_due_at) if new_due_at is not None else None
    _extension_check(dossier, now=now, new_due_at=new_due_at)
    dossier.extension_proposed_at = now  # in the leader's inbox until they issue it
    return {"new_due_at": new_due_at.isoformat(), "due_at": dossier.due_at.isoformat()}


def _extend(
    dossier: Dossier, *, now: datetime, note: str, new_due_at: datetime | None = None, **_other
) -> dict:
    """Form 04: apology and a new appointment, issued by the agency's leader (SPEC §6); the
    time asked for is judged as it will be set and printed (to the whole minute)."""
    new_due_at = deadlines.extended_due_at(new_due_at) if new_due_at is not None else None
    _extension_check(dossier, now=now, new_due_at=new_due_at)
    previous = dossier.due_at
    dossier.due_at, dossier.extended_at, dossier.extension_reason = new_due_at, now, note
    dossier.extension_proposed_at = None  # the proposal, if any, is answered
    return {"previous_due_at": previous.isoformat(), "due_at": new_due_at.isoformat()}


def _close(dossier: Dossier, *, now: datetime, note: str, **_other) -> dict:
    dossier.closing_note = note
    process.enter_step(dossier, None, at=now)
    return {}


def _return_result(
    dossier: Dossier, *, now: datetime, returned_to: str = "", postal_tracking: str = "", **_o
) -> dict:
    """The result handed over: at the desk (to whom), by post (the tracking number), or
    online (only an electronic result can be). The event names the file returned."""
    if dossier.result_delivery == ResultDelivery.POST:
        if not postal_tracking.strip():
            raise ValidationError({"postal_tracking": _("Nhập số vận đơn bưu chính.")})
    elif dossier.result_delivery == ResultDelivery.ONLINE:
        if dossier.result_kind != ResultKind.ELECTRONIC:
            raise ValidationError(
                {
                    "result_file": _(
                        "Người dân nhận kết quả trực tuyến: cần kết quả bản điện tử (tệp PDF đã "
                        "ký); kết quả bản giấy trả tại bộ phận một cửa hoặc qua bưu chính."
                    )
                }
            )
    elif not returned_to.strip():
        raise ValidationError({"returned_to": _("Nhập họ tên người nhận kết quả.")})
    dossier.returned_at, dossier.returned_to = now, returned_to.strip()
    dossier.postal_tracking = postal_tracking.strip()
    process.enter_step(dossier, None, at=now)
    data = {"delivery": dossier.result_delivery, "result": dossier.result_kind}
    result = (
        dossier.attachments.filter(kind=Attachment.Kind.RESULT)
        .order_by("-pk")
        .values("original_name", "sha256")
        .first()
    )
    if result is not None:
        data["result_file"] = {"name": result["original_name"], "sha256": result["sha256"]}
    return data


EFFECTS = {
    Action.ACCEPT: _accept,
    Action.REQUEST_COMPLETION: _request_completion,
    Action.RESUBMIT: _resubmit,
    Action.REFUSE: _close,
    Action.ASSIGN: _assign,
    Action.COMMENT: _comment,
    Action.FORWARD: _forward,
    Action.SEND_BACK: _send_back,
    Action.APPROVE: _finish,
    Action.RESULT_READY: _finish,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT_RECEIVED: _resume,
    Action.REQUEST_PAYMENT: _pause,
    Action.PAYMENT_RECEIVED: _resume,
    Action.FEE_PAID: _fee_paid,
    Action.PROPOSE_EXTENSION: _propose_extension,
    Action.EXTEND: _extend,
    Action.REJECT: _close,
    Action.STOP: _close,
    Action.WITHDRAW: _close,
    Action.RETURN_RESULT: _return_result,
}
