"""The dossiers behind a figure (the dashboard's drill-down), and the due-soon and overdue
lists with who holds each. The drill-down filters by the very condition the figure counts
(``figures.count_conditions``), so the list and the number always agree."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, Role
from motcua.dossiers import access, deadlines
from motcua.dossiers.indicators import Period
from motcua.dossiers.models import OPEN_STATUSES, Dossier, Status
from motcua.reports.figures import COUNTS, Scope, _day_annotations, count_conditions
from motcua.workcalendar.selectors import calendar_get

#: The figures a leader can open as a list (``received_desk`` is received minus the others).
DRILLABLE = (*COUNTS, "received_desk")


def figure_dossiers(scope: Scope, period: Period, now: datetime, figure: str) -> QuerySet:
    """The scope's dossiers counted by ``figure`` over the period, earliest due first."""
    conditions = count_conditions(period, now)
    if figure == "received_desk":
        condition = (
            conditions["received"] & ~conditions["received_online"] & ~conditions["received_post"]
        )
    else:
        condition = conditions[figure]
    return _listed(_day_annotations(scope.dossiers()).filter(condition))


def _listed(qs: QuerySet) -> QuerySet:
    return qs.select_related(
        "procedure_version__procedure", "deciding_agency", "current_unit", "current_assignee"
    ).order_by(F("due_at").asc(nulls_last=True), "pk")


def overdue(scope: Scope, now: datetime) -> QuerySet:
    """Open dossiers past their due time now (a waiting one only if it was already late when
    it began waiting: its clock is stopped), or sent back to the applicant twice."""
    late = Q(due_at__lt=now) & (Q(paused_at__isnull=True) | Q(due_at__lt=F("paused_at")))
    return _listed(scope.dossiers().filter(late, status__in=OPEN_STATUSES))


def due_soon(scope: Scope, now: datetime) -> QuerySet:
    """Open dossiers due within one working day on their deciding agency's calendar
    (``deadlines.due_soon_until``; one calendar per agency that has open dossiers)."""
    open_ = scope.dossiers().filter(status__in=OPEN_STATUSES, due_at__gte=now)
    agency_ids = set(open_.values_list("deciding_agency_id", flat=True).distinct())
    by_until: dict[datetime, list[int]] = defaultdict(list)
    for agency in Agency.objects.filter(pk__in=agency_ids):
        until = deadlines.due_soon_until(calendar=calendar_get(agency=agency), now=now)
        by_until[until].append(agency.pk)
    condition = Q(pk__in=[])
    for until, ids in by_until.items():
        condition |= Q(deciding_agency_id__in=ids, due_at__lte=until)
    return _listed(open_.filter(condition))


ROLE_HOLDERS = {
    Role.DESK_OFFICER: lambda: _("Bộ phận một cửa"),
    Role.AGENCY_LEADER: lambda: _("Lãnh đạo cơ quan"),
}


def holder(dossier: Dossier) -> str:
    """Who holds the dossier now: the officer it is assigned to, else the unit or post of
    its step, or the applicant while it waits for them."""
    if dossier.status == Status.WAITING_APPLICANT:
        return _("Công dân (chờ bổ sung)")
    if dossier.status == Status.WAITING_PAYMENT:
        return _("Công dân (chờ nộp phí)")
    if dossier.current_assignee_id:
        user = dossier.current_assignee
        return user.get_full_name() or user.username
    if dossier.current_unit_id:
        return dossier.current_unit.name
    role = ROLE_HOLDERS.get(dossier.current_role)
    return role() if role else "—"


def rows(actor, dossiers: list[Dossier]) -> list[tuple[Dossier, str, bool]]:
    """Each dossier with its holder and whether ``actor`` may open it (one query)."""
    visible = set(
        access.dossiers_visible(actor)
        .filter(pk__in=[d.pk for d in dossiers])
        .values_list("pk", flat=True)
    )
    return [(d, holder(d), d.pk in visible) for d in dossiers]
