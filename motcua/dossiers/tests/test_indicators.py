"""The live figures of an agency (SPEC §9): each count against a plain-Python recount of the
same dossiers from the written definitions, on a generated set and on cases named one by one;
two queries whatever the number of dossiers, on the indexes meant for them."""

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from motcua.agencies.models import Desk
from motcua.catalog.models import Procedure
from motcua.dossiers import indicators
from motcua.dossiers.indicators import (
    DossierFigures,
    Period,
    dossier_figures,
    month_of,
    rating_summary,
    year_of,
)
from motcua.dossiers.models import OPEN_STATUSES, Channel, Dossier, Status
from motcua.dossiers.tests.factories import four_step_procedure, vn
from motcua.workcalendar.calendar import Outcome, deadline_outcome

NOW = vn(2026, 11, 23, 9, 0)  # the tests' clock


@pytest.fixture
def place(commune, other_commune):
    four_step_procedure()
    desk = Desk.objects.create(agency=commune, code="mot-cua", name="Bộ phận một cửa")
    return {
        "version": Procedure.objects.get(code="1.001193").current_version,
        "desk": desk,
        "commune": commune,
        "other": other_commune,
    }


def make(place, *, agency=None, **fields) -> Dossier:
    """A dossier row as the services leave it; only what the figures read matters."""
    agency = agency or place["commune"]
    fields.setdefault("status", Status.PROCESSING)
    return Dossier(
        procedure_version=place["version"],
        receiving_desk=place["desk"],
        receiving_agency=place["commune"],
        deciding_agency=agency,
        channel=Channel.DESK,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="045090001234",
        **fields,
    )


# --- the recount: the definitions of SPEC §9, one dossier at a time ---------------------------


def recount(dossiers, agency, period: Period, now) -> DossierFigures:
    as_of = min(period.end, now)
    counts = Counter()
    for d in dossiers:
        if d.deciding_agency_id != agency.pk or d.received_at is None:
            continue
        if period.start <= d.received_at < as_of:
            counts["received"] += 1
        if d.received_at >= as_of:
            continue
        sent_back_twice = d.supplement_count > 1
        if d.finished_at is not None and period.start <= d.finished_at < as_of:
            outcome = deadline_outcome(d.finished_at, d.due_at)
            if sent_back_twice or outcome is Outcome.LATE:
                counts["finished_late"] += 1
            elif outcome is Outcome.EARLY:
                counts["finished_early"] += 1
            else:
                counts["finished_on_time"] += 1
        elif (d.finished_at is not None and d.finished_at >= as_of) or (
            d.finished_at is None and d.status in OPEN_STATUSES
        ):
            clock_stopped = min(as_of, d.paused_at) if d.paused_at else as_of
            if sent_back_twice or d.due_at < clock_stopped:
                counts["open_overdue"] += 1
            else:
                counts["open_on_time"] += 1
    return DossierFigures(**counts)


def generated(place, n=400, seed=7) -> list[Dossier]:
    """Dossiers of every kind over the last sixteen months, in two agencies."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        received = NOW - timedelta(minutes=rng.randrange(0, 480 * 24 * 60))
        due = received + timedelta(hours=rng.choice([4, 8, 30, 80, 200]))
        kind = rng.choice(["finished", "returned", "open", "waiting", "closed", "online"])
        fields = {
            "received_at": received,
            "due_at": due,
            "supplement_count": rng.choice([0, 0, 0, 1, 2, 3]),
            "agency": rng.choice([place["commune"], place["commune"], place["other"]]),
        }
        if kind in ("finished", "returned"):
            finished = received + timedelta(hours=rng.choice([1, 5, 20, 60, 150, 300]))
            if finished > NOW:
                finished = NOW - timedelta(minutes=1)
            status = Status.RESULT_READY if kind == "finished" else Status.RETURNED
            fields.update(status=status, finished_at=finished)
        elif kind == "open":
            fields["status"] = rng.choice([Status.RECEIVED, Status.PROCESSING])
        elif kind == "waiting":
            paused = received + timedelta(hours=rng.choice([2, 40, 150, 400]))
            paused = min(paused, NOW - timedelta(minutes=1))
            status = rng.choice([Status.WAITING_APPLICANT, Status.WAITING_PAYMENT])
            fields.update(status=status, paused_at=paused)
        elif kind == "closed":
            fields["status"] = rng.choice([Status.WITHDRAWN, Status.STOPPED, Status.REJECTED])
        else:  # submitted online, not yet accepted: no clock
            fields.update(status=Status.SUBMITTED, received_at=None, due_at=None)
        rows.append(make(place, **fields))
    return Dossier.objects.bulk_create(rows)


def test_figures_equal_a_recount_of_the_dossiers(place):
    dossiers = generated(place)
    periods = [
        month_of(NOW),
        year_of(NOW),
        month_of(vn(2026, 2, 10)),  # a past month, judged at its end
        year_of(vn(2025, 6, 1)),  # last year
        Period(vn(2026, 11, 20, 8), vn(2026, 11, 23, 8, 30)),  # ends a little before now
    ]
    figures = dossier_figures(agency_id=place["commune"].pk, periods=periods, now=NOW)
    for period, found in zip(periods, figures, strict=True):
        assert found == recount(dossiers, place["commune"], period, NOW), period
    assert figures[1].counted > 50 and figures[1].late and figures[1].open_on_time
    other = dossier_figures(agency_id=place["other"].pk, periods=periods, now=NOW)
    for period, found in zip(periods, other, strict=True):
        assert found == recount(dossiers, place["other"], period, NOW), period


def test_each_kind_of_dossier_is_counted_where_the_definitions_say(place):
    """The named cases of SPEC §9, counted by hand for November 2026 as of Monday 23 at 9:00."""
    due = vn(2026, 11, 20, 16, 0)  # Friday 16:00
    cases = {
        # finished the day before the due day: early
        "early": {"finished_at": vn(2026, 11, 19, 10), "status": Status.RETURNED},
        # finished on the due day, before the due time: on time
        "on time": {"finished_at": vn(2026, 11, 20, 15, 59), "status": Status.RESULT_READY},
        # finished a minute after the due time: late
        "late": {"finished_at": vn(2026, 11, 20, 16, 1), "status": Status.RETURNED},
        # finished early but sent back to the applicant twice: late
        "supplemented twice": {
            "finished_at": vn(2026, 11, 18, 9),
            "status": Status.RETURNED,
            "supplement_count": 2,
        },
        # sent back once and finished on time: on time
        "supplemented once": {
            "finished_at": vn(2026, 11, 20, 9),
            "status": Status.RETURNED,
            "supplement_count": 1,
        },
        # open, due time passed: overdue
        "open and overdue": {"status": Status.PROCESSING},
        # waiting for the applicant since before its due time: the clock is stopped
        "paused in time": {
            "status": Status.WAITING_APPLICANT,
            "paused_at": vn(2026, 11, 20, 10),
            "supplement_count": 1,
        },
        # waiting for payment, but it was already overdue when it began waiting
        "paused late": {"status": Status.WAITING_PAYMENT, "paused_at": vn(2026, 11, 20, 16, 30)},
        # withdrawn: received, but no result to judge
        "withdrawn": {"status": Status.WITHDRAWN},
    }
    dossiers = [
        make(place, received_at=vn(2026, 11, 17, 8), due_at=due, **fields)
        for fields in cases.values()
    ]
    # open and not yet due; received in October, carried over
    dossiers.append(
        make(place, received_at=vn(2026, 10, 30, 8), due_at=vn(2026, 11, 30, 8), status="received")
    )
    # finished in October: not November's
    dossiers.append(
        make(
            place,
            received_at=vn(2026, 10, 1, 8),
            due_at=vn(2026, 10, 5, 8),
            finished_at=vn(2026, 10, 6, 8),
            status=Status.RETURNED,
        )
    )
    # another agency's
    dossiers.append(make(place, agency=place["other"], received_at=vn(2026, 11, 17, 8), due_at=due))
    Dossier.objects.bulk_create(dossiers)

    [november] = dossier_figures(agency_id=place["commune"].pk, periods=[month_of(NOW)], now=NOW)

    assert november == DossierFigures(
        received=9,
        finished_early=1,
        finished_on_time=2,  # on time, supplemented once
        finished_late=2,  # late, supplemented twice
        open_on_time=2,  # paused in time, carried over
        open_overdue=2,  # open and overdue, paused late
    )
    assert november.on_time_rate == Decimal("55.6")  # 5 / 9
    assert november.late == 4


def test_figures_of_a_period_without_dossiers_have_no_rate(place):
    [figures] = dossier_figures(agency_id=place["commune"].pk, periods=[month_of(NOW)], now=NOW)
    assert figures == DossierFigures()
    assert figures.on_time_rate is None


def test_months_and_years_are_vietnam_time():
    late_evening = vn(2026, 12, 31, 23, 30)  # 16:30 UTC
    assert month_of(late_evening).start == vn(2026, 12, 1)
    assert month_of(late_evening).end == vn(2027, 1, 1)
    assert year_of(late_evening) == Period(vn(2026, 1, 1), vn(2027, 1, 1))
    assert month_of(vn(2027, 1, 1, 0, 0)).start == vn(2027, 1, 1)


def test_figures_take_two_queries_whatever_the_dossiers(place, django_assert_num_queries):
    generated(place, n=60)
    periods = [month_of(NOW), year_of(NOW)]
    with django_assert_num_queries(2):
        dossier_figures(agency_id=place["commune"].pk, periods=periods, now=NOW)


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return queryset.explain()


def test_both_queries_read_their_indexes(place):
    """Years of finished dossiers and a few open ones, in two agencies: this month's figures
    read a small range of the activity index, the open ones carried over the inbox index."""
    rows = []
    for i in range(4000):
        received = NOW - timedelta(hours=7 * i)
        agency = place["commune"] if i % 2 else place["other"]
        finished = {"status": Status.RETURNED, "finished_at": received + timedelta(hours=5)}
        if i % 100 == 0:
            finished = {"status": Status.PROCESSING}
        rows.append(
            make(place, agency=agency, received_at=received, due_at=NOW + timedelta(days=i % 9),
                 **finished)
        )  # fmt: skip
    Dossier.objects.bulk_create(rows, batch_size=500)
    since = month_of(NOW).start
    recent = indicators.recent_dossiers(agency_id=place["commune"].pk, since=since)
    assert "dossier_agency_activity_idx" in _plan(recent.values("pk"))
    older = indicators.open_before(agency_id=place["commune"].pk, before=since)
    plan = _plan(older.values("pk"))
    if connection.vendor == "postgresql":
        assert "dossier_agency_inbox_idx" in plan
    else:  # SQLite cannot match a partial index's IN list to bound values; it still searches
        assert "USING INDEX" in plan and "SCAN" not in plan


def test_satisfaction_is_no_data_until_there_are_ratings():
    assert rating_summary({}) is None
    assert rating_summary({1: 0, 2: 0, 3: 0}) is None
    found = rating_summary({3: 5, 2: 3, 1: 2})
    assert found.ratings == 10
    assert str(found.average) == "2.30"  # (15 + 6 + 2) / 10
    assert str(found.satisfied_share) == "80.0"
    assert rating_summary({1: 1}).average == Decimal("1.00")  # one unhappy rating is not "none"


def test_without_the_ratings_app_there_are_no_ratings(place):
    if apps.is_installed("motcua.ratings"):
        pytest.skip("the ratings app is installed: test_ratings_are_counted_live covers it")
    counts = indicators.agency_rating_counts(
        agency_id=place["commune"].pk, period=month_of(NOW), now=NOW
    )
    assert counts == {} and rating_summary(counts) is None


def test_ratings_are_counted_live(place):
    """With the ratings app (issue 10 item 7): the agency's ratings given in the period, per
    level; another agency's, an earlier month's and a later one are not counted."""
    if not apps.is_installed("motcua.ratings"):
        pytest.skip("the ratings app is not installed on this branch")
    rating = apps.get_model(*indicators.RATING_MODEL)
    dossiers = Dossier.objects.bulk_create(
        make(place, agency=agency, received_at=vn(2026, 10, 1, 8), due_at=vn(2026, 10, 9, 8),
             finished_at=vn(2026, 10, 5, 8), status=Status.RETURNED)
        for agency in [place["commune"]] * 5 + [place["other"]]
    )  # fmt: skip
    given = [
        (place["commune"], 3, vn(2026, 11, 2, 8)),
        (place["commune"], 3, vn(2026, 11, 20, 8)),
        (place["commune"], 1, vn(2026, 11, 23, 8, 59)),
        (place["commune"], 2, vn(2026, 10, 31, 23, 59)),  # October's
        (place["commune"], 2, vn(2026, 11, 23, 9, 1)),  # after now
        (place["other"], 1, vn(2026, 11, 3, 8)),  # another agency's
    ]
    for dossier, (agency, overall, at) in zip(dossiers, given, strict=True):
        rating.objects.create(
            dossier=dossier, agency=agency, procedure=place["version"].procedure,
            overall=overall, channel="lookup", at=at,
        )  # fmt: skip
    counts = indicators.agency_rating_counts(
        agency_id=place["commune"].pk, period=month_of(NOW), now=NOW
    )
    assert counts == {3: 2, 1: 1}
    assert rating_summary(counts).average == Decimal("2.33")
