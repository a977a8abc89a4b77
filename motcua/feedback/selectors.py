"""Reading feedback: an officer's lists (always within ``access.feedback_scope``), the
questions and answers published on a procedure's page, and the figures for leaders (SPEC §9:
feedback answered on time, dossiers that drew a complaint)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet

from motcua import clock
from motcua.dossiers.access import Actor
from motcua.feedback.access import feedback_visible
from motcua.feedback.models import Feedback
from motcua.workcalendar.calendar import VN_TZ

S = Feedback.State
OPEN = [S.RECEIVED, S.ASSIGNED]
#: The boxes of the staff list, each a filter.
BOXES = {
    "open": Q(state__in=OPEN),
    "overdue": Q(state__in=OPEN),  # and due_at < now, added when read
    "answered": Q(state=S.ANSWERED),
    "closed": Q(state=S.CLOSED),
}


def _box(qs: QuerySet, box: str, now: datetime) -> QuerySet:
    qs = qs.filter(BOXES[box])
    if box == "overdue":
        qs = qs.filter(due_at__lt=now)
    return qs


def feedback_list_for_officer(*, actor: Actor, box: str, limit: int) -> list[Feedback]:
    """One box of the feedback ``actor`` may see, the earliest due first; two queries
    whatever its length."""
    now = clock.now()
    rows = list(
        _box(feedback_visible(actor), box, now)
        .select_related("agency", "assignee", "procedure__current_version", "about_agency")
        .only(
            "code",
            "about",
            "state",
            "received_at",
            "due_at",
            "answered_at",
            "agency__name",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            "procedure__code",
            "procedure__current_version__name",
            "about_agency__name",
            "dossier_code",
        )
        .order_by("due_at", "pk")[:limit]
    )
    for row in rows:
        row.overdue = row.is_open and row.due_at < now
    return rows


def feedback_box_counts(*, actor: Actor) -> dict[str, int]:
    now = clock.now()
    visible = feedback_visible(actor)
    return visible.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN)),
        overdue=Count("pk", filter=Q(state__in=OPEN, due_at__lt=now)),
        answered=Count("pk", filter=Q(state=S.ANSWERED)),
        closed=Count("pk", filter=Q(state=S.CLOSED)),
    )


def subject_label(feedback: Feedback) -> str:
    """What a feedback is about, as a page names it."""
    if feedback.about == Feedback.About.AGENCY:
        return feedback.about_agency.name
    if feedback.about == Feedback.About.DOSSIER:
        return feedback.dossier_code  # as typed: the public page tells nothing more
    version = feedback.procedure.current_version
    return version.name if version else feedback.procedure.code


def published_for_procedure(*, procedure_id: int, limit: int = 50) -> list[Feedback]:
    """The questions and answers published on a procedure's page, the latest first."""
    return list(
        Feedback.objects.filter(procedure_id=procedure_id, published=True)
        .only("public_question", "public_answer", "published_at", "answered_at")
        .order_by("-published_at", "-pk")[:limit]
    )


# --- figures for leaders --------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackFigures:
    """Feedback received in a period and how it was answered (SPEC §9, "feedback handled on
    time", 15 working days): answered by ``due_at`` or after it, still open and not yet
    due, still open and past due."""

    received: int
    answered_on_time: int
    answered_late: int
    open_on_time: int
    open_overdue: int

    @property
    def on_time_rate(self) -> float:
        """(answered on time + open and not yet due) / received, 0 … 1 — as SPEC §9 counts
        dossiers still open and not yet due."""
        return (self.answered_on_time + self.open_on_time) / self.received


def _period(qs: QuerySet, start: date | None, end: date | None) -> QuerySet:
    if start is not None:
        qs = qs.filter(received_at__gte=datetime.combine(start, time.min, VN_TZ))
    if end is not None:
        qs = qs.filter(received_at__lte=datetime.combine(end, time.max, VN_TZ))
    return qs


def feedback_figures(
    *, agency_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> FeedbackFigures | None:
    """The feedback answered by ``agency_ids`` and received from ``start`` to ``end`` (days
    included, Vietnam time), counted from the rows now (one query); None when there is
    none."""
    now = clock.now()
    figures = _period(
        Feedback.objects.filter(agency_id__in=list(agency_ids)), start, end
    ).aggregate(
        received=Count("pk"),
        answered_on_time=Count(
            "pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))
        ),
        answered_late=Count("pk", filter=Q(answered_at__gt=F("due_at"))),
        open_on_time=Count("pk", filter=Q(answered_at__isnull=True, due_at__gte=now)),
        open_overdue=Count("pk", filter=Q(answered_at__isnull=True, due_at__lt=now)),
    )
    if not figures["received"]:
        return None
    return FeedbackFigures(**figures)


def complained_dossier_ids(
    *, agency_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> QuerySet:
    """Ids of the dossiers of ``agency_ids`` that drew feedback in the period, as a subquery
    (SPEC §9's satisfaction counts them with the "không hài lòng" ratings:
    ``ratings.selectors.not_satisfied_dossier_ids``)."""
    return _period(
        Feedback.objects.filter(agency_id__in=list(agency_ids), dossier__isnull=False),
        start,
        end,
    ).values("dossier_id")
