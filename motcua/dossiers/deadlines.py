"""Where a dossier's due times come from (SPEC §6): open this file first to answer "why is
this dossier due then".

- At receipt, ``due_at`` is the procedure's processing time counted on the deciding
  agency's working calendar from the receipt (``receipt_due_at``).
- Each internal step gets its own budget from the moment it starts (``step_due_at``); for a
  procedure counted in calendar days a step is never due after the dossier.
- Waiting for the applicant or for payment stops the clock: on return both due times move
  later by the working time waited (``after_wait``).
- An extension (form 04) sets a later ``due_at`` once, within limits (``extension_errors``):
  issued at least one working day before the due time, for a working instant later than
  the due time and no later than the due time plus the procedure's own processing time.
- "Due soon" is within one working day of the due time (``due_soon_until``).
- A dossier finishes early, on time or late against ``due_at`` to the minute
  (``finish_outcome``).
- Every due time is a whole minute, rounded up, never earlier (``whole_minute``): the
  receipt prints hour and minute, and what it prints is what is judged.

The arithmetic itself is ``motcua.workcalendar.calendar`` (pure functions).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.workcalendar.calendar import (
    VN_TZ,
    Outcome,
    TimeUnit,
    WorkCalendar,
    add_working_time,
    compute_due_at,
    deadline_outcome,
    in_calendar_range,
    is_working_instant,
    working_time_between,
)
from motcua.workcalendar.selectors import calendar_get

#: SPEC §12: a receipt time may be this far in the past (unless a data migration files it).
BACKDATING_LIMIT = timedelta(days=30)
#: Clocks of other systems differ a little: a receipt time this far ahead is still "now".
CLOCK_SKEW = timedelta(minutes=5)
#: "Due soon": within this many working days of the due time.
DUE_SOON_WORKING_DAYS = 1


def whole_minute(moment: datetime) -> datetime:
    """``moment`` rounded up to the minute (never earlier): 09:00:37 → 09:01."""
    if moment.second or moment.microsecond:
        return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment


def calendar_of(dossier) -> WorkCalendar:
    """The calendar a dossier's times are counted on: its deciding agency's."""
    return calendar_get(agency=dossier.deciding_agency)


def receipt_due_at(
    *, version: ProcedureVersion, received_at: datetime, calendar: WorkCalendar
) -> datetime:
    return whole_minute(
        compute_due_at(received_at, version.processing_time, version.time_unit, calendar)
    )


def step_due_at(
    *,
    step: ProcessStep,
    start: datetime,
    calendar: WorkCalendar,
    dossier_due_at: datetime | None,
    time_unit: str,
) -> datetime:
    """The step's budget counted in working hours from ``start``. For a procedure counted in
    calendar days, working hours can run past the dossier's own due time: the step is due no
    later than the dossier."""
    due = whole_minute(add_working_time(start, hours=step.budget_hours, calendar=calendar))
    if time_unit == TimeUnit.CALENDAR_DAYS and dossier_due_at is not None:
        due = min(due, dossier_due_at)
    return due


def after_wait(
    *,
    due_at: datetime,
    step_due_at: datetime | None,
    paused_at: datetime,
    resumed_at: datetime,
    calendar: WorkCalendar,
) -> tuple[datetime, datetime | None, float]:
    """Due time and step due time moved later by the working time between ``paused_at`` and
    ``resumed_at`` (never earlier); and the hours waited."""
    waited = working_time_between(paused_at, resumed_at, calendar)
    hours = max(waited.total_seconds(), 0) / 3600
    if hours <= 0:
        return due_at, step_due_at, 0.0
    due_at = whole_minute(add_working_time(due_at, hours=hours, calendar=calendar))
    if step_due_at is not None:
        step_due_at = whole_minute(add_working_time(step_due_at, hours=hours, calendar=calendar))
    return due_at, step_due_at, hours


#: SPEC §6: form 04 is issued no later than this many working days before the due time.
EXTENSION_NOTICE_WORKING_DAYS = 1


def extension_limit(
    *, due_at: datetime, version: ProcedureVersion, calendar: WorkCalendar
) -> datetime:
    """The latest new appointment: the due time plus the procedure's own processing time
    once more (*our choice*: "a reasonable time" read as no more than the time the law
    gives the whole procedure)."""
    return compute_due_at(due_at, version.processing_time, version.time_unit, calendar)


def extension_lateness(
    *, due_at: datetime | None, now: datetime, calendar: WorkCalendar, paused_at=None
) -> str | None:
    """Why form 04 can no longer be issued at ``now`` (SPEC §6: at the latest 1 working day
    before the due time, on the deciding agency's ``calendar``; while the dossier waits, its
    clock stopped when it began waiting); None while there is time. The transition table's
    guard (the buttons and the API's ``allowed_actions``) and ``extension_errors`` both ask."""
    if due_at is None:
        return str(_("Hồ sơ chưa được tiếp nhận nên chưa có ngày hẹn trả để gia hạn."))
    counted_from = min(paused_at or now, now)
    if counted_from >= due_at:
        return str(
            _(
                "Đã quá thời hạn giải quyết: không còn được xin lỗi và gia hạn. Phiếu mẫu 04 "
                "phải lập chậm nhất 1 ngày làm việc trước thời hạn."
            )
        )
    latest_notice = add_working_time(
        counted_from, days=EXTENSION_NOTICE_WORKING_DAYS, calendar=calendar
    )
    if latest_notice > due_at:
        return str(
            _(
                "Còn chưa đến 1 ngày làm việc trước thời hạn giải quyết: đã quá muộn để xin "
                "lỗi và gia hạn (mẫu 04 phải lập chậm nhất 1 ngày làm việc trước hạn)."
            )
        )
    return None


def extension_errors(
    *,
    due_at: datetime,
    new_due_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
    version: ProcedureVersion,
    paused_at: datetime | None = None,
) -> dict[str, str]:
    """What is wrong with a new appointment (form 04) asked for at ``now``, on the deciding
    agency's ``calendar``; empty when it may be set. While the dossier waits for the
    applicant or for payment (``paused_at``) its clock is stopped: the time left is what was
    left when it stopped. Once valid, the new appointment is ``extended_due_at``."""
    late = extension_lateness(due_at=due_at, now=now, calendar=calendar, paused_at=paused_at)
    if late is not None:
        return {NON_FIELD_ERRORS: late}
    if new_due_at is None or new_due_at.tzinfo is None:
        return {"new_due_at": _("Chọn ngày giờ hẹn trả mới.")}
    if not in_calendar_range(new_due_at) or not is_working_instant(new_due_at, calendar):
        return {
            "new_due_at": _(
                "Ngày giờ hẹn trả mới phải trong giờ làm việc của một ngày làm việc của cơ quan."
            )
        }
    if new_due_at <= due_at:
        return {"new_due_at": _("Ngày hẹn mới phải sau ngày hẹn hiện tại.")}
    limit = extension_limit(due_at=due_at, version=version, calendar=calendar)
    if new_due_at > limit:
        return {
            "new_due_at": _(
                "Ngày hẹn mới quá xa: không được gia hạn thêm quá thời gian giải quyết của "
                "thủ tục (muộn nhất %(limit)s)."
            )
            % {"limit": limit.astimezone(VN_TZ).strftime("%H:%M %d/%m/%Y")}
        }
    return {}


def extended_due_at(new_due_at: datetime) -> datetime:
    """The appointment an extension sets: the one asked for, to the whole minute (rounded up
    like every due time) — judged by ``extension_errors`` as so set."""
    return whole_minute(new_due_at)


def received_at_errors(
    *, received_at: datetime, now: datetime, may_backdate: bool = False
) -> dict[str, str]:
    """SPEC §12: not in the future, nor more than 30 days in the past unless a data
    migration files it."""
    if received_at.tzinfo is None:
        return {"received_at": _("Thời điểm tiếp nhận phải kèm múi giờ (+07:00).")}
    if received_at > now + CLOCK_SKEW:
        return {"received_at": _("Thời điểm tiếp nhận không được ở tương lai.")}
    if not in_calendar_range(received_at):
        return {"received_at": _("Lịch làm việc chỉ tính thời gian từ năm 1976 đến hết năm 2100.")}
    if not may_backdate and received_at < now - BACKDATING_LIMIT:
        return {
            "received_at": _(
                "Thời điểm tiếp nhận không được sớm hơn 30 ngày trước (hồ sơ cũ cần khóa API "
                "dùng để chuyển dữ liệu)."
            )
        }
    return {}


def due_soon_until(*, calendar: WorkCalendar, now: datetime) -> datetime:
    """Dossiers due between ``now`` and this instant are "due soon"."""
    return add_working_time(now, days=DUE_SOON_WORKING_DAYS, calendar=calendar)


def is_due_soon(dossier, *, now: datetime) -> bool:
    if not dossier.is_open or dossier.due_at is None:
        return False
    return now <= dossier.due_at <= due_soon_until(calendar=calendar_of(dossier), now=now)


def finish_outcome(*, finished_at: datetime, due_at: datetime) -> Outcome:
    return deadline_outcome(finished_at, due_at)
