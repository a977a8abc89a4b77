"""Working-time arithmetic (SPEC §6), as pure functions: no ORM, no clock, no settings.

A ``WorkCalendar`` says which days are working days and which office sessions each has; the
functions below count working time over it. Everything is in Vietnam time (Asia/Ho_Chi_Minh,
UTC+7 with no daylight saving); an aware datetime in another zone is converted, a naive one is
refused, since reading it in the server's zone is a classic bug.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: SPEC §6: a processing time of N working days is N × 8 working hours.
HOURS_PER_WORKING_DAY = 8

#: SPEC §6: a same-day procedure received after this time is due the next working day.
SAME_DAY_CUTOFF = time(15, 0)

#: A calendar with no working day in this many consecutive days is broken, not slow.
_MAX_IDLE_DAYS = 800

#: The days the calendar counts on. Viet Nam has kept +07:00 all year only since 13 June
#: 1975 (the zone's history gives +08:00 before that and local mean time, +07:06:30, before
#: 1906), and the `holidays` package knows the national (lunar) holidays up to 2100: a
#: moment outside these years is refused, never counted with a wrong offset or without Tết.
FIRST_DAY = date(1976, 1, 1)
LAST_DAY = date(2100, 12, 31)
OUT_OF_RANGE = "Lịch làm việc chỉ tính thời gian từ năm 1976 đến hết năm 2100."


class TimeUnit(enum.StrEnum):
    """How a procedure's processing time is counted."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"
    WORKING_HOURS = "working_hours"


class Outcome(enum.StrEnum):
    """SPEC §6: how a finished dossier or step compares with its due time."""

    EARLY = "early"  # trước hạn: finished on a day before the due day
    ON_TIME = "on_time"  # đúng hạn: on the due day, at or before the due time
    LATE = "late"  # quá hạn: after the due time


@dataclass(frozen=True)
class Session:
    """One opening of the office in a day, e.g. 07:30–11:30."""

    start: time
    end: time

    def __post_init__(self):
        if not self.start < self.end:
            raise ValueError(
                f"Buổi làm việc phải kết thúc sau khi bắt đầu ({self.start}–{self.end})."
            )

    @property
    def length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


STANDARD_SESSIONS: tuple[Session, ...] = (
    Session(time(7, 30), time(11, 30)),
    Session(time(13, 0), time(17, 0)),
)


@dataclass(frozen=True)
class Season:
    """Office sessions used from ``start`` to ``end`` (month, day), both inclusive.

    A season may wrap around the new year (e.g. 1/10 → 31/3).
    """

    start: tuple[int, int]
    end: tuple[int, int]
    sessions: tuple[Session, ...]
    name: str = ""

    def contains(self, day: date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


@dataclass(frozen=True)
class OfficeHours:
    """An agency's office sessions: the first season that contains a day wins, else ``default``."""

    default: tuple[Session, ...] = STANDARD_SESSIONS
    seasons: tuple[Season, ...] = ()

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        for season in self.seasons:
            if season.contains(day):
                return season.sessions
        return self.default


@lru_cache(maxsize=256)
def national_days_off(year: int) -> frozenset[date]:
    """Public holidays of Viet Nam (with substitute days off) from the ``holidays`` package."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=256)
def national_make_up_days(year: int) -> frozenset[date]:
    """Weekend days announced as working days to make up for a bridged holiday."""
    calendar = holidays.country_holidays("VN", years=year)
    return frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)


def national_holiday_names(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and office hours of one agency (or the standard calendar).

    ``extra_days_off`` and ``extra_working_days`` are the administrators' overrides; they win
    over the national holidays, which win over the Monday–Friday week.
    """

    office_hours: OfficeHours = field(default_factory=OfficeHours)
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    national_holidays: bool = True

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        if day in self.extra_working_days:
            return True
        if self.national_holidays:
            if day in national_days_off(day.year):
                return False
            if day in national_make_up_days(day.year):
                return True
        return day.weekday() < 5

    def sessions_on(self, day: date) -> tuple[Session, ...]:
        """Office sessions of ``day``; none on a day off. A make-up Saturday has its season's
        ordinary weekday hours."""
        if not self.is_working_day(day):
            return ()
        return self.office_hours.sessions_on(day)

    def next_working_day(self, day: date) -> date:
        for _ in range(_MAX_IDLE_DAYS):
            day += timedelta(days=1)
            if day > LAST_DAY:
                raise ValueError(OUT_OF_RANGE)
            if self.sessions_on(day):
                return day
        raise ValueError("Lịch làm việc không có ngày làm việc nào.")


STANDARD_CALENDAR = WorkCalendar()

_FIRST_MOMENT = datetime.combine(FIRST_DAY, time(0), tzinfo=VN_TZ)
_END_MOMENT = datetime.combine(LAST_DAY + timedelta(days=1), time(0), tzinfo=VN_TZ)


def in_calendar_range(moment: datetime) -> bool:
    """Whether an aware ``moment`` falls on a day the calendar counts (1976 to 2100)."""
    return _FIRST_MOMENT <= moment < _END_MOMENT


def to_local(moment: datetime) -> datetime:
    """``moment`` as a naive wall-clock time in Vietnam; naive input is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Thời điểm phải kèm múi giờ (ISO 8601 có độ lệch, ví dụ +07:00).")
    if not in_calendar_range(moment):
        raise ValueError(OUT_OF_RANGE)
    return moment.astimezone(VN_TZ).replace(tzinfo=None)


def _aware(local: datetime) -> datetime:
    return local.replace(tzinfo=VN_TZ)


def _sessions_from(local: datetime, calendar: WorkCalendar):
    """Yield (begin, end) naive local intervals of working time from ``local`` onward."""
    day = local.date()
    idle = 0
    while True:
        if day > LAST_DAY:
            raise ValueError(OUT_OF_RANGE)
        sessions = calendar.sessions_on(day)
        if sessions:
            idle = 0
            for session in sessions:
                end = datetime.combine(day, session.end)
                if end <= local:
                    continue
                yield max(local, datetime.combine(day, session.start)), end
        else:
            idle += 1
            if idle > _MAX_IDLE_DAYS:
                raise ValueError("Lịch làm việc không có ngày làm việc nào.")
        day += timedelta(days=1)


def add_working_time(
    start: datetime,
    *,
    days: Decimal | float | int | None = None,
    hours: Decimal | float | int | None = None,
    calendar: WorkCalendar = STANDARD_CALENDAR,
) -> datetime:
    """The instant at which ``days`` working days (× 8 h) or ``hours`` working hours run out,
    counted from ``start``. Time outside office hours does not count; a start outside office
    hours counts from the next opening; running out exactly at closing time gives closing time.
    """
    if (days is None) == (hours is None):
        raise ValueError("Cho biết đúng một trong hai: số ngày làm việc hoặc số giờ làm việc.")
    total_hours = Decimal(str(days)) * HOURS_PER_WORKING_DAY if days is not None else hours
    remaining = timedelta(seconds=round(float(Decimal(str(total_hours)) * 3600)))
    if remaining < timedelta(0):
        raise ValueError("Thời gian xử lý không được âm.")
    for begin, end in _sessions_from(to_local(start), calendar):
        available = end - begin
        if remaining <= available:
            return _aware(begin + remaining)
        remaining -= available
    raise AssertionError("unreachable")  # _sessions_from never ends by itself


def working_time_between(a: datetime, b: datetime, calendar: WorkCalendar = STANDARD_CALENDAR):
    """Working time from ``a`` to ``b`` as a timedelta (negative when ``b`` is before ``a``)."""
    if b < a:
        return -working_time_between(b, a, calendar)
    local_a, local_b = to_local(a), to_local(b)
    total = timedelta(0)
    for begin, end in _sessions_from(local_a, calendar):
        if begin >= local_b:
            break
        total += min(end, local_b) - begin
    return total


def is_working_instant(moment: datetime, calendar: WorkCalendar = STANDARD_CALENDAR) -> bool:
    """Whether ``moment`` falls within an office session of a working day, its opening and
    closing included (a due time may be the instant the office closes)."""
    local = to_local(moment)
    return any(s.start <= local.time() <= s.end for s in calendar.sessions_on(local.date()))


def end_of_working_day(day: date, calendar: WorkCalendar) -> datetime:
    """Closing time of ``day`` if it is a working day, else of the next working day."""
    sessions = calendar.sessions_on(day)
    if not sessions:
        day = calendar.next_working_day(day)
        sessions = calendar.sessions_on(day)
    return _aware(datetime.combine(day, sessions[-1].end))


def add_calendar_days(start: datetime, days: int, calendar: WorkCalendar = STANDARD_CALENDAR):
    """Calendar-day processing time: the end of office hours on the N-th calendar day; a due
    day that is not a working day moves to the end of the next working day (Civil Code
    2015 arts. 147–148)."""
    if days < 0 or int(days) != days:
        raise ValueError("Số ngày theo lịch phải là số nguyên không âm.")
    first = to_local(start).date()
    if days > (LAST_DAY - first).days:
        raise ValueError(OUT_OF_RANGE)
    return end_of_working_day(first + timedelta(days=int(days)), calendar)


def same_day_due(start: datetime, calendar: WorkCalendar = STANDARD_CALENDAR) -> datetime:
    """Same-day procedures: due at closing time of the day of receipt, or of the next working
    day when received after 15:00 (a receipt outside office hours counts from the next opening)."""
    opening = to_local(add_working_time(start, hours=0, calendar=calendar))
    day = opening.date()
    if opening.time() > SAME_DAY_CUTOFF:
        day = calendar.next_working_day(day)
    return end_of_working_day(day, calendar)


def compute_due_at(
    start: datetime,
    amount: Decimal | float | int,
    unit: TimeUnit | str,
    calendar: WorkCalendar = STANDARD_CALENDAR,
) -> datetime:
    """Due time of a processing time expressed in any ``TimeUnit``."""
    unit = TimeUnit(unit)
    if unit is TimeUnit.WORKING_DAYS:
        return add_working_time(start, days=amount, calendar=calendar)
    if unit is TimeUnit.WORKING_HOURS:
        return add_working_time(start, hours=amount, calendar=calendar)
    if unit is TimeUnit.CALENDAR_DAYS:
        return add_calendar_days(start, amount, calendar)
    return same_day_due(start, calendar)


def processing_hours(amount: Decimal | float | int, unit: TimeUnit | str) -> Decimal:
    """Working hours available for the internal steps of a processing time (SPEC §6: the sum of
    step budgets cannot exceed it). A calendar day allows at most one working day's hours; a
    same-day procedure, one working day."""
    unit = TimeUnit(unit)
    amount = Decimal(str(amount))
    if unit is TimeUnit.WORKING_HOURS:
        return amount
    if unit is TimeUnit.SAME_DAY:
        return Decimal(HOURS_PER_WORKING_DAY)
    return amount * HOURS_PER_WORKING_DAY


def deadline_outcome(finished_at: datetime, due_at: datetime) -> Outcome:
    """Judged to the minute: late means after the due instant, not after the due day."""
    if finished_at > due_at:
        return Outcome.LATE
    if to_local(finished_at).date() < to_local(due_at).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def deadline_outcome_by_day(finished_at: datetime, due_at: datetime) -> Outcome:
    """The day-level outcome that other systems report, for comparability only."""
    finished_day, due_day = to_local(finished_at).date(), to_local(due_at).date()
    if finished_day < due_day:
        return Outcome.EARLY
    return Outcome.ON_TIME if finished_day == due_day else Outcome.LATE
