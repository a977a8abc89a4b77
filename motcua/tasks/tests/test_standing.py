"""The standing of a task is described twice — for one task in Python, for counts in SQL —
and both must agree at every moment, on the edges especially."""

import pytest

from motcua.tasks import services
from motcua.tasks.models import Task
from motcua.tasks.standing import Standing, standing_of, standing_q
from motcua.tasks.tests.factories import as_actor, assign, vn

MOMENTS = [
    vn(2026, 11, 23, 9),
    vn(2026, 11, 25, 8, 59),
    vn(2026, 11, 25, 9, 0),  # the first task's due minute
    vn(2026, 11, 25, 9, 0, 30),
    vn(2026, 11, 25, 9, 1),
    vn(2026, 12, 31, 17),
]


@pytest.fixture
def tasks(people, tu_phap, clock):
    bob = as_actor(people["bob"])
    made = []
    for days, finish in [(1, None), (1, (2026, 11, 25, 9)), (1, (2026, 11, 25, 9, 1)),
                         (3, (2026, 11, 24, 8)), (10, None)]:  # fmt: skip
        clock(vn(2026, 11, 23, 9))
        task = assign(people["linh"], lead=tu_phap, days=days)
        if finish:
            clock(vn(*finish))
            services.task_complete(actor=bob, task_id=task.pk, note="Xong")
        made.append(task.pk)
    return made


@pytest.mark.parametrize("now", MOMENTS)
def test_the_python_and_the_sql_standings_agree(now, tasks):
    for standing in Standing:
        in_sql = set(
            Task.objects.filter(standing_q(standing, now=now)).values_list("pk", flat=True)
        )
        in_python = {t.pk for t in Task.objects.all() if standing_of(t, now=now) is standing}
        assert in_sql == in_python, (now, standing)
    assert sum(Task.objects.filter(standing_q(s, now=now)).count() for s in Standing) == len(tasks)


def test_each_standing_is_seen(tasks):
    now = vn(2026, 11, 26, 9)
    assert {standing_of(t, now=now) for t in Task.objects.all()} == set(Standing)
