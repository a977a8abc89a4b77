"""Where the figures that need other people's data are read: ratings, complaints, online
payments, feedback (PAKN) and reused documents (SPEC §8–§10). Each is one small function;
until its data is recorded it answers ``None`` — "chưa có dữ liệu" on the pages, ``null`` in
the API, never 0. Wiring one in is changing its body here, nothing else.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from motcua.dossiers.indicators import Period


def rating_counts(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> dict[int, int] | None:
    """The applicants' overall ratings (3 = rất hài lòng … 1 = không hài lòng) of the
    agencies' dossiers rated in the period, per level. Not recorded yet."""
    return None


def dissatisfied_dossiers(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> int | None:
    """Dossiers of the period with a complaint or a "không hài lòng" rating (SPEC §9's
    satisfaction). Not recorded yet."""
    return None


def online_payments(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(paid online, paid in all) for the agencies' dossiers paid in the period. Not recorded
    yet."""
    return None


def feedback_handled(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(answered within 15 working days, due or answered in the period) for feedback about
    the agencies. Not recorded yet."""
    return None


def reused_documents(
    *, agency_ids: Collection[int], period: Period, now: datetime
) -> tuple[int, int] | None:
    """(dossiers that reused an already digitised document, dossiers received). Not
    recorded yet."""
    return None
