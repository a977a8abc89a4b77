"""Reads of tasks: whom a leader may give a task to, an officer's lists, and the leader's page
(each unit's tasks by standing, with the bars of its chart). Every list reads a fixed number
of queries, whatever the number of tasks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from motcua.agencies.models import Agency, Membership, Role, Unit
from motcua.agencies.selectors import agency_subtree_ids
from motcua.tasks import access
from motcua.tasks.models import Task, TaskAssignee
from motcua.tasks.standing import Standing, standing_q
from motcua.workcalendar.calendar import VN_TZ

# --- whom a task may be given to -----------------------------------------------------------


@dataclass(frozen=True)
class Assignable:
    """A unit of the assigning agency, or an agency below it."""

    key: str  # "u:<unit id>" or "a:<agency id>", as ``TaskAssignee.key``
    label: str
    agency_id: int
    unit_id: int | None

    @property
    def is_agency(self) -> bool:
        return self.unit_id is None


def assignable_for(*, agency: Agency) -> list[Assignable]:
    """Whom a leader of ``agency`` may give a task to: its units, then the active agencies
    below it (at any depth: tỉnh → xã, or tỉnh → huyện → xã), higher levels first."""
    units = [
        Assignable(f"u:{u.pk}", u.name, agency.pk, u.pk)
        for u in Unit.objects.filter(agency=agency).order_by("name")
    ]
    below = agency_subtree_ids(agency.pk) - {agency.pk}
    agencies = [
        Assignable(f"a:{a.pk}", a.name, a.pk, None)
        for a in Agency.objects.filter(pk__in=below, is_active=True)
        .select_related("level")
        .order_by("level__rank", "name")
    ]
    return units + agencies


def assigning_agencies(*, actor) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=access.assigning_agency_ids(actor)).order_by("name"))


# --- an officer's tasks ----------------------------------------------------------------------

BOXES = {
    "open": Standing.OPEN,
    "overdue": Standing.OVERDUE,
    "done": None,
}


def _box_q(box: str, now: datetime) -> Q:
    if box == "done":
        return Q(finished_at__isnull=False)
    if box == "open":
        return Q(finished_at__isnull=True)  # in time or not: all the work still to do
    return standing_q(BOXES[box], now=now)


def task_list_for_officer(*, actor, box: str, now: datetime, limit: int) -> list[Task]:
    """The tasks ``actor`` sees in ``box`` ("open": still to do, "overdue", "done"), open ones
    in due order, done ones latest first; with their agency and units."""
    qs = access.tasks_visible(actor).filter(_box_q(box, now))
    qs = qs.order_by("-finished_at", "pk") if box == "done" else qs.order_by("due_at", "pk")
    return list(
        qs.select_related("agency").prefetch_related("assignees__unit", "assignees__agency")[:limit]
    )


def task_box_counts(*, actor, now: datetime) -> dict[str, int]:
    """How many tasks ``actor`` sees in each box, in one query."""
    visible = access.tasks_visible(actor)
    return visible.aggregate(**{box: Count("pk", filter=_box_q(box, now)) for box in BOXES})


# --- the leader's page ---------------------------------------------------------------------


@dataclass
class Segment:
    standing: Standing
    count: int
    #: Where the segment starts and how wide it is, in % of the widest bar, written for an
    #: SVG attribute (a dot, whatever the language: the template would write "12,5").
    x: str
    width: str


@dataclass
class BoardRow:
    """One assignee's record on a leader's page: its tasks as lead, by standing, and how many
    it coordinates."""

    key: str
    name: str
    counts: dict[Standing, int] = field(default_factory=lambda: dict.fromkeys(Standing, 0))
    coordinating: int = 0
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in Standing]

    def describe(self) -> str:
        """The bar in words (the chart's accessible name)."""
        parts = [f"{s.label}: {self.counts[s]}" for s in Standing]
        return f"{self.name} — " + "; ".join(parts)


@dataclass
class Board:
    rows: list[BoardRow]
    totals: dict[Standing, int]
    tasks: list[Task]
    more: bool  # more tasks than listed

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def total_cells(self) -> list[int]:
        return [self.totals[s] for s in Standing]

    @property
    def summary(self) -> list[tuple[Standing, int]]:
        return [(s, self.totals[s]) for s in Standing]


def board_leader_get(*, agency: Agency, username: str):
    """The leader whose page this is: a leader of ``agency`` now, or someone who assigned
    tasks in it before (their record stays readable). None otherwise."""
    User = get_user_model()
    leads = Membership.objects.filter(agency=agency, role=Role.AGENCY_LEADER).values("user_id")
    assigned = Task.objects.filter(agency=agency).values("assigned_by_id")
    return (
        User.objects.filter(username=username).filter(Q(pk__in=leads) | Q(pk__in=assigned)).first()
    )


def board_leaders(*, agency_ids: Iterable[int]) -> list[Membership]:
    """The leaders of these agencies, for links to their pages."""
    return list(
        Membership.objects.filter(agency_id__in=agency_ids, role=Role.AGENCY_LEADER)
        .select_related("user", "agency")
        .order_by("agency__name", "user__last_name", "user__first_name")
    )


def _period(start: date | None, end: date | None) -> Q:
    q = Q()
    if start:
        q &= Q(assigned_at__gte=datetime.combine(start, time(0), tzinfo=VN_TZ))
    if end:
        q &= Q(assigned_at__lt=datetime.combine(end + timedelta(days=1), time(0), tzinfo=VN_TZ))
    return q


def _lead_is(key: str) -> Q:
    kind, _, pk = key.partition(":")
    # Not str.isdigit(): "²".isdigit() is true and int("²") raises.
    if not re.fullmatch(r"[0-9]{1,18}", pk):
        return Q(pk__in=[])
    lead = TaskAssignee.objects.filter(role=TaskAssignee.Role.LEAD)
    if kind == "u":
        return Q(pk__in=lead.filter(unit_id=int(pk)).values("task_id"))
    return Q(pk__in=lead.filter(unit__isnull=True, agency_id=int(pk)).values("task_id"))


def board_tasks(
    *,
    agency: Agency,
    leader,
    start: date | None = None,
    end: date | None = None,
    lead: str = "",
) -> QuerySet[Task]:
    """The tasks a leader's page counts: given by ``leader`` in ``agency``, in the period,
    to ``lead`` as lead unit if given."""
    qs = Task.objects.filter(agency=agency, assigned_by=leader).filter(_period(start, end))
    if lead:
        qs = qs.filter(_lead_is(lead))
    return qs


def board_get(
    *,
    agency: Agency,
    leader,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
    lead: str = "",
    standing: Standing | None = None,
    limit: int = 200,
) -> Board:
    """A leader's page: per assignee, its tasks as lead by standing and how many it
    coordinates (one query), and the tasks themselves (``standing`` narrows only the list)."""
    tasks = board_tasks(agency=agency, leader=leader, start=start, end=end, lead=lead)
    counts = (
        TaskAssignee.objects.filter(task__in=tasks.values("pk"))
        .values("role", "agency_id", "unit_id", "unit__name", "agency__name", "agency__short_name")
        .annotate(
            all=Count("pk"),
            **{
                s.value: Count("pk", filter=standing_q(s, now=now, prefix="task__"))
                for s in Standing
            },
        )
        .order_by()
    )
    rows: dict[str, BoardRow] = {}
    for c in counts:
        key = f"u:{c['unit_id']}" if c["unit_id"] else f"a:{c['agency_id']}"
        name = c["unit__name"] or c["agency__short_name"] or c["agency__name"]
        row = rows.setdefault(key, BoardRow(key=key, name=name))
        if c["role"] == TaskAssignee.Role.LEAD:
            for s in Standing:
                row.counts[s] += c[s.value]
        else:
            row.coordinating += c["all"]
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.name))
    _draw(ordered)
    totals = {s: sum(r.counts[s] for r in ordered) for s in Standing}
    listed = tasks.filter(standing_q(standing, now=now)) if standing else tasks
    page = list(
        listed.order_by("due_at", "pk").prefetch_related("assignees__unit", "assignees__agency")[
            : limit + 1
        ]
    )
    return Board(rows=ordered, totals=totals, tasks=page[:limit], more=len(page) > limit)


def _draw(rows: list[BoardRow]) -> None:
    """Each row's bar: its standings side by side, the longest bar 100 % wide."""
    widest = max((r.total for r in rows), default=0)
    for row in rows:
        x = 0.0
        for s in Standing:
            n = row.counts[s]
            if n:
                width = 100 * n / widest
                row.segments.append(Segment(s, n, f"{x:.3f}", f"{width:.3f}"))
                x += width
