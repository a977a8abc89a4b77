"""The leader's page: each unit's tasks by standing, counted from the tasks themselves at the
moment of reading, drawn as bars with the numbers also in a table; filters; shareable inside
the agency; a fixed number of queries however many tasks."""

import re
from datetime import date

from django.urls import reverse

from conftest import _staff
from motcua.agencies.models import Role
from motcua.tasks import selectors, services
from motcua.tasks.standing import Standing
from motcua.tasks.tests.factories import as_actor, assign, key, vn


def four_tasks(people, tu_phap, dia_chinh, clock):
    """Tư pháp leads three (one done on time, one done late, one overdue), Địa chính one
    (open) and coordinates one."""
    bob, son = as_actor(people["bob"]), as_actor(people["son"])
    on_time = assign(people["linh"], lead=tu_phap, days=3, title="Đúng hạn")
    late = assign(people["linh"], lead=tu_phap, days=1, title="Trễ hạn")
    overdue = assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh], days=1, title="Quá")
    clock(vn(2026, 11, 24, 10))
    services.task_complete(actor=bob, task_id=on_time.pk, note="Xong")
    clock(vn(2026, 11, 25, 10))
    services.task_complete(actor=bob, task_id=late.pk, note="Xong muộn")
    still_open = assign(people["linh"], lead=dia_chinh, days=10, title="Trong hạn")
    services.task_report(actor=son, task_id=still_open.pk, percent=35, note="Đang đo đạc")
    return on_time, late, overdue, still_open


def test_counts_by_unit_and_standing(people, tu_phap, dia_chinh, clock):
    four_tasks(people, tu_phap, dia_chinh, clock)
    board = selectors.board_get(
        agency=tu_phap.agency, leader=people["linh"], now=vn(2026, 11, 26, 9)
    )
    rows = {r.name: (r.cells, r.coordinating) for r in board.rows}
    assert rows == {
        "Tư pháp": ([1, 1, 0, 1], 0),  # on time, late, open, overdue
        "Địa chính - Xây dựng": ([0, 0, 1, 0], 1),
    }
    assert board.totals == {
        Standing.DONE_ON_TIME: 1, Standing.DONE_LATE: 1, Standing.OPEN: 1, Standing.OVERDUE: 1
    }  # fmt: skip
    assert [r.name for r in board.rows] == ["Tư pháp", "Địa chính - Xây dựng"]  # most first
    bar = board.rows[0].segments
    assert [(s.standing, s.x, s.width) for s in bar] == [
        (Standing.DONE_ON_TIME, "0.000", "33.333"),
        (Standing.DONE_LATE, "33.333", "33.333"),
        (Standing.OVERDUE, "66.667", "33.333"),
    ]
    assert [(s.standing, s.width) for s in board.rows[1].segments] == [(Standing.OPEN, "33.333")]


def test_the_counts_follow_the_clock_not_a_batch(people, tu_phap, dia_chinh, clock):
    four_tasks(people, tu_phap, dia_chinh, clock)
    agency, leader = tu_phap.agency, people["linh"]
    early = selectors.board_get(agency=agency, leader=leader, now=vn(2026, 11, 25, 11))
    assert early.totals[Standing.OVERDUE] == 1
    later = selectors.board_get(
        agency=agency, leader=leader, now=vn(2026, 12, 9, 10, 1)
    )  # 10 days on
    assert later.totals[Standing.OVERDUE] == 2 and later.totals[Standing.OPEN] == 0


def test_filters_by_period_lead_unit_and_standing(people, tu_phap, dia_chinh, clock):
    four_tasks(people, tu_phap, dia_chinh, clock)
    agency, leader, now = tu_phap.agency, people["linh"], vn(2026, 11, 26, 9)
    by_unit = selectors.board_get(agency=agency, leader=leader, now=now, lead=key(dia_chinh))
    assert [t.title for t in by_unit.tasks] == ["Trong hạn"]
    assert by_unit.total == 1
    by_day = selectors.board_get(
        agency=agency, leader=leader, now=now, start=date(2026, 11, 25), end=date(2026, 11, 25)
    )
    assert [t.title for t in by_day.tasks] == ["Trong hạn"]
    before = selectors.board_get(agency=agency, leader=leader, now=now, end=date(2026, 11, 23))
    assert before.total == 3
    late = selectors.board_get(agency=agency, leader=leader, now=now, standing=Standing.DONE_LATE)
    assert [t.title for t in late.tasks] == ["Trễ hạn"]
    assert late.total == 4  # the standing narrows the list, not the counts
    nonsense = selectors.board_get(agency=agency, leader=leader, now=now, lead="u:abc")
    assert nonsense.total == 0
    # "²".isdigit() is true but int("²") raises; a number past any id matches nothing.
    for lead in ("u:²", "a:١٢", "u:" + "9" * 40):
        odd = selectors.board_get(agency=agency, leader=leader, now=now, lead=lead)
        assert odd.total == 0, lead


def test_only_the_leaders_own_tasks_are_on_the_page(people, commune, tu_phap, clock):
    deputy = _staff("vinh", commune, Role.AGENCY_LEADER)
    assign(people["linh"], lead=tu_phap, title="Của chủ tịch")
    assign(deputy, lead=tu_phap, title="Của phó chủ tịch")
    board = selectors.board_get(agency=commune, leader=deputy, now=vn(2026, 11, 23, 10))
    assert [t.title for t in board.tasks] == ["Của phó chủ tịch"]


def test_the_page_shows_the_chart_and_the_same_numbers_in_a_table(
    client, people, tu_phap, dia_chinh, clock
):
    on_time, *_ = four_tasks(people, tu_phap, dia_chinh, clock)
    clock(vn(2026, 11, 26, 9))
    client.force_login(people["alice"])  # any officer of the commune: read-only
    page = client.get(reverse("tasks:board", args=[tu_phap.agency.code, "linh"]))
    html = page.content.decode()
    assert html.count('<svg class="task-bar"') == 2
    assert 'aria-label="Tư pháp — Hoàn thành đúng hạn: 1; Hoàn thành trễ hạn: 1;' in html
    assert '<rect class="seg-overdue" x="66.667" y="0" width="33.333"' in html
    table = re.search(r'<table class="grid board-table">.*?</table>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">(\d+)</td>', table)
    assert cells == ["1", "1", "0", "1", "3", "0", "0", "0", "1", "0", "1", "1",
                     "1", "1", "1", "1", "4"]  # fmt: skip
    assert "Giao nhiệm vụ" not in html  # not hers to assign
    assert f'value="http://testserver/can-bo/nhiem-vu/theo-doi/{tu_phap.agency.code}/linh/"' in html
    # alice may read the page, not the tasks themselves: no links to them
    assert reverse("tasks:detail", args=[on_time.ref]) not in html
    client.force_login(people["linh"])
    html = client.get(reverse("tasks:board", args=[tu_phap.agency.code, "linh"])).content.decode()
    assert reverse("tasks:detail", args=[on_time.ref]) in html and "Giao nhiệm vụ" in html


def test_the_page_reads_a_fixed_number_of_queries(
    client, people, tu_phap, dia_chinh, clock, django_assert_max_num_queries
):
    url = reverse("tasks:board", args=[tu_phap.agency.code, "linh"])
    assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    client.force_login(people["linh"])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(6):
        assign(people["linh"], lead=dia_chinh, coordinating=[tu_phap])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_officers_list_reads_a_fixed_number_of_queries(
    client, people, tu_phap, dia_chinh, django_assert_max_num_queries
):
    url = reverse("tasks:index")
    assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    client.force_login(people["bob"])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(6):
        assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_officers_boxes(people, tu_phap, dia_chinh, clock):
    four_tasks(people, tu_phap, dia_chinh, clock)
    now = vn(2026, 11, 26, 9)
    bob = as_actor(people["bob"])
    assert selectors.task_box_counts(actor=bob, now=now) == {"open": 1, "overdue": 1, "done": 2}
    son = as_actor(people["son"])
    assert selectors.task_box_counts(actor=son, now=now) == {"open": 2, "overdue": 1, "done": 0}
    titles = [t.title for t in selectors.task_list_for_officer(
        actor=son, box="open", now=now, limit=10)]  # fmt: skip
    assert titles == ["Quá", "Trong hạn"]  # in due order


def test_an_odd_lead_unit_on_the_page_is_a_form_error_not_a_500(client, people, tu_phap):
    client.force_login(people["linh"])
    url = reverse("tasks:board", args=[tu_phap.agency.code, "linh"])
    for lead in ("u:²", "a:١٢"):
        page = client.get(url, {"lead": lead})
        assert page.status_code == 200, lead


def test_a_date_no_calendar_holds_is_refused_with_a_message(client, people, tu_phap):
    client.force_login(people["linh"])
    url = reverse("tasks:board", args=[tu_phap.agency.code, "linh"])
    for query in ["end=9999-12-31", "start=0001-01-01"]:
        page = client.get(f"{url}?{query}")
        assert page.status_code == 200, query
        html = page.content.decode()
        assert "Ngày không được sau 31/12/2099" in html or "Ngày phải từ 01/01/2000" in html
