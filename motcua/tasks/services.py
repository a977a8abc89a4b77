"""Writes of tasks, one function per use case: assign, report progress, report done, ask for
more time, decide on it, and the daily reminders. Each checks ``access``, refuses bad input
with a Vietnamese message before writing anything, and in one transaction changes the task,
appends its history row (``TaskEvent``) and puts the messages in the outbox. Files are
written before the rows that name them commit, and deleted if the transaction fails."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua import clock
from motcua.agencies.models import Agency, Membership, Role
from motcua.dossiers.access import actor_name, actor_user
from motcua.dossiers.files import IncomingFile, file_errors
from motcua.tasks import access
from motcua.tasks.access import Action
from motcua.tasks.messages import message_put, when
from motcua.tasks.models import (
    Task,
    TaskAssignee,
    TaskEvent,
    TaskExtension,
    TaskFile,
    TaskReminder,
)
from motcua.tasks.selectors import assignable_for
from motcua.tasks.standing import Standing, standing_of
from motcua.workcalendar.calendar import add_working_time, to_local
from motcua.workcalendar.selectors import calendar_get

#: The longest time a task (or one extension) may be given: a working year.
MAX_WORKING_DAYS = Decimal(250)
FOLDER = "tasks"


def _length(model, column: str) -> int:
    return model._meta.get_field(column).max_length


@dataclass
class Assignment:
    """What a leader fills in to give a task."""

    title: str
    working_days: Decimal | str | int
    lead: str  # an ``Assignable.key``
    coordinating: list[str] = field(default_factory=list)
    content: str = ""
    source_document: str = ""
    files: list[IncomingFile] = field(default_factory=list)


# --- shared pieces ---------------------------------------------------------------------------


def _working_days(raw, *, field_name: str) -> tuple[Decimal | None, dict[str, str]]:
    """A number of working days: more than 0, at most a working year, halves allowed."""
    try:
        days = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None, {field_name: _("Nhập số ngày làm việc, ví dụ 10 hoặc 2,5.")}
    if not days.is_finite() or days <= 0 or days > MAX_WORKING_DAYS:
        return None, {
            field_name: _("Số ngày làm việc phải lớn hơn 0 và không quá %(n)s.")
            % {"n": MAX_WORKING_DAYS}
        }
    if days * 2 != (days * 2).to_integral_value():
        return None, {field_name: _("Số ngày làm việc tính theo nửa ngày: 1; 1,5; 2…")}
    return days, {}


def _people(assignee: TaskAssignee):
    """Who answers for ``assignee``: its unit's heads and specialists, or, for an agency
    given the task as a whole, its leaders."""
    if assignee.unit_id:
        memberships = Membership.objects.filter(
            unit_id=assignee.unit_id, role__in=[Role.SPECIALIST, Role.UNIT_HEAD]
        )
    else:
        memberships = Membership.objects.filter(
            agency_id=assignee.agency_id, role=Role.AGENCY_LEADER
        )
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("pk")
    )


def _assigner(task: Task):
    return get_user_model().objects.filter(pk=task.assigned_by_id, is_active=True)


def _event(task: Task, *, action: str, actor, at: datetime, **fields) -> TaskEvent:
    user = actor_user(actor)
    assignee = fields.get("assignee")
    return TaskEvent.objects.create(
        task=task,
        at=at,
        actor=user if user is not None and user.pk else None,
        actor_name=actor_name(actor)[:255],
        action=action,
        assignee_name=assignee.name[:255] if assignee else "",
        **fields,
    )


def _store_files(task, event, files, actor, at, saved: list[str]) -> None:
    """Write the files (names kept in ``saved`` at once, so a failure can delete them) and
    their rows."""
    user = actor_user(actor)
    for incoming in files:
        name = default_storage.save(
            f"{FOLDER}/{at:%Y/%m}/{uuid.uuid4().hex}.{incoming.extension}", incoming
        )
        saved.append(name)
        TaskFile.objects.create(
            task=task,
            event=event,
            file=name,
            original_name=incoming.name[:255],
            content_type=incoming.content_type,
            size=incoming.size,
            sha256=incoming.sha256,
            uploaded_by=user if user is not None and user.pk else None,
            uploaded_at=at,
        )


@contextlib.contextmanager
def _files_kept_only_on_commit():
    """Yield the list of stored names; on any failure, delete them (no file outlives the
    rows that would have named it)."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def _locked(task_id: int) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("agency")
        .prefetch_related("assignees__unit", "assignees__agency")
        .get(pk=task_id)
    )


def _assignee_of(actor, task: Task) -> TaskAssignee:
    """The assignee ``actor`` acts for: the lead unit if they belong to it, else the first
    coordinating unit they belong to."""
    mine = [a for a in task.assignees.all() if access.belongs_to(actor, a)]
    mine.sort(key=lambda a: a.role != TaskAssignee.Role.LEAD)
    return mine[0]  # ``access.may`` let only an assignee's people through


def task_lead(task: Task) -> TaskAssignee:
    return next(a for a in task.assignees.all() if a.role == TaskAssignee.Role.LEAD)


def _files_checked(files: list[IncomingFile]) -> dict[str, str]:
    return file_errors(files) if files else {}


# --- assigning -------------------------------------------------------------------------------


def task_assign(*, actor, agency: Agency, assignment: Assignment) -> Task:
    """A leader of ``agency`` gives a task to a lead unit and coordinating units; it is due
    ``working_days`` working days from now on ``agency``'s calendar. The units' people are
    told through the outbox."""
    if not access.may_assign(actor, agency):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan mới giao nhiệm vụ của cơ quan."))
    a = assignment
    errors: dict[str, str] = {}
    title, content, source = a.title.strip(), a.content.strip(), a.source_document.strip()
    if not title:
        errors["title"] = _("Nhập tên nhiệm vụ.")
    elif len(title) > _length(Task, "title"):
        errors["title"] = _("Tên nhiệm vụ dài quá %(n)s ký tự.") % {"n": _length(Task, "title")}
    if len(source) > _length(Task, "source_document"):
        errors["source_document"] = _("Văn bản giao việc dài quá %(n)s ký tự.") % {
            "n": _length(Task, "source_document")
        }
    days, day_errors = _working_days(a.working_days, field_name="working_days")
    errors.update(day_errors)
    options = {o.key: o for o in assignable_for(agency=agency)}
    if a.lead not in options:
        errors["lead"] = _("Chọn đơn vị chủ trì trong danh sách đơn vị của cơ quan.")
    coordinating = list(dict.fromkeys(a.coordinating))
    if any(key not in options for key in coordinating):
        errors["coordinating"] = _("Đơn vị phối hợp phải thuộc danh sách đơn vị của cơ quan.")
    elif a.lead in coordinating:
        errors["coordinating"] = _("Đơn vị chủ trì không đồng thời là đơn vị phối hợp.")
    errors.update(_files_checked(a.files))
    now = clock.now()
    if days is not None and not errors:
        try:
            due = add_working_time(now, days=days, calendar=calendar_get(agency=agency))
        except ValueError as exc:
            errors["working_days"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with _files_kept_only_on_commit() as saved, transaction.atomic():
        user = actor_user(actor)
        task = Task.objects.create(
            agency=agency,
            assigned_by=user,
            assigned_by_name=actor_name(actor)[:255],
            title=title,
            content=content,
            source_document=source,
            assigned_at=now,
            working_days=days,
            due_at=due,
            original_due_at=due,
        )
        assignees = [
            TaskAssignee.objects.create(
                task=task,
                role=role,
                agency_id=options[key].agency_id,
                unit_id=options[key].unit_id,
            )
            for key, role in [(a.lead, TaskAssignee.Role.LEAD)]
            + [(k, TaskAssignee.Role.COORDINATING) for k in coordinating]
        ]
        event = _event(
            task,
            action=TaskEvent.Action.ASSIGNED,
            actor=actor,
            at=now,
            note=content,
            due_after=due,
        )
        _store_files(task, event, a.files, actor, now, saved)
        for assignee, key in zip(assignees, [a.lead, *coordinating], strict=True):
            message_put(
                task,
                "task_assigned",
                users=_people(assignee),
                leader=task.assigned_by_name,
                unit=options[key].label,
                role="chủ trì" if assignee.role == TaskAssignee.Role.LEAD else "phối hợp",
                due=when(due),
            )
    return task


# --- the units report ------------------------------------------------------------------------


def _percent(raw) -> tuple[int | None, dict[str, str]]:
    try:
        value = int(str(raw).strip().rstrip("%"))
    except (TypeError, ValueError):
        return None, {"percent": _("Nhập tiến độ là một số từ 0 đến 100.")}
    if not 0 <= value <= 100:
        return None, {"percent": _("Tiến độ phải từ 0 đến 100 (%).")}
    return value, {}


def task_report(
    *, actor, task_id: int, percent, note: str, files: list[IncomingFile] = ()
) -> TaskEvent:
    """A lead or coordinating unit reports its progress (percentage, what was done, files).
    The lead unit's percentage is the task's."""
    files = list(files)
    with _files_kept_only_on_commit() as saved, transaction.atomic():
        task = _locked(task_id)
        access.may(actor, Action.REPORT, task)
        value, errors = _percent(percent)
        if not note.strip():
            errors["note"] = _("Nêu những việc đã làm được.")
        errors.update(_files_checked(files))
        if errors:
            raise ValidationError(errors)
        now = clock.now()
        assignee = _assignee_of(actor, task)
        assignee.progress = value
        assignee.save(update_fields=["progress"])
        if assignee.role == TaskAssignee.Role.LEAD:
            task.progress = value
            task.save(update_fields=["progress"])
        event = _event(
            task,
            action=TaskEvent.Action.REPORTED,
            actor=actor,
            at=now,
            assignee=assignee,
            percent=value,
            note=note.strip(),
        )
        _store_files(task, event, files, actor, now, saved)
    return event


def task_complete(*, actor, task_id: int, note: str, files: list[IncomingFile] = ()) -> Task:
    """The lead unit reports the task done: finished now (on time or late, to the minute);
    an extension request still waiting lapses; the assigner is told."""
    files = list(files)
    with _files_kept_only_on_commit() as saved, transaction.atomic():
        task = _locked(task_id)
        access.may(actor, Action.COMPLETE, task)
        errors = {} if note.strip() else {"note": _("Nêu kết quả thực hiện nhiệm vụ.")}
        errors.update(_files_checked(files))
        if errors:
            raise ValidationError(errors)
        now = clock.now()
        lead = task_lead(task)
        lead.progress = 100
        lead.save(update_fields=["progress"])
        task.status, task.finished_at, task.progress = Task.Status.DONE, now, 100
        task.save(update_fields=["status", "finished_at", "progress"])
        task.extensions.filter(state=TaskExtension.State.PENDING).update(
            state=TaskExtension.State.CANCELLED, decided_at=now
        )
        event = _event(
            task,
            action=TaskEvent.Action.COMPLETED,
            actor=actor,
            at=now,
            assignee=lead,
            percent=100,
            note=note.strip(),
        )
        _store_files(task, event, files, actor, now, saved)
        late = standing_of(task, now=now) is Standing.DONE_LATE
        message_put(
            task,
            "task_completed",
            users=_assigner(task),
            unit=lead.name,
            at=when(now),
            outcome="trễ hạn" if late else "đúng hạn",
        )
    return task


# --- more time -------------------------------------------------------------------------------


def task_extension_request(*, actor, task_id: int, days, reason: str) -> TaskExtension:
    """The lead unit asks for ``days`` more working days, counted from the deadline in force;
    the new deadline must still lie ahead. The assigner is told."""
    with transaction.atomic():
        task = _locked(task_id)
        access.may(actor, Action.REQUEST_EXTENSION, task)
        value, errors = _working_days(days, field_name="days")
        if not reason.strip():
            errors["reason"] = _("Nêu lý do xin gia hạn.")
        now = clock.now()
        proposed = None
        if value is not None:
            calendar = calendar_get(agency=task.agency)
            try:
                proposed = add_working_time(task.due_at, days=value, calendar=calendar)
            except ValueError as exc:
                errors["days"] = str(exc)
            else:
                if proposed <= now:
                    errors["days"] = _(
                        "Hạn mới (%(due)s) vẫn đã qua; hãy xin thêm nhiều ngày hơn."
                    ) % {"due": when(proposed)}
        if errors:
            raise ValidationError(errors)
        lead = task_lead(task)
        user = actor_user(actor)
        extension = TaskExtension.objects.create(
            task=task,
            requested_by=user,
            requested_by_name=actor_name(actor)[:255],
            requested_at=now,
            days=value,
            reason=reason.strip(),
            due_before=task.due_at,
            proposed_due_at=proposed,
        )
        _event(
            task,
            action=TaskEvent.Action.EXTENSION_REQUESTED,
            actor=actor,
            at=now,
            assignee=lead,
            note=reason.strip(),
            due_before=task.due_at,
            due_after=proposed,
        )
        message_put(
            task,
            "task_extension_requested",
            users=_assigner(task),
            unit=lead.name,
            before=when(task.due_at),
            after=when(proposed),
            reason=reason.strip(),
        )
    return extension


def task_extension_decide(
    *, actor, task_id: int, extension_id: int, approve: bool, note: str = ""
) -> TaskExtension:
    """The assigner grants (the deadline moves, once, to the date asked) or refuses (with a
    reason) the extension request waiting; the lead unit is told."""
    with transaction.atomic():
        task = _locked(task_id)
        access.may(actor, Action.DECIDE_EXTENSION, task)
        extension = (
            TaskExtension.objects.select_for_update()
            .filter(task=task, pk=extension_id, state=TaskExtension.State.PENDING)
            .first()
        )
        if extension is None or extension.due_before != task.due_at:
            raise ValidationError(access.NO_PENDING)
        if not approve and not note.strip():
            raise ValidationError({"note": _("Nêu lý do không đồng ý gia hạn.")})
        now = clock.now()
        user = actor_user(actor)
        extension.state = TaskExtension.State.APPROVED if approve else TaskExtension.State.REFUSED
        extension.decided_by = user if user is not None and user.pk else None
        extension.decided_by_name = actor_name(actor)[:255]
        extension.decided_at = now
        extension.decision_note = note.strip()
        extension.save()
        due_before = task.due_at
        if approve:
            task.due_at = extension.proposed_due_at
            task.save(update_fields=["due_at"])
        lead = task_lead(task)
        _event(
            task,
            action=(
                TaskEvent.Action.EXTENSION_APPROVED
                if approve
                else TaskEvent.Action.EXTENSION_REFUSED
            ),
            actor=actor,
            at=now,
            assignee=lead,
            note=note.strip(),
            due_before=due_before,
            due_after=task.due_at,
        )
        message_put(
            task,
            "task_extension_decided",
            users=_people(lead),
            leader=extension.decided_by_name,
            verdict="đồng ý" if approve else "không đồng ý",
            due=when(task.due_at),
            note=note.strip(),
        )
    return extension


# --- reminders -------------------------------------------------------------------------------

#: How far ahead a task may be due and still be "due within one working day": a working day
#: can lie this many calendar days away only around the longest holidays (Tết).
_LOOKAHEAD_DAYS = 20


@dataclass
class ReminderSummary:
    due_soon: int = 0
    overdue: int = 0
    already_sent: int = 0
    day_off: int = 0


def task_reminders_send(*, now: datetime | None = None) -> ReminderSummary:
    """Remind the lead unit of each open task due within one working day, and the lead unit
    and the assigner of each overdue one: at most one reminder of each kind per task per day
    (``TaskReminder``), only on the agency's working days."""
    from datetime import timedelta

    now = now or clock.now()
    today = to_local(now).date()
    summary = ReminderSummary()
    candidates = (
        Task.objects.filter(status=Task.Status.OPEN, due_at__lte=now + timedelta(_LOOKAHEAD_DAYS))
        .select_related("agency")
        .prefetch_related("assignees__unit", "assignees__agency")
        .order_by("due_at", "pk")
    )
    for task in candidates.iterator(chunk_size=500):
        calendar = calendar_get(agency=task.agency)
        if task.due_at < now:
            kind = TaskReminder.Kind.OVERDUE
        elif task.due_at <= add_working_time(now, days=1, calendar=calendar):
            kind = TaskReminder.Kind.DUE_SOON
        else:
            continue
        if not calendar.is_working_day(today):
            summary.day_off += 1
            continue
        if _remind(task, kind=kind, today=today):
            setattr(summary, kind, getattr(summary, kind) + 1)
        else:
            summary.already_sent += 1
    return summary


def _remind(task: Task, *, kind: str, today) -> bool:
    """Send one reminder unless one of ``kind`` went out ``today`` (then False)."""
    lead = task_lead(task)
    users = list(_people(lead))
    if kind == TaskReminder.Kind.OVERDUE:
        users += list(_assigner(task))
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(task=task, kind=kind, day=today)
            reminder.recipients = message_put(
                task,
                f"task_{kind}",
                users=users,
                unit=lead.name,
                due=when(task.due_at),
                progress=task.progress,
            )
            reminder.save(update_fields=["recipients"])
    except IntegrityError:  # sent today already (by this run's twin, or an earlier run)
        return False
    return True
