"""Figures about an agency's dossiers over a period, counted live from the dossiers (SPEC §9):
never from a nightly copy, so a figure equals a recount at any moment.

The definitions (SPEC §9 and §6; *our choice* where marked):

- The period is ``[start, end)``; it is judged **as of** ``min(end, now)``, so the running
  month and year are judged now, not at their end.
- **Received**: received (``received_at``) in the period.
- The **dossiers of the period**, over which the rate is taken, are those received before
  the as-of moment and either finished (``finished_at``, result ready) in the period, or
  still open at the as-of moment: received in the period or carried over from before.
- A finished dossier is **early** when finished on a day before its due day, **on time** when
  finished on the due day by the due time, **late** after the due time (``deadline_outcome``).
- An open dossier is **overdue** when its due time has passed at the as-of moment; while it
  waits for the applicant or for payment its clock is stopped (``paused_at``), so it is
  overdue only if it was already overdue when it started waiting. ``due_at`` already moves
  later by the time waited once the dossier comes back (``deadlines.after_wait``).
- A dossier sent back to the applicant **more than once** (``supplement_count`` > 1) counts
  as late, finished or not.
- **On-time rate** = (early + on time + open not yet due) ÷ dossiers of the period.
- **Late** = finished late + open overdue.
- Withdrawn, stopped and rejected dossiers have no result to judge: they are counted as
  received, not in the rate (*our choice*).

The figures are per **deciding agency** (the agency whose work they are; ND 118 lets another
desk receive). ``dossier_figures`` makes two aggregate queries whatever the number of periods
or dossiers: one reads the index ``dossier_agency_activity_idx`` (agency, COALESCE(finished,
received)) from the earliest start, the other the open dossiers received before it through
``dossier_agency_inbox_idx``.

The **average satisfaction** the public page shows comes from the applicants' overall ratings
(SPEC §8): ``rating_summary`` takes the number of ratings per level and gives ``None`` — "no
data", never 0 — when there are none. ``agency_rating_counts`` reads them, live, from the
ratings app when it is installed (issue 10 item 7). SPEC §9's *Satisfaction* indicator
(100 % − (late rate + share of dossiers with a complaint or a "not satisfied" rating)) is a
different figure, for the leaders' dashboard: built from ``DossierFigures`` and the ratings and
complaints, not here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from motcua.dossiers.models import INBOX_CONDITION, OPEN_STATUSES, Dossier
from motcua.workcalendar.calendar import VN_TZ

#: SPEC §9: sent back to the applicant more than this many times counts as late.
SUPPLEMENTS_ALLOWED = 1


@dataclass(frozen=True)
class Period:
    """``[start, end)``, aware datetimes."""

    start: datetime
    end: datetime

    def as_of(self, now: datetime) -> datetime:
        return min(self.end, now)


def month_of(now: datetime) -> Period:
    """The calendar month (Vietnam time) that holds ``now``."""
    local = now.astimezone(VN_TZ)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else (start.replace(month=start.month + 1))
    )
    return Period(start, end)


def year_of(now: datetime) -> Period:
    """The calendar year (Vietnam time) that holds ``now``."""
    local = now.astimezone(VN_TZ)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return Period(start, start.replace(year=start.year + 1))


@dataclass(frozen=True)
class DossierFigures:
    """The counts of one agency over one period (definitions in the module's docstring)."""

    received: int = 0
    finished_early: int = 0
    finished_on_time: int = 0
    finished_late: int = 0
    open_on_time: int = 0
    open_overdue: int = 0

    @property
    def counted(self) -> int:
        """The dossiers of the period: the rate's denominator."""
        return self.on_time + self.late

    @property
    def on_time(self) -> int:
        return self.finished_early + self.finished_on_time + self.open_on_time

    @property
    def late(self) -> int:
        return self.finished_late + self.open_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """Per cent, one decimal; None when the period has no dossier to judge."""
        if not self.counted:
            return None
        return _percent(self.on_time, self.counted)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_CATEGORIES = (
    "finished_early",
    "finished_on_time",
    "finished_late",
    "open_on_time",
    "open_overdue",
)


def _conditions(period: Period, now: datetime) -> dict[str, Q]:
    """For each count, the condition a dossier row meets (the docstring's definitions)."""
    as_of = period.as_of(now)
    late_anyway = Q(supplement_count__gt=SUPPLEMENTS_ALLOWED)
    finished = Q(finished_at__gte=period.start, finished_at__lt=as_of, received_at__lt=as_of)
    after_due = Q(finished_at__gt=F("due_at"))
    early_day = Q(finished_day__lt=F("due_day"))
    open_at = Q(received_at__lt=as_of) & (
        Q(finished_at__gte=as_of) | Q(finished_at__isnull=True, status__in=OPEN_STATUSES)
    )
    overdue = Q(due_at__lt=as_of) & (Q(paused_at__isnull=True) | Q(due_at__lt=F("paused_at")))
    return {
        "received": Q(received_at__gte=period.start, received_at__lt=as_of),
        "finished_early": finished & ~late_anyway & ~after_due & early_day,
        "finished_on_time": finished & ~late_anyway & ~after_due & ~early_day,
        "finished_late": finished & (late_anyway | after_due),
        "open_on_time": open_at & ~late_anyway & ~overdue,
        "open_overdue": open_at & (late_anyway | overdue),
    }


def dossier_figures(
    *, agency_id: int, periods: Sequence[Period], now: datetime
) -> list[DossierFigures]:
    """The figures of the dossiers ``agency_id`` decides, for each period, in two queries."""
    if not periods:
        return []
    earliest = min(p.start for p in periods)
    counts, carried = {}, {}
    for i, period in enumerate(periods):
        for name, condition in _conditions(period, now).items():
            counts[f"{name}_{i}"] = Count("pk", filter=condition)
            if name.startswith("open_"):
                carried[f"{name}_{i}"] = Count("pk", filter=condition)
    found = recent_dossiers(agency_id=agency_id, since=earliest).aggregate(**counts)
    found_older = open_before(agency_id=agency_id, before=earliest).aggregate(**carried)
    return [
        DossierFigures(
            received=found[f"received_{i}"],
            **{
                name: found[f"{name}_{i}"] + found_older.get(f"{name}_{i}", 0)
                for name in _CATEGORIES
            },
        )
        for i in range(len(periods))
    ]


def recent_dossiers(*, agency_id: int, since: datetime) -> QuerySet[Dossier]:
    """The agency's dossiers received, finished or carried over since ``since``: by the
    index ``dossier_agency_activity_idx`` (a finished dossier by its finish, any other by its
    receipt), with the local days an early finish is judged by."""
    return (
        Dossier.objects.filter(deciding_agency_id=agency_id)
        .annotate(
            activity=Coalesce("finished_at", "received_at"),
            finished_day=TruncDate("finished_at", tzinfo=VN_TZ),
            due_day=TruncDate("due_at", tzinfo=VN_TZ),
        )
        .filter(activity__gte=since)
    )


def open_before(*, agency_id: int, before: datetime) -> QuerySet[Dossier]:
    """The agency's dossiers still open and received before ``before`` (so not among
    ``recent_dossiers``): by the partial index ``dossier_agency_inbox_idx``."""
    return Dossier.objects.filter(
        INBOX_CONDITION,
        deciding_agency_id=agency_id,
        status__in=OPEN_STATUSES,
        finished_at__isnull=True,
        received_at__lt=before,
    )


# --- satisfaction (SPEC §8) ------------------------------------------------------------------

#: The overall rating's levels (SPEC §12.3: 3 = rất hài lòng … 1 = không hài lòng).
VERY_SATISFIED, SATISFIED, NOT_SATISFIED = 3, 2, 1
LEVELS = (VERY_SATISFIED, SATISFIED, NOT_SATISFIED)


@dataclass(frozen=True)
class RatingSummary:
    ratings: int
    average: Decimal  # on the 1–3 scale, two decimals
    satisfied_share: Decimal  # per cent of ratings "hài lòng" or "rất hài lòng"


def rating_summary(counts: Mapping[int, int]) -> RatingSummary | None:
    """The average of the overall ratings (``counts``: level → number of ratings), and the
    share satisfied; None when there is no rating (shown as "no data", never as 0)."""
    ratings = sum(n for level, n in counts.items() if level in LEVELS)
    if not ratings:
        return None
    total = sum(level * n for level, n in counts.items() if level in LEVELS)
    satisfied = counts.get(VERY_SATISFIED, 0) + counts.get(SATISFIED, 0)
    return RatingSummary(
        ratings=ratings,
        average=(Decimal(total) / ratings).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        satisfied_share=_percent(satisfied, ratings),
    )


#: Where the applicants' ratings are kept (issue 10 item 7): a model with the deciding
#: ``agency``, the moment ``at`` and the ``overall`` level.
RATING_MODEL = ("ratings", "Rating")


def agency_rating_counts(*, agency_id: int, period: Period, now: datetime) -> dict[int, int]:
    """The overall ratings of the dossiers ``agency_id`` decided, given in the period up to
    now, per level, in one aggregate query; none while the ratings app is not installed."""
    try:
        rating = apps.get_model(*RATING_MODEL)
    except LookupError:
        return {}
    rows = (
        rating.objects.filter(agency_id=agency_id, at__gte=period.start, at__lt=period.as_of(now))
        .values_list("overall")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


# --- an agency's public page ------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFigures:
    """What an agency's public page shows for one period (its transparency section)."""

    period: Period
    as_of: datetime
    dossiers: DossierFigures
    satisfaction: RatingSummary | None


def agency_public_figures(*, agency_id: int, now: datetime) -> list[PublicFigures]:
    """This month and this year, counted now from the dossiers (two queries) and the
    ratings."""
    periods = [month_of(now), year_of(now)]
    figures = dossier_figures(agency_id=agency_id, periods=periods, now=now)
    return [
        PublicFigures(
            period=period,
            as_of=period.as_of(now),
            dossiers=found,
            satisfaction=rating_summary(
                agency_rating_counts(agency_id=agency_id, period=period, now=now)
            ),
        )
        for period, found in zip(periods, figures, strict=True)
    ]
