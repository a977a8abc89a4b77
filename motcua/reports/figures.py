"""The leaders' indicators (SPEC §9) for an agency **subtree** (an agency and every agency
below it) and a period, by agency, field, procedure, unit and officer.

Every count is one of ``dossiers.indicators``' definitions (the same ``Q`` per count, so the
public page, the dashboard, the API and the drill-down lists cannot disagree): a dossier
belongs to the agency that decides it; the period ``[start, end)`` is judged as of
``min(end, now)``; finished early / on time / late by the minute against ``due_at``; open
ones judged at the period's end, a waiting one's clock stopped; sent back to the applicant
more than once counts as late. Besides those:

- **received online / at the desk / by post**: received in the period, by channel (SPEC §4);
- **average processing time**: finished in the period, from receipt to result, in calendar
  days (*our choice*: what the applicant lived through, waits included);
- **electronic results**: finished with an electronic (signed PDF) result; **digitised**:
  those whose documents were also scanned (at least one document file) — over finished;
- **unit**: the unit of the deciding agency that handles the procedure's first processing
  step (``process.unit_for``'s rule: the unit of the step's function, else the agency's
  first) — *our choice*, so a dossier stays with one unit from receipt to result;
- **field**: a procedure in two fields counts in both (the field filter does the same);
- **officer**: the steps an officer passed on in the period (forward, result ready,
  approval), on time when by the step's due time — the control slip's outcome (form 06).

The counts are grouped by deciding agency and procedure version (the rest is rolled up in
Python) and read (``_rows``, ADR 0023) from the day tallies for whole days, today so far and
the dossiers open at a day's first moment; from the dossiers only the open ones falling due
between now and midnight (the inbox index). Two queries for a period that ends now, one for
a past one, however many dossiers there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils.dateparse import parse_datetime

from motcua.agencies.models import Agency, Role, Unit
from motcua.catalog.models import OnlineLevel, ProcedureVersion, ProcessStep
from motcua.dossiers.indicators import (
    _CATEGORIES,
    DossierFigures,
    Period,
    _conditions,
    rating_summary,
)
from motcua.dossiers.models import (
    INBOX_CONDITION,
    OPEN_STATUSES,
    Attachment,
    Channel,
    DayTally,
    Dossier,
    DossierEvent,
    ResultKind,
)
from motcua.dossiers.transitions import Action
from motcua.reports import sources
from motcua.workcalendar.calendar import VN_TZ

#: The counts a row of figures holds (besides the five of ``DossierFigures``' outcomes).
EXTRA = (
    "received",
    "received_online",
    "received_post",
    "finished_electronic",
    "finished_digitised",
)
COUNTS = (*EXTRA, *_CATEGORIES)
#: The events that end an officer's step.
STEP_ENDS = (Action.FORWARD, Action.RESULT_READY, Action.APPROVE)


def period_of_days(first: date, last: date) -> Period:
    """The days ``first`` … ``last`` inclusive, Vietnam time."""
    start = datetime.combine(first, time(0), tzinfo=VN_TZ)
    return Period(start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=VN_TZ))


def months_of(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period."""
    found = []
    start = period.start.astimezone(VN_TZ)
    cursor = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while cursor < period.end:
        following = (
            cursor.replace(year=cursor.year + 1, month=1)
            if cursor.month == 12
            else cursor.replace(month=cursor.month + 1)
        )
        found.append(Period(max(cursor, period.start), min(following, period.end)))
        cursor = following
    return found


def percent(part: int, whole: int) -> Decimal | None:
    """Per cent, one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """The counts of some dossiers over one period (names in ``COUNTS``), and the summed
    processing time of the finished ones."""

    received: int = 0
    received_online: int = 0
    received_post: int = 0
    finished_electronic: int = 0
    finished_digitised: int = 0
    finished_early: int = 0
    finished_on_time: int = 0
    finished_late: int = 0
    open_on_time: int = 0
    open_overdue: int = 0
    processing: timedelta = field(default_factory=timedelta)

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def outcomes(self) -> DossierFigures:
        return DossierFigures(
            received=self.received, **{name: getattr(self, name) for name in _CATEGORIES}
        )

    @property
    def received_desk(self) -> int:
        return self.received - self.received_online - self.received_post

    @property
    def finished(self) -> int:
        return self.finished_early + self.finished_on_time + self.finished_late

    @property
    def on_time_rate(self) -> Decimal | None:
        return self.outcomes.on_time_rate

    @property
    def late_rate(self) -> Decimal | None:
        figures = self.outcomes
        return percent(figures.late, figures.counted)

    @property
    def online_share(self) -> Decimal | None:
        return percent(self.received_online, self.received)

    @property
    def electronic_share(self) -> Decimal | None:
        return percent(self.finished_electronic, self.finished)

    @property
    def digitised_share(self) -> Decimal | None:
        return percent(self.finished_digitised, self.finished)

    @property
    def average_days(self) -> Decimal | None:
        """Average from receipt to result, calendar days, one decimal."""
        if not self.finished:
            return None
        days = Decimal(self.processing.total_seconds()) / 86400 / self.finished
        return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scope:
    """Which dossiers: those decided by ``agency_ids``, optionally of one field or one
    procedure."""

    agency_ids: frozenset[int]
    field_id: int | None = None
    procedure_id: int | None = None

    def dossiers(self):
        qs = Dossier.objects.filter(deciding_agency_id__in=self.agency_ids)
        if self.procedure_id is not None:
            qs = qs.filter(procedure_version__procedure_id=self.procedure_id)
        if self.field_id is not None:
            qs = qs.filter(procedure_version__fields=self.field_id)
        return qs

    def versions(self):
        qs = ProcedureVersion.objects.all()
        if self.procedure_id is not None:
            qs = qs.filter(procedure_id=self.procedure_id)
        if self.field_id is not None:
            qs = qs.filter(fields=self.field_id)
        return qs


def _day_annotations(qs):
    return qs.annotate(
        finished_day=TruncDate("finished_at", tzinfo=VN_TZ),
        due_day=TruncDate("due_at", tzinfo=VN_TZ),
    )


def count_conditions(period: Period, now: datetime) -> dict[str, Q]:
    """For each count of ``COUNTS``, the condition a dossier row meets (annotated with
    ``finished_day`` and ``due_day``): ``dossiers.indicators``' own and the extra ones."""
    conditions = _conditions(period, now)
    received = conditions["received"]
    finished = (
        conditions["finished_early"] | conditions["finished_on_time"] | conditions["finished_late"]
    )
    electronic = finished & Q(result_kind=ResultKind.ELECTRONIC)
    scanned = Exists(
        Attachment.objects.filter(dossier=OuterRef("pk"), kind=Attachment.Kind.DOCUMENT)
    )
    return {
        **conditions,
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_post": received & Q(channel=Channel.POST),
        "finished_electronic": electronic,
        "finished_digitised": electronic & Q(scanned),
    }


def _finished(period: Period, now: datetime) -> Q:
    c = _conditions(period, now)
    return c["finished_early"] | c["finished_on_time"] | c["finished_late"]


def _aggregates(period: Period, now: datetime, *, names: Collection[str]) -> dict:
    conditions = count_conditions(period, now)
    out = {name: Count("pk", filter=conditions[name]) for name in names}
    if "received" in names:
        out["processing"] = Sum(
            ExpressionWrapper(F("finished_at") - F("received_at"), output_field=DurationField()),
            filter=_finished(period, now),
        )
    return out


OPEN_COUNTS = tuple(n for n in COUNTS if n.startswith("open_"))
DAY_COUNTS = tuple(n for n in COUNTS if not n.startswith("open_"))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VN_TZ)


def _whole_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The days wholly inside ``[start, end)``: (first, stop), ``stop`` excluded."""
    first = start.astimezone(VN_TZ).date()
    if _midnight(first) < start:
        first += timedelta(days=1)
    return first, max(first, end.astimezone(VN_TZ).date())


def _counted(qs, group, aggregates: dict):
    """The aggregates per ``group`` (rows), or of the whole queryset (one row)."""
    if group:
        yield from qs.values(*group).annotate(**aggregates).order_by()
    else:
        yield qs.aggregate(**aggregates)


def _live(scope: Scope, period: Period, now: datetime, group, *, names, open_counts: bool):
    """Counted from the dossiers (``names`` over the period; with ``open_counts`` the open
    ones at its as-of moment too), in two aggregate queries: dossiers active since the start
    (the activity index), and older ones still open (the inbox index)."""
    recent = (
        _day_annotations(scope.dossiers())
        .annotate(activity=Coalesce("finished_at", "received_at"))
        .filter(activity__gte=period.start)
    )
    parts = [(recent, (*names, *(OPEN_COUNTS if open_counts else ())))]
    if open_counts:
        older = scope.dossiers().filter(
            INBOX_CONDITION,
            status__in=OPEN_STATUSES,
            finished_at__isnull=True,
            received_at__lt=period.start,
        )
        parts.append((_day_annotations(older), OPEN_COUNTS))
    for qs, counted in parts:
        yield from _counted(qs, group, _aggregates(period, now, names=counted))


def _tally_rows(scope: Scope):
    qs = DayTally.objects.filter(deciding_agency_id__in=scope.agency_ids)
    if scope.procedure_id is not None or scope.field_id is not None:
        qs = qs.filter(procedure_version_id__in=scope.versions().values("pk"))
    return qs


def _tallied(scope: Scope, first: date, stop: date, group, *, open_at: date):
    """Read from the day tallies (ADR 0023), one query: the counts of the days ``first`` …
    ``stop`` (excluded), and the dossiers open at ``open_at``'s first moment: every day's
    change in them up to that day (a dossier adds one the day it is first open and takes it
    back the day it is not, ``tallies.contribution``), so no dossier row is read."""
    days = Q(day__gte=first, day__lt=stop)
    until = Q(day__lte=open_at)
    qs = _tally_rows(scope).filter(days | until)
    sums = {name: Sum(name, filter=days, default=0) for name in DAY_COUNTS}
    sums["processing_us"] = Sum("processing_us", filter=days, default=0)
    sums |= {name: Sum(f"{name}_change", filter=until, default=0) for name in OPEN_COUNTS}
    rows = qs.values(*group).annotate(**sums).order_by() if group else [qs.aggregate(**sums)]
    for row in rows:
        row["processing"] = timedelta(microseconds=row.pop("processing_us") or 0)
        yield row


def _open_change(scope: Scope, as_of: datetime, now: datetime, group):
    """How the open ones changed from the first moment of ``as_of``'s day to ``as_of`` (rows
    of ``open_*`` counts, which may be negative). A dossier is judged open on time or overdue
    at a moment by its received, finished and due times against it (``_conditions``), so
    only those received or finished since that first moment (the activity index) and older
    open ones falling due since (the inbox index) can differ: two small queries."""
    midnight = _midnight(as_of.astimezone(VN_TZ).date())
    before = _conditions(Period(midnight, midnight), now)
    after = _conditions(Period(midnight, as_of), now)
    changes = {
        name: Count("pk", filter=after[name]) - Count("pk", filter=before[name])
        for name in OPEN_COUNTS
    }
    recent = (
        scope.dossiers()
        .annotate(activity=Coalesce("finished_at", "received_at"))
        .filter(activity__gte=midnight)
    )
    falling_due = scope.dossiers().filter(
        INBOX_CONDITION,
        status__in=OPEN_STATUSES,
        finished_at__isnull=True,
        received_at__lt=midnight,
        due_at__gte=midnight,
        due_at__lt=as_of,
    )
    for qs in (recent, falling_due):
        yield from _counted(qs, group, changes)


def _falling_due_tonight(scope: Scope, now: datetime, group):
    """The open ones on time now that the tallies count overdue at the next day's first
    moment (due between now and midnight, their clock running), as rows of ``open_*``
    changes from that moment back to now: one small query of the inbox index. With the
    tallies' open ones at the next day's first moment (every change up to that day), that
    is the open ones now — nothing is received or finished after now."""
    tonight = _midnight(now.astimezone(VN_TZ).date() + timedelta(days=1))
    on_time_now = _conditions(Period(now, now), now)["open_on_time"]
    overdue_tonight = _conditions(Period(tonight, tonight), tonight)["open_overdue"]
    turning = Count("pk", filter=on_time_now & overdue_tonight)
    qs = scope.dossiers().filter(
        INBOX_CONDITION,
        status__in=OPEN_STATUSES,
        finished_at__isnull=True,
        due_at__gte=now,
        due_at__lt=tonight,
    )
    yield from _counted(qs, group, {"open_on_time": turning, "open_overdue": -turning})


def _rows(scope: Scope, period: Period, now: datetime, group: tuple[str, ...]):
    """The counts per ``group`` (column names), as rows to be summed, from the day tallies:
    whole days, and the dossiers open at the as-of day's first moment. A period that runs to
    now (nothing is received or finished after now) takes today's row too, and the open
    ones at tonight's midnight less those falling due before it (``_falling_due_tonight``).
    From the dossiers: a period's first day begun after midnight, and a past period ended
    inside a day (``_live``, ``_open_change``)."""
    as_of = period.as_of(now)
    first, stop = _whole_days(period.start, as_of)
    as_of_day = as_of.astimezone(VN_TZ).date()
    begun = _midnight(as_of_day) != as_of
    to_now = begun and as_of == now and period.start <= _midnight(as_of_day)
    if to_now:
        tomorrow = as_of_day + timedelta(days=1)
        yield from _tallied(scope, first, tomorrow, group, open_at=tomorrow)
        yield from _falling_due_tonight(scope, now, group)
    else:
        yield from _tallied(scope, first, stop, group, open_at=as_of_day)
    if period.start < _midnight(first):  # a first day begun after midnight
        head = Period(period.start, min(_midnight(first), as_of))
        yield from _live(scope, head, now, group, names=DAY_COUNTS, open_counts=False)
    if begun and not to_now:  # a day ended mid-day: its counts, the open ones since 00:00
        tail = Period(max(period.start, min(_midnight(stop), as_of)), period.end)
        yield from _live(scope, tail, now, group, names=DAY_COUNTS, open_counts=False)
        yield from _open_change(scope, as_of, now, group)


def _tally(row: dict) -> Tally:
    return Tally(
        **{name: row.get(name) or 0 for name in COUNTS},
        processing=row.get("processing") or timedelta(),
    )


def total(scope: Scope, period: Period, now: datetime) -> Tally:
    """The counts of the whole scope over the period (``_rows``: two or three queries)."""
    found = Tally()
    for row in _rows(scope, period, now, ()):
        found.add(_tally(row))
    return found


@dataclass
class Row:
    """One line of a breakdown: a name, a link key and its counts."""

    key: str
    name: str
    tally: Tally = field(default_factory=Tally)


@dataclass
class OfficerRow:
    user_id: int
    name: str
    agency: str
    steps: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.steps)


@dataclass
class Breakdown:
    """The scope's counts over one period, in total and by agency, field, procedure, unit."""

    total: Tally
    by_agency: list[Row]
    by_field: list[Row]
    by_procedure: list[Row]
    by_unit: list[Row]


def _version_facts(version_ids: Collection[int]):
    """For each version: its procedure's code and name, its fields, and the function and
    role of its first processing step (the unit rule of the module's docstring)."""
    versions = ProcedureVersion.objects.filter(pk__in=version_ids).select_related("procedure")
    facts = {v.pk: {"code": v.procedure.code, "name": v.name, "fields": []} for v in versions}
    for version_id, field_id, field_name in ProcedureVersion.fields.through.objects.filter(
        procedureversion_id__in=version_ids
    ).values_list("procedureversion_id", "field_id", "field__name"):
        facts[version_id]["fields"].append((field_id, field_name))
    steps = (
        ProcessStep.objects.filter(
            version_id__in=version_ids, role__in=(Role.SPECIALIST, Role.UNIT_HEAD)
        )
        .order_by("version_id", "order")
        .values_list("version_id", "unit_function")
    )
    for version_id, function in steps:
        facts[version_id].setdefault("unit_function", function)
    return facts


def unit_of(function: str | None, units: list[Unit]) -> Unit | None:
    """``process.unit_for`` over units already read: the unit of the step's function, else
    the agency's first; None when the procedure has no processing step."""
    if function is None:
        return None
    for unit in units:
        if function and unit.function == function:
            return unit
    return units[0] if units else None


def breakdown(scope: Scope, period: Period, now: datetime) -> Breakdown:
    """Counts in total and by agency, field, procedure and unit (``_rows``, and
    one each for the versions, fields, steps, agencies and units they name)."""
    rows = list(_rows(scope, period, now, ("deciding_agency_id", "procedure_version_id")))
    versions = _version_facts({r["procedure_version_id"] for r in rows})
    agency_ids = {r["deciding_agency_id"] for r in rows}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=agency_ids)}
    units_of: dict[int, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(agency_id__in=agency_ids).order_by("pk"):
        units_of[unit.agency_id].append(unit)
    result = Breakdown(Tally(), [], [], [], [])
    by: dict[str, dict] = {"agency": {}, "field": {}, "procedure": {}, "unit": {}}

    def bump(kind: str, key, name: str, tally: Tally) -> None:
        by[kind].setdefault(key, Row(str(key), name)).tally.add(tally)

    for row in rows:
        tally = _tally(row)
        result.total.add(tally)
        agency = agencies[row["deciding_agency_id"]]
        facts = versions[row["procedure_version_id"]]
        bump("agency", agency.code, agency.name, tally)
        bump("procedure", facts["code"], facts["name"], tally)
        for field_id, field_name in facts["fields"]:
            bump("field", field_id, field_name, tally)
        unit = unit_of(facts.get("unit_function"), units_of[agency.pk])
        if unit is not None:
            bump("unit", unit.pk, f"{unit.name} – {agency.name}", tally)
    result.by_agency = sorted(by["agency"].values(), key=lambda r: r.name)
    result.by_field = sorted(by["field"].values(), key=lambda r: r.name)
    result.by_procedure = sorted(by["procedure"].values(), key=lambda r: r.key)
    result.by_unit = sorted(by["unit"].values(), key=lambda r: r.name)
    return result


def officers(scope: Scope, period: Period, now: datetime) -> list[OfficerRow]:
    """Officers ranked by the share of their steps passed on by the step's due time (best
    first, then by number of steps); one query."""
    as_of = period.as_of(now)
    events = DossierEvent.objects.filter(
        dossier__in=scope.dossiers(),
        action__in=[a.value for a in STEP_ENDS],
        actor__isnull=False,
        at__gte=period.start,
        at__lt=as_of,
    ).values_list("actor_id", "actor_name", "at", "data", "dossier__deciding_agency__name")
    found: dict[int, OfficerRow] = {}
    for actor_id, actor_name, at, data, agency in events:
        row = found.setdefault(actor_id, OfficerRow(actor_id, actor_name, agency))
        row.steps += 1
        due = (data or {}).get("step_due_at")
        if due is None or at <= parse_datetime(due):
            row.on_time += 1
    return sorted(found.values(), key=lambda r: (-(r.on_time_rate or 0), -r.steps, r.name))


def trend(scope: Scope, period: Period, now: datetime) -> list[tuple[Period, Tally]]:
    """The scope's totals month by month (at most 36, none yet to come), from two queries of
    the tallies (by day since the first month, and the open ones' changes before it, summed:
    ``_rows``' rule): this month with today's tally so far and the open ones at tonight's
    midnight less those falling due before it; a month not made of whole days as ``total``."""
    months = [m for m in months_of(period) if m.start <= now][-36:]  # none yet to come
    if not months:
        return []
    today = now.astimezone(VN_TZ).date()
    sums = {name: Sum(name) for name in (*DAY_COUNTS, "processing_us")}
    sums |= {name: Sum(f"{name}_change") for name in OPEN_COUNTS}
    first = months[0].start.astimezone(VN_TZ).date()
    by_day = list(
        _tally_rows(scope).filter(day__gte=first, day__lte=today + timedelta(days=1))
        .values("day")
        .annotate(**sums).order_by()
    )  # fmt: skip
    open_before = (
        _tally_rows(scope)
        .filter(day__lt=first)
        .aggregate(**{name: Sum(f"{name}_change", default=0) for name in OPEN_COUNTS})
    )
    found = []
    for month in months:
        as_of = month.as_of(now)
        start_day, end_day = (m.astimezone(VN_TZ).date() for m in (month.start, as_of))
        so_far = _midnight(end_day) != as_of and as_of == now  # this month: today so far
        if _midnight(start_day) != month.start or (_midnight(end_day) != as_of and not so_far):
            found.append((month, total(scope, month, now)))
            continue
        tally = Tally(**open_before)
        for row in by_day:
            if start_day <= row["day"] < end_day or (so_far and row["day"] == end_day):
                tally.add(
                    Tally(
                        **{n: row[n] or 0 for n in DAY_COUNTS},
                        processing=timedelta(microseconds=row["processing_us"] or 0),
                    )
                )
            if row["day"] <= end_day + timedelta(days=so_far):  # tonight's midnight
                tally.open_on_time += row["open_on_time"] or 0
                tally.open_overdue += row["open_overdue"] or 0
        if so_far:
            for row in _falling_due_tonight(scope, now, ()):
                tally.add(_tally(row))
        found.append((month, tally))
    return found


# --- figures beyond the dossiers --------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureOffer:
    """The procedures the scope's agencies handle, and how many of them online."""

    procedures: int
    online: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.online, self.procedures)


def procedure_offer(scope: Scope) -> ProcedureOffer:
    """The procedures in force that the scope's active agencies with a desk handle
    (``catalog.selectors.agencies_handling``' rule), and those offered online (một phần or
    toàn trình)."""
    levels = (
        Agency.objects.filter(pk__in=scope.agency_ids, is_active=True, desks__isnull=False)
        .values_list("level_id", flat=True)
        .distinct()
    )
    versions = scope.versions().filter(
        status=ProcedureVersion.Status.PUBLISHED, agency_levels__in=list(levels)
    )
    counts = versions.aggregate(
        procedures=Count("procedure", distinct=True),
        online=Count(
            "procedure",
            distinct=True,
            filter=Q(online_level__in=(OnlineLevel.PARTIAL, OnlineLevel.FULL)),
        ),
    )
    return ProcedureOffer(counts["procedures"], counts["online"])


@dataclass(frozen=True)
class Others:
    """The figures read through ``sources`` (None: no data yet)."""

    satisfaction: Decimal | None
    ratings: object
    online_payment_share: Decimal | None
    feedback_on_time_rate: Decimal | None
    reuse_share: Decimal | None


def others(scope: Scope, period: Period, now: datetime, tally: Tally) -> Others:
    ids = scope.agency_ids
    ratings = sources.rating_counts(agency_ids=ids, period=period, now=now)
    unhappy = sources.dissatisfied_dossiers(agency_ids=ids, period=period, now=now)
    payments = sources.online_payments(agency_ids=ids, period=period, now=now)
    feedback = sources.feedback_handled(agency_ids=ids, period=period, now=now)
    reused = sources.reused_documents(agency_ids=ids, period=period, now=now)
    counted = tally.outcomes.counted
    score = None
    if unhappy is not None and counted:
        # SPEC §9: 100 % − (late rate + share with a complaint or a "not satisfied" rating).
        score = max(Decimal(0), Decimal(100) - tally.late_rate - percent(unhappy, counted))
    return Others(
        satisfaction=score,
        ratings=rating_summary(ratings) if ratings is not None else None,
        online_payment_share=percent(*payments) if payments else None,
        feedback_on_time_rate=percent(*feedback) if feedback else None,
        reuse_share=percent(*reused) if reused else None,
    )
