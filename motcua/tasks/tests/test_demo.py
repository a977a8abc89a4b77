"""The demo province's tasks: Khe Sanh's chairman has given tasks in every standing, and a
second ``load_demo`` adds none."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from motcua import clock
from motcua.agencies.models import Agency
from motcua.tasks import selectors
from motcua.tasks.models import Task, TaskExtension
from motcua.tasks.standing import Standing


def test_the_demo_chairmans_page_shows_every_standing(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "5 nhiệm vụ mẫu mới" in out.getvalue()
    board = selectors.board_get(
        agency=Agency.objects.get(code="000.01.31.H50"),
        leader=get_user_model().objects.get(username="lanhdao.khesanh"),
        now=clock.now(),
    )
    assert all(board.totals[s] >= 1 for s in Standing), board.totals
    assert TaskExtension.objects.filter(state="pending").count() == 1
    call_command("load_demo", stdout=io.StringIO())
    assert Task.objects.count() == 5
