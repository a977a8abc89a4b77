"""Who sees a task and who may act on it: every named actor against every page and every
action, at each point of a task's life. The expectations are written out by hand from the
rules in ``tasks/access.py``'s docstring, so a rule dropped or widened makes this fail.

alice: desk officer of the commune · bob: specialist of Tư pháp (the lead unit) · hung: head
of Tư pháp · son: specialist of Địa chính (the coordinating unit) · linh: the commune's
leader, who assigns · quantri: the commune's administrator · root: superuser · dan: a
citizen · charlie: the desk officer of another commune."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from conftest import _staff
from motcua.agencies.models import Membership, Role
from motcua.dossiers.tests.factories import PDF
from motcua.tasks import access, services
from motcua.tasks.models import Task, TaskEvent, TaskExtension
from motcua.tasks.tests.factories import as_actor, assign

NAMES = ["alice", "bob", "hung", "son", "linh", "quantri", "root", "dan", "charlie"]

ALLOWED = {
    "open": {
        "bob": ["report", "complete", "request_extension"],
        "hung": ["report", "complete", "request_extension"],
        "son": ["report"],
    },
    "pending": {  # bob asked for more time
        "bob": ["report", "complete"],
        "hung": ["report", "complete"],
        "son": ["report"],
        "linh": ["decide_extension"],
    },
    "done": {},
}

SEES = {"bob", "hung", "son", "linh", "root"}
BOARD = {"alice", "bob", "hung", "son", "linh", "root"}  # officers of the commune, root
ASSIGNS = {"linh"}


def task_in(state, people, tu_phap, dia_chinh) -> Task:
    task = assign(
        people["linh"], lead=tu_phap, coordinating=[dia_chinh], files=[("giao-viec.pdf", PDF)]
    )
    if state == "pending":
        services.task_extension_request(
            actor=as_actor(people["bob"]), task_id=task.pk, days=3, reason="Chờ số liệu"
        )
    if state == "done":
        services.task_complete(actor=as_actor(people["bob"]), task_id=task.pk, note="Xong")
    return Task.objects.get(pk=task.pk)


class Rollback(Exception):
    pass


def try_action(task, action, actor) -> bool:
    """Whether ``actor`` may do ``action`` now; nothing stays changed either way."""
    before = Task.objects.values().get(pk=task.pk)
    events = TaskEvent.objects.filter(task=task).count()
    pending = TaskExtension.objects.filter(task=task, state="pending").first()
    calls = {
        "report": lambda: services.task_report(
            actor=actor, task_id=task.pk, percent=50, note="Đã làm"
        ),
        "complete": lambda: services.task_complete(actor=actor, task_id=task.pk, note="Xong"),
        "request_extension": lambda: services.task_extension_request(
            actor=actor, task_id=task.pk, days=2, reason="Lý do"
        ),
        "decide_extension": lambda: services.task_extension_decide(
            actor=actor, task_id=task.pk, extension_id=pending.pk if pending else 0,
            approve=True, note="Đồng ý",
        ),
    }  # fmt: skip
    done = False
    try:
        with transaction.atomic():
            calls[action]()
            done = True
            raise Rollback
    except Rollback:
        pass
    except Exception as refused:  # refused: it must have changed nothing
        assert type(refused).__name__ in ("PermissionDenied", "ValidationError"), refused
    assert Task.objects.values().get(pk=task.pk) == before
    assert TaskEvent.objects.filter(task=task).count() == events
    return done


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_actor_against_every_action(state, people, tu_phap, dia_chinh):
    task = task_in(state, people, tu_phap, dia_chinh)
    pending = state == "pending"
    for name in NAMES:
        actor = as_actor(people[name])
        expected = ALLOWED[state].get(name, [])
        assert access.allowed_actions(actor, task, pending=pending) == expected, (state, name)
        done = {a.value for a in access.Action if try_action(task, a, actor)}
        assert done == set(expected), (state, name)


@pytest.mark.parametrize("state", list(ALLOWED))
def test_every_actor_against_every_page(state, client, people, tu_phap, dia_chinh):
    task = task_in(state, people, tu_phap, dia_chinh)
    file = task.files.get()
    pages = [
        reverse("tasks:detail", args=[task.ref]),
        reverse("tasks:attachment", args=[task.ref, file.pk]),
    ]
    board = reverse("tasks:board", args=[task.agency.code, "linh"])
    for name in NAMES:
        client.force_login(people[name])
        expected = 200 if name in SEES else 404
        for url in pages:
            assert client.get(url).status_code == expected, (state, name, url)
        assert client.get(board).status_code == (200 if name in BOARD else 404), (state, name)
        assigns = client.get(reverse("tasks:assign")).status_code
        assert assigns == (200 if name in ASSIGNS else 404), name
        assert client.get(reverse("tasks:index")).status_code == 200
        before = Task.objects.values().get(pk=task.pk)
        posted = client.post(
            reverse("tasks:report", args=[task.ref]), {"percent": 70, "note": "Đã làm"}
        )
        if name not in SEES:
            assert posted.status_code == 404, (state, name)
        reported = "report" in ALLOWED[state].get(name, [])
        assert posted.status_code in ((302,) if reported else (200, 302, 404)), (state, name)
        after = Task.objects.values().get(pk=task.pk)
        if reported and name != "son":  # the lead unit's percentage is the task's
            assert after["progress"] == 70
            Task.objects.filter(pk=task.pk).update(progress=before["progress"])
        else:
            assert after == before, (state, name)
    client.logout()
    for url in [*pages, board, reverse("tasks:index"), reverse("tasks:assign")]:
        response = client.get(url)  # anonymous: to the log-in page
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_index_lists_only_the_tasks_one_sees(client, people, tu_phap, dia_chinh):
    task_in("open", people, tu_phap, dia_chinh)
    for name in NAMES:
        client.force_login(people[name])
        page = client.get(reverse("tasks:index")).content.decode()
        listed = "Rà soát thủ tục hành chính" in page
        assert listed == (name in SEES), name


def test_a_task_given_to_an_agency_below_goes_to_its_leaders(
    people, province, commune, tu_phap, client
):
    """A province leader gives a task to the commune as a whole: the commune's leaders see and
    report on it; its units' people do not; a leader of the province sees it, as assigner."""
    governor = _staff("tinh", province, Role.AGENCY_LEADER)
    task = assign(governor, lead=commune)
    visible = {n for n in NAMES if access.task_get_visible(as_actor(people[n]), ref=task.ref)}
    assert visible == {"linh", "root"}
    assert access.task_get_visible(as_actor(governor), ref=task.ref) is not None
    assert access.allowed_actions(as_actor(people["linh"]), task, pending=False) == [
        "report",
        "complete",
        "request_extension",
    ]
    services.task_report(actor=as_actor(people["linh"]), task_id=task.pk, percent=30, note="Ok")
    assert Task.objects.get(pk=task.pk).progress == 30


def test_the_assigner_decides_and_another_leader_only_once_the_assigner_left(
    people, commune, tu_phap
):
    deputy = _staff("vinh", commune, Role.AGENCY_LEADER)
    task = assign(people["linh"], lead=tu_phap)
    services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=2, reason="Chờ số liệu"
    )
    assert access.allowed_actions(as_actor(deputy), task, pending=True) == []
    assert access.Relation.LEADER in access.relations(as_actor(deputy), task)
    Membership.objects.filter(user=people["linh"], role=Role.AGENCY_LEADER).delete()
    assert access.allowed_actions(as_actor(deputy), task, pending=True) == ["decide_extension"]
    assert access.allowed_actions(as_actor(people["linh"]), task, pending=True) == []


def test_a_superuser_reads_every_task_and_acts_on_none(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    root = as_actor(people["root"])
    assert access.task_get_visible(root, ref=task.ref) is not None
    assert access.relations(root, task) == {access.Relation.OVERSEER}
    assert access.allowed_actions(root, task, pending=False) == []


def test_an_administrator_who_makes_himself_a_specialist_elsewhere_sees_only_that(
    people, other_commune, tu_phap
):
    """Memberships, not staff flags, open tasks: charlie's commune's tasks stay his."""
    task = assign(people["linh"], lead=tu_phap)
    assert access.task_get_visible(as_actor(people["charlie"]), ref=task.ref) is None
    assert not access.may_view_board(as_actor(people["quantri"]), task.agency)
    assert not access.may_view_board(as_actor(people["charlie"]), task.agency)


def test_none_is_not_an_actor(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    for call in (
        lambda: access.task_scope(None),
        lambda: access.relations(None, task),
        lambda: access.may_view_board(None, task.agency),
        lambda: access.assigning_agency_ids(None),
    ):
        with pytest.raises(TypeError):
            call()


def test_a_bad_reference_is_a_404(client, people):
    client.force_login(people["linh"])
    for ref in ["khong-co", "0" * 32, "../../etc"]:
        assert client.get(f"/can-bo/nhiem-vu/{ref}/").status_code == 404


def test_the_board_of_someone_who_is_not_a_leader_there_is_a_404(client, people, tu_phap):
    assign(people["linh"], lead=tu_phap)
    client.force_login(people["linh"])
    agency = people["linh"].memberships.get().agency
    assert client.get(reverse("tasks:board", args=[agency.code, "bob"])).status_code == 404
    assert client.get(reverse("tasks:board", args=["khong-co", "linh"])).status_code == 404
    assert get_user_model().objects.filter(username="bob").exists()
