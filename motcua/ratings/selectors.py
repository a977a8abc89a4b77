"""Satisfaction as leaders see it: aggregates over an agency's ratings, never one rating
(SPEC §8, §9). The transparency page and the leaders' dashboard call ``satisfaction``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet

from motcua.pgsql import execute_prepared
from motcua.ratings.models import CRITERIA, Rating, Score
from motcua.workcalendar.calendar import VN_TZ


@dataclass(frozen=True)
class CriterionFigure:
    label: str
    count: int
    average: float | None  # 1 … 3


@dataclass(frozen=True)
class Satisfaction:
    """Ratings of a period: how many, by overall answer, the average (1 … 3), the share
    satisfied (hài lòng or rất hài lòng) and per criterion."""

    count: int
    very_satisfied: int
    satisfied: int
    not_satisfied: int
    average: float
    criteria: dict[str, CriterionFigure]

    @property
    def satisfied_share(self) -> float:
        """(Rất hài lòng + hài lòng) / ratings, 0 … 1."""
        return (self.very_satisfied + self.satisfied) / self.count

    @property
    def not_satisfied_share(self) -> float:
        return self.not_satisfied / self.count


def _period(qs: QuerySet, start: date | None, end: date | None) -> QuerySet:
    """Ratings given from ``start`` to ``end`` included, days in Vietnam time."""
    if start is not None:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, VN_TZ))
    if end is not None:
        qs = qs.filter(at__lte=datetime.combine(end, time.max, VN_TZ))
    return qs


def ratings_of(
    *, agency_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> QuerySet[Rating]:
    """The ratings of dossiers decided by ``agency_ids`` in the period."""
    return _period(Rating.objects.filter(agency_id__in=list(agency_ids)), start, end)


def satisfaction(
    agency_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> Satisfaction | None:
    """The satisfaction of dossiers decided by ``agency_ids`` and rated from ``start`` to
    ``end`` (days included, Vietnam time; None: no bound), in one query; None when nobody
    rated in that period."""
    figures = ratings_of(agency_ids=agency_ids, start=start, end=end).aggregate(
        count=Count("pk"),
        very_satisfied=Count("pk", filter=Q(overall=Score.VERY_SATISFIED)),
        satisfied=Count("pk", filter=Q(overall=Score.SATISFIED)),
        not_satisfied=Count("pk", filter=Q(overall=Score.NOT_SATISFIED)),
        average=Avg("overall"),
        **{f"{name}__count": Count(name) for name in CRITERIA},
        **{f"{name}__avg": Avg(name) for name in CRITERIA},
    )
    if not figures["count"]:
        return None
    return Satisfaction(
        count=figures["count"],
        very_satisfied=figures["very_satisfied"],
        satisfied=figures["satisfied"],
        not_satisfied=figures["not_satisfied"],
        average=float(figures["average"]),
        criteria={
            name: CriterionFigure(
                label=str(label),
                count=figures[f"{name}__count"],
                average=(
                    float(figures[f"{name}__avg"]) if figures[f"{name}__avg"] is not None else None
                ),
            )
            for name, label in CRITERIA.items()
        },
    )


def not_satisfied_dossier_ids(
    *, agency_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> QuerySet:
    """Ids of the dossiers rated "không hài lòng" in the period, as a subquery: SPEC §9's
    satisfaction counts them with the dossiers that drew a complaint
    (``feedback.selectors.complained_dossier_ids``)."""
    return (
        ratings_of(agency_ids=agency_ids, start=start, end=end)
        .filter(overall=Score.NOT_SATISFIED)
        .values("dossier_id")
    )


def rating_given(*, dossier_id: int) -> bool:
    """Whether the dossier was rated (for the public pages: the form, or "thank you"). On the
    look-up's path for every returned dossier, so a prepared statement, no ORM compilation."""
    table = connection.ops.quote_name(Rating._meta.db_table)
    return bool(
        execute_prepared(f"SELECT 1 FROM {table} WHERE dossier_id = %s LIMIT 1", [dossier_id])
    )
