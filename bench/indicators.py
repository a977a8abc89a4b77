#!/usr/bin/env python3
"""The leaders' dashboard and quarterly report for a province-year on PostgreSQL (``make bench``
runs this under scripts/with_postgres.py; ADR 0023).

For each size (default 1,000,000 then 10,000,000 dossiers): the dossiers of one year in the
demo province are written by ONE ``INSERT … SELECT generate_series`` (every case: early, on
time, late, sent back twice, waiting, withdrawn, still open and overdue, online, by post), the
day tallies counted from them (``tallies_recount --repair``, timed), a few dossiers received
and finished through the services on top; then, ``BENCH_REPEAT`` times each (after an untimed
warm-up), p50 / p95:

- the dashboard's figures for the province and the year so far (what ``reports.views.dashboard``
  computes: the indicators, the breakdown by agency / field / procedure / unit, the month
  line, the officers), read from the tallies;
- the quarterly report (``periodic.report_for``) and its ``.xlsx``;
- beside them, in the same run, the same figures by the naive way: full GROUP BYs over the
  dossiers (the reports' live queries for the whole period), and a check that both agree;
- ``manage.py recount_indicators`` after the load: it must find no difference.

    scripts/with_postgres.py .venv/bin/python bench/indicators.py [--sizes 20000]

Results are printed and written to ``var/bench-indicators.md``.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("MOTCUA_DATABASE_URL", "").startswith("postgres"):
    sys.exit("Chạy qua scripts/with_postgres.py (cần PostgreSQL).")
os.environ.update(
    {
        "MOTCUA_DEBUG": "0",
        "MOTCUA_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from motcua import clock  # noqa: E402
from motcua.agencies.models import Agency, Desk  # noqa: E402
from motcua.agencies.selectors import agency_subtree_ids  # noqa: E402
from motcua.catalog.models import ProcedureVersion  # noqa: E402
from motcua.dossiers.indicators import Period, year_of  # noqa: E402
from motcua.dossiers.models import DayTally, Dossier  # noqa: E402
from motcua.dossiers.tallies import tallies_recount  # noqa: E402
from motcua.reports import figures, periodic  # noqa: E402
from motcua.reports.board import indicators_for  # noqa: E402
from motcua.reports.figures import Scope  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
OUT = ROOT / "var" / "bench-indicators.md"

#: One year's dossiers: received at spread minutes of the year so far; by their number n:
#: 62 % finished (early, on time or late by their hours), 8 % sent back twice then finished
#: (late), 10 % still open (some overdue), 5 % waiting for the applicant, 5 % withdrawn,
#: the rest finished with an electronic result.
GENERATE = """
WITH g AS (
  SELECT n,
         (ARRAY[{desks}])[(1 + n %% {places})::int] AS desk,
         (ARRAY[{agencies}])[(1 + n %% {places})::int] AS agency,
         (ARRAY[{versions}])[(1 + (n / 7) %% {n_versions})::int] AS version,
         (n * 7919) %% 100 AS kind,
         %(start)s::timestamptz
           + make_interval(mins => ((n::bigint * 104729) %% %(minutes)s)::int) AS received
  FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS n
), d AS (
  SELECT g.*, received + make_interval(days => 1 + (n %% 5)::int) AS due,
         LEAST(received + make_interval(hours => 1 + ((n * 31) %% 150)::int),
               %(now)s::timestamptz - interval '1 minute') AS done
  FROM g
)
INSERT INTO dossiers_dossier (
  uid, state_hash, code, procedure_version_id, receiving_desk_id, receiving_agency_id,
  deciding_agency_id, channel, status, applicant_type, applicant_name, applicant_id_number,
  applicant_phone, applicant_email, applicant_address, authorised_name, authorised_id_number,
  result_delivery, delivery_address, sets_received, fee_amount, completion_count, received_at,
  due_at, original_due_at, paused_at, finished_at, returned_at, supplement_count, result_kind,
  "current_role", extension_reason, returned_to, postal_tracking, closing_note, version)
SELECT gen_random_uuid(), '', 'I' || lpad(n::text, 9, '0'), version, desk, agency, agency,
  1 + (n / 3) %% 3,
  CASE WHEN kind < 70 OR kind >= 90 THEN 'returned' WHEN kind < 80 THEN 'processing'
       WHEN kind < 85 THEN 'waiting_applicant' ELSE 'withdrawn' END,
  1, 'Người dân ' || n, lpad((n * 37)::text, 12, '0'), '09' || lpad((n %% 100000000)::text, 8, '0'),
  '', '', '', '', 'desk', '', 1, 0, 0, received, due, due,
  CASE WHEN kind BETWEEN 80 AND 84 THEN LEAST(received + interval '10 hours', %(now)s) END,
  CASE WHEN kind < 70 OR kind >= 90 THEN done END,
  CASE WHEN kind < 70 OR kind >= 90 THEN done END,
  CASE WHEN kind BETWEEN 62 AND 69 THEN 2 ELSE 0 END,
  CASE WHEN kind >= 90 THEN 'electronic' WHEN kind < 70 THEN 'paper' ELSE '' END,
  '', '', '', '', '', 1
FROM d WHERE received < %(now)s
"""


def generate(count: int, offset: int, now) -> float:
    places = list(
        Desk.objects.filter(agency__is_active=True).values_list("pk", "agency_id").order_by("pk")
    )
    versions = list(
        ProcedureVersion.objects.filter(status="published").values_list("pk", flat=True)
    )
    year = year_of(now)
    sql = GENERATE.format(
        desks=",".join(str(d) for d, _a in places),
        agencies=",".join(str(a) for _d, a in places),
        places=len(places),
        versions=",".join(map(str, versions)),
        n_versions=len(versions),
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "start": year.start,
                "now": now,
                "minutes": max(1, int((now - year.start).total_seconds() // 60)),
                "first": offset + 1,
                "last": offset + count,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    return time.perf_counter() - started


def timed(work) -> tuple[float, float, object]:
    work()  # warm-up, untimed
    times, result = [], None
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def dashboard(scope: Scope, period: Period, now):
    split = figures.breakdown(scope, period, now)
    found = indicators_for(scope, period, now, tally=split.total)
    line = figures.trend(scope, period, now)
    return found.tally, split, line, figures.officers(scope, period, now)


def naive_rows(scope, period, now, group):
    """The same counts by full GROUP BYs over the dossiers of the whole period."""
    names = figures.DAY_COUNTS
    yield from figures._live(scope, period, now, group, names=names, open_counts=True)


class Naive:
    """Within it, the reports count from the dossiers, not the tallies."""

    def __enter__(self):
        self.kept = figures._rows, figures.trend
        figures._rows = naive_rows
        figures.trend = lambda scope, period, now: [
            (month, figures.total(scope, month, now))
            for month in [m for m in figures.months_of(period) if m.start <= now][-36:]
        ]

    def __exit__(self, *exc):
        figures._rows, figures.trend = self.kept


def run_size(count: int, offset: int, now, lines: list[str]) -> None:
    province = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    scope = Scope(frozenset(agency_subtree_ids(province.pk)))
    year = year_of(now)
    seconds = generate(count, offset, now)
    started = time.perf_counter()
    with transaction.atomic():
        tallies_recount(repair=True)
    counted = time.perf_counter() - started
    rows = DayTally.objects.count()
    quarter_start = year.start.replace(month=((now.month - 1) // 3) * 3 + 1)
    quarter = Period(quarter_start, min(year.end, quarter_start + timedelta(days=92)))
    fast = timed(lambda: dashboard(scope, year, now))
    slow = None
    with Naive():
        slow = timed(lambda: dashboard(scope, year, now))
    assert fast[2][0] == slow[2][0], "tallies and dossiers disagree"
    assert fast[2][2] == slow[2][2], "the month lines disagree"
    report = timed(lambda: periodic.report_for(scope, quarter, now))
    with Naive():
        naive_report = timed(lambda: periodic.report_for(scope, quarter, now))
    assert report[2].total == naive_report[2].total, "the report's totals disagree"
    xlsx = timed(
        lambda: periodic.report_xlsx(
            report[2], agency_name=province.name, first=quarter.start, last=quarter.end
        )
    )
    started = time.perf_counter()
    call_command("recount_indicators")  # raises on any difference
    recount = time.perf_counter() - started
    total = Dossier.objects.count()
    lines += [
        f"| {total:,} dossiers ({count:,} generated in {seconds:.0f} s; {rows:,} day tallies "
        f"counted in {counted:.0f} s) | dashboard p50 **{fast[0]:.0f} ms**, p95 "
        f"**{fast[1]:.0f} ms**; quarterly report p50 **{report[0]:.0f} ms**, p95 "
        f"**{report[1]:.0f} ms** (+ .xlsx {xlsx[0]:.0f} ms) | naive GROUP BY over the "
        f"dossiers: dashboard p50 {slow[0]:.0f} ms, p95 {slow[1]:.0f} ms; report p50 "
        f"{naive_report[0]:.0f} ms, p95 {naive_report[1]:.0f} ms | recount_indicators: no "
        f"difference ({recount:.0f} s) |",
    ]
    print(lines[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    now = clock.now()
    lines = [
        f"Leaders' indicators, PostgreSQL, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {REPEAT} timed runs each after a warm-up.",
        "",
        "| data | from the tallies | same run, from the dossiers | check |",
        "|---|---|---|---|",
    ]
    offset = 0
    for size in (int(s) for s in args.sizes.split(",")):
        run_size(size - offset, offset, now, lines)
        offset = size
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
