"""Every indicator of a subtree and period equals a recount written here in plain Python over
the dossier rows, from SPEC §9's words (not from the code's conditions): in total, by agency,
field, procedure, unit and officer, with the field and procedure filters, for several
periods."""

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils.dateparse import parse_datetime

from motcua.agencies.selectors import agency_subtree_ids
from motcua.catalog.models import Field
from motcua.dossiers.indicators import Period
from motcua.dossiers.models import Channel, DossierEvent, ResultKind, Status
from motcua.dossiers.tests.factories import vn
from motcua.reports import figures, sources
from motcua.reports.board import indicators_for
from motcua.reports.figures import Scope, period_of_days
from motcua.reports.tests.conftest import NOW, generate
from motcua.workcalendar.calendar import VN_TZ

OPEN = {Status.RECEIVED, Status.PROCESSING, Status.WAITING_APPLICANT, Status.WAITING_PAYMENT}

PERIODS = [
    period_of_days(vn(2026, 11, 1).date(), vn(2026, 11, 30).date()),  # this month, judged now
    period_of_days(vn(2026, 1, 1).date(), vn(2026, 12, 31).date()),  # this year
    period_of_days(vn(2026, 2, 1).date(), vn(2026, 2, 28).date()),  # a past month, at its end
    period_of_days(vn(2025, 7, 1).date(), vn(2025, 9, 30).date()),  # a past quarter
]


def pct(part, whole):
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def recount(dossiers, period: Period) -> Counter:
    """SPEC §9 read one dossier at a time."""
    as_of = min(period.end, NOW)
    c = Counter()
    for d in dossiers:
        if d.received_at is None or d.received_at >= as_of:
            continue
        if d.received_at >= period.start:
            c["received"] += 1
            c["received_online"] += d.channel == Channel.ONLINE
            c["received_post"] += d.channel == Channel.POST
        twice = d.supplement_count >= 2
        if d.finished_at is not None and period.start <= d.finished_at < as_of:
            finished_day = d.finished_at.astimezone(VN_TZ).date()
            due_day = d.due_at.astimezone(VN_TZ).date()
            if twice or d.finished_at > d.due_at:
                c["finished_late"] += 1
            elif finished_day < due_day:
                c["finished_early"] += 1
            else:
                c["finished_on_time"] += 1
            c["processing_seconds"] += (d.finished_at - d.received_at).total_seconds()
            electronic = d.result_kind == ResultKind.ELECTRONIC
            c["finished_electronic"] += electronic
            c["finished_digitised"] += electronic and d.scanned
        elif (d.finished_at is not None and d.finished_at >= as_of) or (
            d.finished_at is None and d.status in OPEN
        ):
            # the clock stops while waiting for the applicant or for payment
            stopped = min(as_of, d.paused_at) if d.paused_at else as_of
            if twice or d.due_at < stopped:
                c["open_overdue"] += 1
            else:
                c["open_on_time"] += 1
    return c


def assert_same(tally, c: Counter, label):
    for name in figures.COUNTS:
        assert getattr(tally, name) == c[name], (label, name)
    assert tally.received_desk == c["received"] - c["received_online"] - c["received_post"]
    good = c["finished_early"] + c["finished_on_time"] + c["open_on_time"]
    assert tally.on_time_rate == pct(good, good + c["finished_late"] + c["open_overdue"]), label
    finished = c["finished_early"] + c["finished_on_time"] + c["finished_late"]
    assert tally.online_share == pct(c["received_online"], c["received"]), label
    assert tally.electronic_share == pct(c["finished_electronic"], finished), label
    assert tally.digitised_share == pct(c["finished_digitised"], finished), label
    if finished:
        days = Decimal(c["processing_seconds"]) / 86400 / finished
        assert tally.average_days == days.quantize(Decimal("0.1"), ROUND_HALF_UP), label
    else:
        assert tally.average_days is None


def unit_name(d, tree):
    """The unit handling the procedure's first processing step at the deciding agency."""
    version = d.procedure_version
    step = version.steps.filter(role__in=["specialist", "unit_head"]).order_by("order").first()
    units = list(d.deciding_agency.units.order_by("pk"))
    chosen = next((u for u in units if step.unit_function and u.function == step.unit_function),
                  units[0])  # fmt: skip
    return f"{chosen.name} – {d.deciding_agency.name}"


@pytest.mark.django_db
def test_every_count_of_a_subtree_equals_the_recount(tree):
    dossiers = generate(tree)
    subtree = agency_subtree_ids(tree["district"].pk)
    mine = [d for d in dossiers if d.deciding_agency_id in subtree]
    assert {d.deciding_agency_id for d in mine} == {
        tree["district"].pk,
        tree["commune"].pk,
        tree["far"].pk,
    }
    scope = Scope(frozenset(subtree))
    for period in PERIODS:
        expected = recount(mine, period)
        assert_same(figures.total(scope, period, NOW), expected, period)
        found = figures.breakdown(scope, period, NOW)
        assert_same(found.total, expected, period)
        by = {
            "agency": defaultdict(list),
            "procedure": defaultdict(list),
            "field": defaultdict(list),
            "unit": defaultdict(list),
        }
        for d in mine:
            by["agency"][d.deciding_agency.name].append(d)
            by["procedure"][d.procedure_version.name].append(d)
            for f in d.procedure_version.fields.all():
                by["field"][f.name].append(f and d)
            by["unit"][unit_name(d, tree)].append(d)
        for kind, rows in (
            ("agency", found.by_agency),
            ("procedure", found.by_procedure),
            ("field", found.by_field),
            ("unit", found.by_unit),
        ):
            assert {r.name for r in rows} == set(by[kind]), kind
            for row in rows:
                assert_same(row.tally, recount(by[kind][row.name], period), (kind, row.name))
    year = PERIODS[1]
    t = figures.total(scope, year, NOW)
    # the generated set holds every case
    assert t.finished_early and t.finished_on_time and t.finished_late
    assert t.open_on_time and t.open_overdue and t.received_post and t.finished_digitised


@pytest.mark.django_db
def test_a_period_begun_and_ended_inside_a_day_counts_those_parts_from_the_dossiers(tree):
    dossiers = generate(tree, seed=7)
    scope = Scope(frozenset(agency_subtree_ids(tree["province"].pk)))
    # begun a minute before a dossier finished, in the afternoon: the tallies hold only
    # the whole days between; the parts of the first and last days are read live
    finished = sorted(d.finished_at for d in dossiers
                      if d.finished_at and d.finished_at.astimezone(VN_TZ).hour >= 12
                      and d.finished_at < vn(2026, 9, 1))  # fmt: skip
    period = Period(finished[-1] - timedelta(minutes=1), vn(2026, 11, 10, 16, 45))
    expected = recount(dossiers, period)
    assert expected["finished_early"] + expected["finished_on_time"] + expected["finished_late"]
    assert_same(figures.total(scope, period, NOW), expected, period)


@pytest.mark.django_db
def test_the_open_ones_now_are_those_of_tonight_less_those_falling_due_before_it(tree):
    """Read from the tallies at tonight's midnight, less the open ones due before it: each
    case that makes a dossier differ between this morning's midnight, now and tonight's."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tallies import tallies_recount

    dossiers = generate(tree, n=60, seed=5)
    agency, version = tree["commune"], tree["versions"][0]
    midnight = vn(2026, 11, 23)
    cases = [
        # received before today, still open, due between midnight and now: overdue since
        dict(received_at=midnight - timedelta(days=3), due_at=midnight + timedelta(hours=7)),
        # the same, waiting for the applicant since before its due time: its clock stopped
        dict(
            received_at=midnight - timedelta(days=3),
            due_at=midnight + timedelta(hours=8),
            status=Status.WAITING_APPLICANT,
            paused_at=midnight - timedelta(days=1),
        ),
        # the same, paused after its due time: overdue
        dict(
            received_at=midnight - timedelta(days=3),
            due_at=midnight + timedelta(hours=1),
            status=Status.WAITING_APPLICANT,
            paused_at=midnight + timedelta(hours=2),
        ),
        # due later today: still on time now
        dict(received_at=midnight - timedelta(days=2), due_at=midnight + timedelta(hours=15)),
        # received today; finished today (open at midnight, not now)
        dict(
            received_at=midnight + timedelta(hours=7, minutes=30),
            due_at=midnight + timedelta(days=2),
        ),
        dict(
            received_at=midnight - timedelta(days=1),
            due_at=midnight + timedelta(days=1),
            status=Status.RESULT_READY,
            finished_at=midnight + timedelta(hours=8),
        ),
        # overdue since yesterday, finished today
        dict(
            received_at=midnight - timedelta(days=4),
            due_at=midnight - timedelta(hours=5),
            status=Status.RETURNED,
            finished_at=midnight + timedelta(hours=8, minutes=30),
        ),
    ]
    extra = Dossier.objects.bulk_create(
        Dossier(procedure_version=version, receiving_desk=agency.desks.first(),
                receiving_agency=agency, deciding_agency=agency, applicant_name="Trần Thị Bình",
                applicant_id_number="045090001235", channel=Channel.DESK,
                **{"status": Status.PROCESSING, **case})
        for case in cases
    )  # fmt: skip
    tallies_recount(repair=True)
    for d in extra:
        d.scanned = False
    everyone = dossiers + extra
    scope = Scope(frozenset(agency_subtree_ids(tree["province"].pk)))
    for period in (PERIODS[0], PERIODS[1], Period(midnight, vn(2026, 11, 24))):
        assert_same(figures.total(scope, period, NOW), recount(everyone, period), period)
    ((month, this_month),) = figures.trend(scope, PERIODS[0], NOW)  # the month line's last point
    assert_same(this_month, recount(everyone, month), month)
    mine = recount(extra, PERIODS[0])
    assert (mine["open_on_time"], mine["open_overdue"]) == (3, 2)  # the cases are as meant


@pytest.mark.django_db
def test_field_and_procedure_filters_count_only_their_dossiers(tree):
    dossiers = generate(tree, seed=3)
    subtree = frozenset(agency_subtree_ids(tree["province"].pk))
    land = Field.objects.get(name="Đất đai")
    civil = Field.objects.get(name="Hộ tịch")
    birth = tree["versions"][0]
    for period in PERIODS[:3]:
        for scope, keep in (
            (Scope(subtree, field_id=land.pk), lambda d: d.procedure_version_id != birth.pk),
            (Scope(subtree, field_id=civil.pk), lambda d: True),
            (Scope(subtree, procedure_id=birth.procedure_id),
             lambda d: d.procedure_version_id == birth.pk),
        ):  # fmt: skip
            expected = recount([d for d in dossiers if keep(d)], period)
            assert_same(figures.total(scope, period, NOW), expected, (scope, period))


@pytest.mark.django_db
def test_officers_ranked_by_steps_passed_on_by_their_due_time(tree, specialist):
    generate(tree, officer=specialist)
    scope = Scope(frozenset(agency_subtree_ids(tree["province"].pk)))
    period = PERIODS[1]
    steps = on_time = 0
    for e in DossierEvent.objects.all():
        if period.start <= e.at < NOW and e.action in ("forward", "result_ready"):
            steps += 1
            on_time += e.at <= parse_datetime(e.data["step_due_at"])
    (row,) = figures.officers(scope, period, NOW)
    assert (row.user_id, row.steps, row.on_time) == (specialist.pk, steps, on_time)
    assert 0 < on_time < steps
    assert row.on_time_rate == pct(on_time, steps)


@pytest.mark.django_db
def test_month_by_month_line_adds_up_to_the_period(tree):
    dossiers = generate(tree, seed=5)
    scope = Scope(frozenset(agency_subtree_ids(tree["province"].pk)))
    line = figures.trend(scope, PERIODS[1], NOW)
    assert [m.start.month for m, _t in line] == list(range(1, 12))  # December is yet to come
    for month, tally in line:  # open ones judged at each month's end, this month now
        assert_same(tally, recount(dossiers, month), month)
    assert sum(t.received for _m, t in line) == figures.total(scope, PERIODS[1], NOW).received
    finished = figures.total(scope, PERIODS[1], NOW).finished
    assert sum(t.finished for _m, t in line) == finished


@pytest.mark.django_db
def test_online_procedure_share_counts_the_procedures_the_subtree_handles(tree):
    # both procedures at commune level, one of them online; at the province level none
    assert figures.procedure_offer(Scope(frozenset({tree["commune"].pk}))).share == Decimal(50)
    district = figures.procedure_offer(Scope(frozenset({tree["district"].pk})))
    assert (district.procedures, district.online) == (1, 0)
    province = figures.procedure_offer(Scope(frozenset({tree["province"].pk})))
    assert province.procedures == 0 and province.share is None


@pytest.mark.django_db
def test_figures_without_data_are_none_never_zero(tree):
    generate(tree, n=50)
    found = indicators_for(Scope(frozenset({tree["commune"].pk})), PERIODS[1], NOW)
    missing = {f.key for f in found.figures if f.value is None}
    assert missing == {
        "online_payment_share",
        "reuse_share",
        "satisfaction",
        "feedback_on_time_rate",
    }
    groups = {str(g.label): g for g in found.points}
    assert groups["Công khai, minh bạch"].scored is None
    assert len(groups["Công khai, minh bạch"].missing) == 3
    progress = groups["Tiến độ giải quyết"]
    assert progress.scored == (Decimal(20) * found.tally.on_time_rate / 100).quantize(
        Decimal("0.01")
    )


@pytest.mark.django_db
def test_satisfaction_by_the_formula_once_complaints_are_recorded(tree, monkeypatch):
    generate(tree, n=80)
    scope = Scope(frozenset({tree["commune"].pk}))
    monkeypatch.setattr(sources, "dissatisfied_dossiers", lambda **kw: 1)
    found = indicators_for(scope, PERIODS[1], NOW)
    t = found.tally
    counted = t.finished + t.open_on_time + t.open_overdue
    late = pct(t.finished_late + t.open_overdue, counted)
    assert Decimal(0) < late and pct(1, counted) < 100 - late
    assert found.figure("satisfaction").value == Decimal(100) - late - pct(1, counted)
    # never below 0
    monkeypatch.setattr(sources, "dissatisfied_dossiers", lambda **kw: counted)
    assert indicators_for(scope, PERIODS[1], NOW).figure("satisfaction").value == 0


def test_a_period_of_days_is_whole_days_in_vietnam_time():
    period = period_of_days(vn(2026, 1, 1).date(), vn(2026, 1, 31).date())
    assert period.start == vn(2026, 1, 1) and period.end == vn(2026, 2, 1)
    assert period.end - period.start == timedelta(days=31)


@pytest.mark.django_db
def test_ratings_and_feedback_are_read_from_their_apps(tree, clock):
    """Once people rate and complain, satisfaction and feedback handled have figures: the
    ratings per level, the dossiers rated "không hài lòng" or complained about, feedback
    answered by its due time (or open, not yet due) over feedback received."""
    from motcua.feedback.models import Feedback
    from motcua.ratings.services import rating_submit

    dossiers = generate(tree, n=80)
    commune = tree["commune"]
    returned = [
        d for d in dossiers if d.status == Status.RETURNED and d.deciding_agency_id == commune.pk
    ][:3]
    clock(vn(2026, 11, 20, 10))
    for dossier, overall in zip(returned, [3, 2, 1], strict=True):
        rating_submit(dossier_id=dossier.pk, overall=overall, criteria={}, channel="lookup")
    period, ids = PERIODS[0], [commune.pk]
    assert sources.rating_counts(agency_ids=ids, period=period, now=NOW) == {3: 1, 2: 1, 1: 1}
    assert sources.dissatisfied_dossiers(agency_ids=ids, period=period, now=NOW) == 1
    assert sources.feedback_handled(agency_ids=ids, period=period, now=NOW) is None
    base = dict(
        agency=commune,
        about="dossier",
        dossier=returned[1],
        dossier_code=returned[1].ref,  # the code as typed
        name="Dân",
        content="x",
        phone="0912345678",
    )
    made = [
        Feedback(**base, code="PA-1", received_at=vn(2026, 11, 2, 9), due_at=vn(2026, 11, 20, 9),
                 answered_at=vn(2026, 11, 19, 9), state="answered"),
        Feedback(**base, code="PA-2", received_at=vn(2026, 11, 3, 9), due_at=vn(2026, 11, 21, 9),
                 answered_at=vn(2026, 11, 22, 9), state="answered"),
        Feedback(**base, code="PA-3", received_at=vn(2026, 11, 18, 9),
                 due_at=vn(2026, 12, 9, 9), state="received"),
    ]  # fmt: skip
    Feedback.objects.bulk_create(made)
    assert sources.feedback_handled(agency_ids=ids, period=period, now=NOW) == (2, 3)
    assert sources.dissatisfied_dossiers(agency_ids=ids, period=period, now=NOW) == 2
    found = indicators_for(Scope(frozenset(ids)), period, NOW)
    assert found.figure("satisfaction").value is not None
    assert found.figure("feedback_on_time_rate").value is not None
