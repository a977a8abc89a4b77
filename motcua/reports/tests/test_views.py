"""The dashboard, its drill-down lists and the periodic report: a leader sees their subtree
only; each list holds exactly the dossiers its figure counts; the report's workbook and CSV
hold the database's counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.agencies.selectors import agency_subtree_ids
from motcua.dossiers.models import Dossier, Status
from motcua.reports import figures
from motcua.reports.figures import Scope, period_of_days
from motcua.reports.tests.conftest import NOW, generate

YEAR = {"tu": "2026-01-01", "den": "2026-12-31"}


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_only_leaders_open_the_dashboard(client, tree, district_leader, specialist, desk_officer):
    url = reverse("reports:dashboard")
    assert client.get(url).status_code == 302  # to log in
    for outsider in (specialist, desk_officer):
        assert login(client, outsider).get(url).status_code == 404
    page = login(client, district_leader).get(url, YEAR)
    assert page.status_code == 200
    assert page.context["f"].agency == tree["district"]
    # the province is above the district leader: not offered, and not shown
    assert tree["province"].code not in dict(page.context["f"].form.fields["co_quan"].choices)
    page = client.get(url, {**YEAR, "co_quan": tree["province"].code})
    assert page.context["f"].agency == tree["district"]


@pytest.mark.django_db
def test_dashboard_shows_the_subtrees_figures_and_charts(client, tree, district_leader):
    generate(tree, n=150)
    page = login(client, district_leader).get(reverse("reports:dashboard"), YEAR)
    scope = Scope(frozenset(agency_subtree_ids(tree["district"].pk)))
    year = period_of_days(NOW.replace(month=1, day=1).date(), NOW.replace(month=12, day=31).date())
    t = figures.total(scope, year, NOW)
    assert page.context["found"].tally == t
    html = page.content.decode()
    assert html.count('<svg class="chart"') == 4
    assert "chưa có dữ liệu" in html  # payments, ratings, feedback
    assert f"{t.on_time_rate}%".replace(".", ",") in html  # Vietnamese decimal comma


@pytest.mark.django_db
@pytest.mark.parametrize("figure", ["received", "received_desk", "finished_late", "open_overdue"])
def test_each_drill_down_lists_the_dossiers_its_figure_counts(client, tree, district_leader,
                                                              figure):  # fmt: skip
    generate(tree, n=150)
    login(client, district_leader)
    params = {**YEAR, "co_quan": tree["district"].code}
    page = client.get(reverse("reports:drill", args=[figure]), params)
    scope = Scope(frozenset(agency_subtree_ids(tree["district"].pk)))
    year = period_of_days(NOW.replace(month=1, day=1).date(), NOW.replace(month=12, day=31).date())
    tally = figures.total(scope, year, NOW)
    expected = tally.received_desk if figure == "received_desk" else getattr(tally, figure)
    assert page.context["page"].paginator.count == expected > 0
    # the district leader opens the district's own dossiers, not those of the communes below
    for d, _holder, may_open in page.context["rows"]:
        assert may_open == (d.deciding_agency_id == tree["district"].pk)
    assert client.get(reverse("reports:drill", args=["nothing"]), params).status_code == 404


@pytest.mark.django_db
def test_overdue_and_due_soon_lists_name_who_holds_each(client, tree, leader, clock):
    generate(tree, n=200)
    page = login(client, leader).get(reverse("reports:dashboard"))
    assert page.context["overdue"]
    for d, holder, _open in page.context["overdue"]:
        assert d.status in (Status.RECEIVED, Status.PROCESSING, Status.WAITING_APPLICANT,
                            Status.WAITING_PAYMENT) and d.due_at < NOW  # fmt: skip
        assert d.deciding_agency_id == tree["commune"].pk and holder


@pytest.mark.django_db
def test_report_workbook_and_csv_hold_the_databases_counts(client, tree, district_leader):
    generate(tree, n=200)
    login(client, district_leader)
    params = {"tu": "2026-07-01", "den": "2026-09-30"}  # a quarter
    answer = client.get(reverse("reports:report"), {**params, "dang": "xlsx"})
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Tổng cộng"
    assert sheet["B5"].value == "Tổng số hồ sơ tiếp nhận"
    subtree = agency_subtree_ids(tree["district"].pk)
    start, end = period_of_days(
        *(d for d in (NOW.replace(month=7, day=1).date(), NOW.replace(month=9, day=30).date()))
    ).__dict__.values()
    mine = Dossier.objects.filter(deciding_agency_id__in=subtree)
    new = mine.filter(received_at__gte=start, received_at__lt=end).count()
    carried = (
        mine.filter(received_at__lt=start)
        .exclude(finished_at__lt=start)
        .filter(
            status__in=[
                "received",
                "processing",
                "waiting_applicant",
                "waiting_payment",
                "result_ready",
                "returned",
            ]
        )
        .exclude(finished_at__isnull=True, status__in=["result_ready", "returned"])
        .count()
    )
    finished = mine.filter(finished_at__gte=start, finished_at__lt=end).count()
    assert last[1] == carried + new and last[2] == carried
    assert last[5] == finished == last[6] + last[7] + last[8]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("reports:report"), {**params, "dang": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [int(n) for n in rows[-1][1:]] == last[1:]
    assert client.get(reverse("reports:report"), params).status_code == 200


@pytest.mark.django_db
def test_a_day_no_calendar_holds_is_refused_with_a_message(client, tree, district_leader):
    page = login(client, district_leader)
    for query in [{"tu": "0001-01-01", "den": "0001-01-31"}, {"tu": "9999-12-01"}]:
        text = page.get(reverse("reports:dashboard"), query).content.decode()
        assert "Ngày phải từ 01/01/2000" in text or "Ngày không được sau 31/12/2099" in text
        # the report has no filters of its own: it falls back to this month, never a 500
        assert page.get(reverse("reports:report"), query).status_code == 200
