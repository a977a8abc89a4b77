"""The period a leader asks for: from one day to another, inclusive, Vietnam time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from motcua.periods import period_date_error
from motcua.reports.figures import period_of_days
from motcua.workcalendar.calendar import VN_TZ

#: The longest period asked at once (a month-by-month line stays readable).
MAX_DAYS = 3 * 366


def default_days(now: datetime) -> tuple[date, date]:
    today = now.astimezone(VN_TZ).date()
    return today.replace(day=1), today


def period_errors(first: date | None, last: date | None, *, now: datetime) -> dict[str, str]:
    errors = {
        key: message
        for key, day in (("from", first), ("to", last))
        if (message := period_date_error(day)) is not None
    }
    if errors:
        return errors
    first, last = _filled(first, last, now)
    if first > last:
        return {"from": _("Ngày đầu kỳ phải trước hoặc bằng ngày cuối kỳ.")}
    if (last - first).days >= MAX_DAYS:
        return {"to": _("Kỳ báo cáo dài tối đa 3 năm.")}
    return {}


def _filled(first, last, now):
    default_first, default_last = default_days(now)
    return first or default_first, last or default_last


def period_from(first: date | None, last: date | None, *, now: datetime):
    """(period, first day, last day)."""
    first, last = _filled(first, last, now)
    return period_of_days(first, last), first, last


def quarter_days(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - timedelta(days=1)
