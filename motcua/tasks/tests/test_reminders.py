"""The daily reminders (``manage.py task_reminders``): a task due within one working day
reminds its lead unit, an overdue one its lead unit and the assigner; at most once a day per
kind, only on the agency's working days, through the outbox."""

import io

from django.core.management import call_command

from motcua.notifications.models import Notification
from motcua.tasks import services
from motcua.tasks.models import TaskReminder
from motcua.tasks.tests.factories import as_actor, assign, vn


def sent(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_a_task_due_within_a_working_day_reminds_the_lead_unit_once_a_day(
    people, tu_phap, dia_chinh, clock
):
    task = assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh], days=2)
    clock(vn(2026, 11, 25, 8))  # due Thursday 26/11 09:00: 9 working hours away
    assert services.task_reminders_send().due_soon == 0
    clock(vn(2026, 11, 25, 10))  # 7 working hours away
    assert services.task_reminders_send().due_soon == 1
    assert sent("task_due_soon") == ["bob@xa.example", "hung@xa.example"]
    body = Notification.objects.filter(kind="task_due_soon").first().body
    assert "09:00 26/11/2026" in body and f"/can-bo/nhiem-vu/{task.ref}/" in body
    clock(vn(2026, 11, 25, 16))  # the same day again: nothing more
    again = services.task_reminders_send()
    assert again.due_soon == 0 and again.already_sent == 1
    assert len(sent("task_due_soon")) == 2


def test_an_overdue_task_reminds_the_lead_unit_and_the_assigner_each_working_day(
    people, tu_phap, clock
):
    assign(people["linh"], lead=tu_phap, days=1)  # due Wednesday 25/11 09:00
    clock(vn(2026, 11, 25, 9, 1))
    assert services.task_reminders_send().overdue == 1
    assert sent("task_overdue") == ["bob@xa.example", "hung@xa.example", "linh@xa.example"]
    assert services.task_reminders_send().overdue == 0
    clock(vn(2026, 11, 28, 9))  # Saturday: no reminders
    summary = services.task_reminders_send()
    assert summary.overdue == 0 and summary.day_off == 1
    clock(vn(2026, 11, 30, 9))  # Monday: again
    assert services.task_reminders_send().overdue == 1
    assert len(sent("task_overdue")) == 6
    assert TaskReminder.objects.count() == 2


def test_done_tasks_are_not_reminded(people, tu_phap, clock):
    task = assign(people["linh"], lead=tu_phap, days=1)
    services.task_complete(actor=as_actor(people["bob"]), task_id=task.pk, note="Xong")
    clock(vn(2026, 11, 30, 9))
    summary = services.task_reminders_send()
    assert (summary.due_soon, summary.overdue) == (0, 0)


def test_the_command_reports_what_it_did(people, tu_phap, clock):
    assign(people["linh"], lead=tu_phap, days=1)
    clock(vn(2026, 11, 25, 10))
    out = io.StringIO()
    call_command("task_reminders", stdout=out)
    assert "nhắc quá hạn: 1" in out.getvalue()
    out = io.StringIO()
    call_command("task_reminders", stdout=out)
    assert "nhắc quá hạn: 0" in out.getvalue() and "đã nhắc hôm nay: 1" in out.getvalue()
