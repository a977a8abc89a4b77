"""The leaders' figures kept as they happen (ADR 0023): each dossier *contributes* counts to
``DayTally`` rows — (deciding agency, procedure version, day) — and every write that changes
a dossier takes its old contribution away and adds its new one, in its own transaction
(``tally_change``: one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, so two
changes at once never lose a count). ``reports.figures`` reads them for whole days.

A dossier's contribution is ``indicators._conditions`` written for one row (that module's
docstring has the definitions; the reports' tests compare both with plain Python):

- on the day it was received: received, and by channel (online, post);
- on the day it finished, when it finished early / on time / late (sent back more than once
  counts as late; no due time and not late: none of the three, as the SQL's NULL has it):
  that outcome, electronic result, digitised (electronic and a scanned document) and the
  time from receipt to result;
- open at a day's first moment T (received before T, and finished at or after T or still
  open): on time, or overdue once ``due_at < T`` (unless its clock stopped before the due
  time) or when sent back more than once — kept as changes (+1 the first day, −1 the day
  after the last), so the open dossiers at T are the changes summed up to T's day.

Dossiers written in bulk (the generator, tests) are counted by ``tallies_recount`` —
``manage.py recount_indicators`` — which also finds any difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef

from motcua.dossiers.indicators import SUPPLEMENTS_ALLOWED
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    DayTally,
    Dossier,
    ResultKind,
)
from motcua.workcalendar.calendar import VN_TZ

COUNTS = (
    "received",
    "received_online",
    "received_post",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_electronic",
    "finished_digitised",
    "processing_us",
    "open_on_time_change",
    "open_overdue_change",
)
Key = tuple[int, int, date]  # deciding agency, procedure version, day
Counts = dict[str, int]
_OPEN = {str(s) for s in OPEN_STATUSES}


@dataclass(frozen=True)
class Facts:
    """What a dossier's contribution depends on."""

    agency_id: int
    version_id: int
    status: str
    channel: int
    received_at: datetime | None
    due_at: datetime | None
    paused_at: datetime | None
    finished_at: datetime | None
    supplement_count: int
    electronic: bool
    scanned: bool


#: The columns ``Facts`` is read from (``scanned`` is an annotation).
FACT_COLUMNS = (
    "deciding_agency_id",
    "procedure_version_id",
    "status",
    "channel",
    "received_at",
    "due_at",
    "paused_at",
    "finished_at",
    "supplement_count",
    "result_kind",
)


def _facts(row: tuple, scanned: bool) -> Facts:
    agency, version, status, channel, received, due, paused, finished, supplements, kind = row
    return Facts(agency, version, str(status), int(channel), received, due, paused, finished,
                 supplements, kind == ResultKind.ELECTRONIC, scanned)  # fmt: skip


def facts_of(dossier: Dossier) -> Facts:
    """The dossier's facts as the object holds them now (one query for its scanned documents
    when its result is electronic and it has finished)."""
    row = tuple(getattr(dossier, c) for c in FACT_COLUMNS)
    scanned = False
    if dossier.pk and dossier.finished_at and dossier.result_kind == ResultKind.ELECTRONIC:
        scanned = Attachment.objects.filter(
            dossier_id=dossier.pk, kind=Attachment.Kind.DOCUMENT
        ).exists()
    return _facts(row, scanned)


def _day(moment: datetime) -> date:
    return moment.astimezone(VN_TZ).date()


def contribution(facts: Facts) -> dict[Key, Counts]:
    """The counts the dossier adds to each day's tally (the module's docstring)."""
    out: dict[Key, Counts] = defaultdict(dict)
    if facts.received_at is None:
        return {}

    def add(day: date, name: str, n: int = 1) -> None:
        counts = out[(facts.agency_id, facts.version_id, day)]
        counts[name] = counts.get(name, 0) + n

    received_day = _day(facts.received_at)
    add(received_day, "received")
    if facts.channel == Channel.ONLINE:
        add(received_day, "received_online")
    elif facts.channel == Channel.POST:
        add(received_day, "received_post")
    late_anyway = facts.supplement_count > SUPPLEMENTS_ALLOWED
    if facts.finished_at is not None:
        finished_day = _day(facts.finished_at)
        outcome = None
        if late_anyway or (facts.due_at is not None and facts.finished_at > facts.due_at):
            outcome = "finished_late"
        elif facts.due_at is not None:
            early = finished_day < _day(facts.due_at)
            outcome = "finished_early" if early else "finished_on_time"
        if outcome is not None:
            add(finished_day, outcome)
            if facts.electronic:
                add(finished_day, "finished_electronic")
                if facts.scanned:
                    add(finished_day, "finished_digitised")
            spent = (facts.finished_at - facts.received_at) // timedelta(microseconds=1)
            add(finished_day, "processing_us", spent)
        open_until = finished_day + timedelta(days=1)  # open at T while T <= finished_at
    elif facts.status in _OPEN:
        open_until = None  # still open: open at every T after its receipt
    else:
        return dict(out)  # withdrawn, stopped, rejected: never counted as open
    first = received_day + timedelta(days=1)  # the first day's first moment after receipt
    if open_until is not None and first >= open_until:
        return dict(out)
    if late_anyway:
        overdue_from = first
    elif facts.due_at is not None and (facts.paused_at is None or facts.due_at < facts.paused_at):
        overdue_from = max(first, _day(facts.due_at) + timedelta(days=1))
    else:
        overdue_from = None
    if overdue_from is not None and open_until is not None and overdue_from >= open_until:
        overdue_from = None
    if overdue_from != first:
        add(first, "open_on_time_change")
        if overdue_from is not None:
            add(overdue_from, "open_on_time_change", -1)
        elif open_until is not None:
            add(open_until, "open_on_time_change", -1)
    if overdue_from is not None:
        add(overdue_from, "open_overdue_change")
        if open_until is not None:
            add(open_until, "open_overdue_change", -1)
    return dict(out)


def difference(after: Mapping[Key, Counts], before: Mapping[Key, Counts] = {}) -> dict[Key, Counts]:
    """``after − before``, without the keys and counts that do not change."""
    out: dict[Key, Counts] = {}
    for key in {*after, *before}:
        new, old = after.get(key, {}), before.get(key, {})
        change = {n: new.get(n, 0) - old.get(n, 0) for n in {*new, *old}}
        change = {n: v for n, v in change.items() if v}
        if change:
            out[key] = change
    return out


def conflict_clause() -> str:
    """The ``ON CONFLICT`` clause of an insert into the tallies that adds to the row."""
    q = connection.ops.quote_name
    table = q(DayTally._meta.db_table)
    keys = ", ".join(q(c) for c in ("deciding_agency_id", "procedure_version_id", "day"))
    sets = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COUNTS)
    return f"ON CONFLICT ({keys}) DO UPDATE SET {sets}"


def _upsert_sql(rows: int) -> str:
    q = connection.ops.quote_name
    keys = ("deciding_agency_id", "procedure_version_id", "day")
    columns = ", ".join(q(c) for c in (*keys, *COUNTS))
    values = ", ".join(["(" + ", ".join(["%s"] * (3 + len(COUNTS))) + ")"] * rows)
    return (
        f"INSERT INTO {q(DayTally._meta.db_table)} ({columns}) VALUES {values} " + conflict_clause()
    )


def tally_add(changes: Mapping[Key, Counts]) -> None:
    """Add ``changes`` to the tallies in one statement (in the caller's transaction): an
    upsert that adds to the row, so concurrent writers never lose a count."""
    if not changes:
        return
    params: list = []
    for (agency, version, day), counts in sorted(changes.items()):
        params += [agency, version, day, *(counts.get(c, 0) for c in COUNTS)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(changes)), params)


def tally_change(before: Facts | None, after: Facts | None) -> None:
    """A dossier changed from ``before`` to ``after`` (None: it did not exist / no more)."""
    tally_add(
        difference(contribution(after) if after else {}, contribution(before) if before else {})
    )


def tally_rows(changes: Mapping[Key, Counts]) -> list[DayTally]:
    """``changes`` as unsaved rows (the receipt's one-statement writer inserts them)."""
    return [
        DayTally(deciding_agency_id=a, procedure_version_id=v, day=d,
                 **{c: counts.get(c, 0) for c in COUNTS})
        for (a, v, d), counts in sorted(changes.items())
    ]  # fmt: skip


# --- recounting ----------------------------------------------------------------------------


def recount(*, agency_ids: Iterable[int] | None = None) -> dict[Key, Counts]:
    """Every tally as the dossiers make it now, read in one pass (streamed)."""
    qs = Dossier.objects.filter(received_at__isnull=False)
    if agency_ids is not None:
        qs = qs.filter(deciding_agency_id__in=list(agency_ids))
    scanned = Exists(Attachment.objects.filter(dossier=OuterRef("pk"), kind="document"))
    rows = qs.annotate(scanned=scanned).values_list(*FACT_COLUMNS, "scanned")
    found: dict[Key, Counts] = defaultdict(dict)
    for row in rows.order_by().iterator(chunk_size=5000):
        for key, counts in contribution(_facts(row[:-1], bool(row[-1]))).items():
            total = found[key]
            for name, n in counts.items():
                total[name] = total.get(name, 0) + n
    return {k: {n: v for n, v in c.items() if v} for k, c in found.items()}


def stored(*, agency_ids: Iterable[int] | None = None) -> dict[Key, Counts]:
    qs = DayTally.objects.all()
    if agency_ids is not None:
        qs = qs.filter(deciding_agency_id__in=list(agency_ids))
    out = {}
    for row in qs.values_list("deciding_agency_id", "procedure_version_id", "day", *COUNTS):
        counts = {n: v for n, v in zip(COUNTS, row[3:], strict=True) if v}
        if counts:
            out[tuple(row[:3])] = counts
    return out


@dataclass(frozen=True)
class Recount:
    """What ``tallies_recount`` found: the tallies that differ, as (key, stored, counted)."""

    keys: int
    differences: list[tuple[Key, Counts, Counts]]


def tallies_recount(*, agency_ids: Iterable[int] | None = None, repair: bool = False) -> Recount:
    """Recount the tallies from the dossiers and compare; with ``repair``, make the stored
    ones equal to the recount (in the caller's transaction)."""
    ids = list(agency_ids) if agency_ids is not None else None
    counted, kept = recount(agency_ids=ids), stored(agency_ids=ids)
    change = difference(counted, kept)
    found = [(k, kept.get(k, {}), counted.get(k, {})) for k in sorted(change)]
    if repair:
        tally_add(change)
    return Recount(len(counted), found)
