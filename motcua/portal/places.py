"""Where and when a citizen hands a dossier in: an agency's desks, phone and office hours, as
the procedure and agency pages show them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.workcalendar.calendar import STANDARD_SESSIONS

_NOT_DIALLED = re.compile(r"[^0-9+]")


def tel_href(phone: str) -> str:
    """A ``tel:`` link for a phone number as people write it ("0233 3852 000")."""
    return "tel:" + _NOT_DIALLED.sub("", phone)


@dataclass(frozen=True)
class HoursRow:
    season: str  # "Mùa hè (1/4 – 30/9)", or "" for all year
    sessions: str  # "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:30"


def _sessions(pairs) -> str:
    times = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in pairs)
    return _("Thứ Hai – Thứ Sáu: %(times)s") % {"times": times}


def office_hours(agency: Agency) -> list[HoursRow]:
    """The agency's office hours by season (``agency.office_hours``, prefetched), or the
    standard hours of SPEC §6 when it has none."""
    seasons = list(agency.office_hours.all())
    if not seasons:
        return [HoursRow("", _sessions((s.start, s.end) for s in STANDARD_SESSIONS))]
    return [
        HoursRow(
            f"{s.name} ({s.start_day}/{s.start_month} – {s.end_day}/{s.end_month})",
            _sessions([(s.morning_start, s.morning_end), (s.afternoon_start, s.afternoon_end)]),
        )
        for s in seasons
    ]


@dataclass(frozen=True)
class Counter:
    """A place to go: a desk of the agency, with its address and phone (the agency's when the
    desk gives none)."""

    name: str
    address: str
    phone: str

    @property
    def tel(self) -> str:
        return tel_href(self.phone)


def counters(agency: Agency) -> list[Counter]:
    return [
        Counter(desk.name, desk.address or agency.address, desk.phone or agency.phone)
        for desk in agency.desks.all()
    ]


@dataclass(frozen=True)
class Place:
    agency: Agency
    counters: list[Counter]
    hours: list[HoursRow]

    @property
    def tel(self) -> str:
        return tel_href(self.agency.phone) if self.agency.phone else ""


def place_of(agency: Agency) -> Place:
    return Place(agency, counters(agency), office_hours(agency))
