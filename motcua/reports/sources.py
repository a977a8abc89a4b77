"""Where the figures that need other people's data are read: ratings, complaints, online
payments, feedback (PAKN) and reused documents (SPEC §8–§10). Each is one small function;
when the period has none of its data it answers ``None`` — "chưa có dữ liệu" on the pages,
``null`` in the API, never 0. Ratings and feedback are read from their apps; online payments
and reused documents are not recorded yet.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db.models import Count, F, Q

from motcua.dossiers.indicators import Period


def rating_counts(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> dict[int, int] | None:
    """The applicants' overall ratings (3 = rất hài lòng … 1 = không hài lòng) of the
    agencies' dossiers rated in the period, per level (one query)."""
    from motcua.ratings.models import Rating

    rows = (
        Rating.objects.filter(
            agency_id__in=list(agency_ids), at__gte=period.start, at__lt=period.as_of(now)
        )
        .values_list("overall")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows) or None


def dissatisfied_dossiers(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> int | None:
    """Dossiers with a complaint (feedback about the dossier) or a "không hài lòng" rating
    given in the period (SPEC §9's satisfaction); None when the period has neither a rating
    nor feedback about a dossier."""
    from motcua.feedback.models import Feedback
    from motcua.ratings.models import Rating, Score

    ids, end = list(agency_ids), period.as_of(now)
    ratings = Rating.objects.filter(agency_id__in=ids, at__gte=period.start, at__lt=end)
    complaints = Feedback.objects.filter(
        agency_id__in=ids, dossier__isnull=False, received_at__gte=period.start,
        received_at__lt=end,
    )  # fmt: skip
    if not ratings.exists() and not complaints.exists():
        return None
    unhappy = set(ratings.filter(overall=Score.NOT_SATISFIED).values_list("dossier_id", flat=True))
    return len(unhappy | set(complaints.values_list("dossier_id", flat=True)))


def online_payments(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(paid online, paid in all) for the agencies' dossiers paid in the period. Not recorded
    yet."""
    return None


def feedback_handled(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(answered by its due time — 15 working days — or still open and not yet due, received)
    for feedback to the agencies received in the period, judged at the period's end, as
    SPEC §9 judges dossiers; None when none was received."""
    from motcua.feedback.models import Feedback

    end = period.as_of(now)
    figures = Feedback.objects.filter(
        agency_id__in=list(agency_ids), received_at__gte=period.start, received_at__lt=end
    ).aggregate(
        received=Count("pk"),
        on_time=Count(
            "pk",
            filter=Q(answered_at__lt=end, answered_at__lte=F("due_at"))
            | (Q(answered_at__isnull=True) | Q(answered_at__gte=end)) & Q(due_at__gte=end),
        ),
    )
    return (figures["on_time"], figures["received"]) if figures["received"] else None


def reused_documents(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(dossiers that reused an already digitised document, dossiers received). Not
    recorded yet."""
    return None
