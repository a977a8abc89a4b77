"""Building a ``WorkCalendar`` from the database: two small queries, then pure arithmetic.

Calendars are kept per process for a minute: an administrator's change to office hours
or days off reaches every server process within that time (the admin clears its own process at
once)."""

from django.db.models import F, Q

from motcua.agencies.models import Agency
from motcua.ttlcache import TTLCache
from motcua.workcalendar.calendar import OfficeHours, Season, Session, WorkCalendar
from motcua.workcalendar.models import CalendarOverride, OfficeHoursSeason


def office_hours_get(*, agency: Agency | None) -> OfficeHours:
    if agency is None:
        return OfficeHours()
    seasons = tuple(
        Season(
            start=(row.start_month, row.start_day),
            end=(row.end_month, row.end_day),
            sessions=(
                Session(row.morning_start, row.morning_end),
                Session(row.afternoon_start, row.afternoon_end),
            ),
            name=row.name,
        )
        for row in OfficeHoursSeason.objects.filter(agency=agency)
    )
    return OfficeHours(seasons=seasons)


_calendars: TTLCache[WorkCalendar] = TTLCache(seconds=60)


def calendar_cache_clear() -> None:
    _calendars.clear()


def calendar_get(*, agency: Agency | None = None) -> WorkCalendar:
    """The agency's calendar (see ``calendar_build``), kept for a minute per process."""
    return _calendars.get(agency.pk if agency else None, lambda: calendar_build(agency=agency))


def calendar_build(*, agency: Agency | None = None) -> WorkCalendar:
    """The working calendar of ``agency`` (or the standard one): national holidays, the
    deployment-wide overrides, the agency's own overrides and its office hours. An agency's
    own override for a day wins over a deployment-wide one."""
    scope = Q(agency__isnull=True) | Q(agency=agency) if agency else Q(agency__isnull=True)
    days_off, working_days = {}, {}
    # Deployment-wide rows first, so the agency's own row for the same day replaces them.
    for row in CalendarOverride.objects.filter(scope).order_by(
        F("agency_id").asc(nulls_first=True)
    ):
        days_off.pop(row.date, None)
        working_days.pop(row.date, None)
        target = days_off if row.kind == CalendarOverride.Kind.DAY_OFF else working_days
        target[row.date] = True
    return WorkCalendar(
        office_hours=office_hours_get(agency=agency),
        extra_days_off=frozenset(days_off),
        extra_working_days=frozenset(working_days),
    )
