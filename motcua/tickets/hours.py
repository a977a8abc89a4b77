"""When a desk gives out numbers: in its agency's office sessions by the working calendar
(``workcalendar.calendar_get``: holidays and days off closed, make-up Saturdays open, seasons
and the lunch break as the agency set them), from ``QUEUE_OPEN_MARGIN_MINUTES`` (30) before
each session starts — people queue before the doors open — until it ends. Outside them, no
ticket: nobody is there to serve it, and a night of fake tickets would block the next day.

``QUEUE_TICKETS_ANY_TIME`` lifts the rule (tests and benchmarks against a server that runs
on the real clock; never in production)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.workcalendar.calendar import VN_TZ
from motcua.workcalendar.selectors import calendar_get

#: How far ahead the next opening is looked for (a long Tết holiday is about ten days).
LOOK_AHEAD_DAYS = 31


def _margin() -> timedelta:
    return timedelta(minutes=settings.QUEUE_OPEN_MARGIN_MINUTES)


def next_opening(desk, now: datetime) -> datetime | None:
    """``now`` when the desk gives out numbers now, else the next moment it will (None when
    not within ``LOOK_AHEAD_DAYS``)."""
    calendar = calendar_get(agency=desk.agency)
    local = now.astimezone(VN_TZ)
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        for session in calendar.sessions_on(day):
            opens = datetime.combine(day, session.start, tzinfo=VN_TZ) - _margin()
            closes = datetime.combine(day, session.end, tzinfo=VN_TZ)
            if local < closes:
                return max(local, opens)
    return None


def closed_reason(desk, now: datetime) -> str:
    """Why the desk gives no number at ``now`` (in Vietnamese), or "" when it does."""
    if settings.QUEUE_TICKETS_ANY_TIME:
        return ""
    opening = next_opening(desk, now)
    if opening is not None and opening <= now:
        return ""
    text = _("Ngoài giờ làm việc của bộ phận một cửa: chưa phát số thứ tự.")
    if opening is not None:
        text += " " + _("Mời ông/bà lấy số từ %(when)s.") % {"when": f"{opening:%H:%M %d/%m/%Y}"}
    return text
