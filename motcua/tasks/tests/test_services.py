"""The rules of tasks: deadlines in working days on the agency's calendar, who may be given a
task, reports, completion judged to the minute, extensions, history and files."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from conftest import _staff
from motcua.agencies.models import Role, Unit
from motcua.dossiers.tests.factories import PDF
from motcua.notifications.models import Notification
from motcua.tasks import services
from motcua.tasks.models import AppendOnlyError, Task, TaskEvent, TaskExtension, TaskFile
from motcua.tasks.standing import Standing, standing_of
from motcua.tasks.tests.factories import as_actor, assign, key, vn
from motcua.workcalendar.models import OfficeHoursSeason
from motcua.workcalendar.selectors import calendar_cache_clear


def stored_files() -> list[str]:
    if not default_storage.exists("tasks"):
        return []
    found, stack = [], ["tasks"]
    while stack:
        folder = stack.pop()
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{f}" for f in files]
        stack += [f"{folder}/{d}" for d in dirs]
    return found


# --- deadlines ------------------------------------------------------------------------------


def test_the_deadline_counts_working_days_and_skips_the_holiday(people, tu_phap):
    """Monday 23/11/2026 09:00 + 1 working day: Tuesday 24/11 is a public holiday (Ngày Văn
    hóa Việt Nam, from 2026), so the task is due Wednesday 09:00."""
    task = assign(people["linh"], lead=tu_phap, days=1)
    assert task.assigned_at == vn(2026, 11, 23, 9)
    assert task.due_at == task.original_due_at == vn(2026, 11, 25, 9)
    assert task.working_days == Decimal(1)


def test_the_deadline_uses_the_assigning_agencys_own_hours(people, tu_phap, commune, clock):
    """Friday 16:00 + half a working day: with the agency's afternoon to 17:30, 1.5 hours on
    Friday and 2.5 on Monday (10:00); the standard calendar would say 10:30."""
    OfficeHoursSeason.objects.create(
        agency=commune, name="Cả năm", start_month=1, start_day=1, end_month=12, end_day=31,
        morning_start=time(7, 30), morning_end=time(11, 30),
        afternoon_start=time(13, 30), afternoon_end=time(17, 30),
    )  # fmt: skip
    calendar_cache_clear()
    clock(vn(2026, 11, 27, 16))
    task = assign(people["linh"], lead=tu_phap, days="0,5")
    assert task.due_at == vn(2026, 11, 30, 10)


def test_a_task_assigned_after_hours_counts_from_the_next_opening(people, tu_phap, clock):
    clock(vn(2026, 11, 27, 19))  # Friday evening
    task = assign(people["linh"], lead=tu_phap, days=1)
    assert task.due_at == vn(2026, 11, 30, 17)  # all of Monday


@pytest.mark.parametrize(
    "days,message",
    [
        (0, "lớn hơn 0"),
        (-2, "lớn hơn 0"),
        (251, "không quá 250"),
        ("mười", "Nhập số ngày"),
        ("1.3", "nửa ngày"),
        ("NaN", "lớn hơn 0"),
    ],
)
def test_a_bad_number_of_days_is_refused_and_nothing_is_written(days, message, people, tu_phap):
    with pytest.raises(ValidationError) as refused:
        assign(people["linh"], lead=tu_phap, days=days, files=[("a.pdf", PDF)])
    assert message in refused.value.message_dict["working_days"][0]
    assert not Task.objects.exists() and not Notification.objects.exists()
    assert stored_files() == []


# --- who may be given a task -----------------------------------------------------------------


def test_only_a_leader_assigns_and_only_in_the_agency_they_lead(people, tu_phap, other_commune):
    for name in ["alice", "bob", "hung", "quantri", "root", "dan", "charlie"]:
        with pytest.raises(PermissionDenied):
            assign(people[name], lead=tu_phap, agency=tu_phap.agency)
    outsider = _staff("lan", other_commune, Role.AGENCY_LEADER)
    with pytest.raises(PermissionDenied):
        assign(outsider, lead=tu_phap, agency=tu_phap.agency)
    assert not Task.objects.exists()


def test_units_of_another_agency_are_refused(people, tu_phap, other_commune):
    elsewhere = Unit.objects.create(agency=other_commune, code="tp", name="Tư pháp", function="x")
    with pytest.raises(ValidationError) as refused:
        assign(people["linh"], lead=elsewhere)
    assert "lead" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        assign(people["linh"], lead=tu_phap, coordinating=[elsewhere])
    assert "coordinating" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:  # an agency beside, not below
        assign(people["linh"], lead=other_commune)
    assert "lead" in refused.value.message_dict
    assert not Task.objects.exists()


def test_the_lead_unit_is_not_also_coordinating(people, tu_phap):
    with pytest.raises(ValidationError) as refused:
        assign(people["linh"], lead=tu_phap, coordinating=[tu_phap])
    assert "coordinating" in refused.value.message_dict


def test_a_title_is_required_and_bounded(people, tu_phap):
    for title in ["", "   ", "x" * 501]:
        with pytest.raises(ValidationError) as refused:
            assign(people["linh"], lead=tu_phap, title=title)
        assert "title" in refused.value.message_dict


def test_a_province_leader_gives_tasks_to_its_units_and_agencies_below(
    people, province, commune, other_commune, levels
):
    """Agency levels are data: a district between the province and its communes changes
    nothing — every agency below may be given a task as a whole; the units of those agencies
    are their own leaders' to direct."""
    from motcua.agencies.models import Agency

    district = Agency.objects.create(
        code="000.00.32.H99", name="UBND huyện Thử", level=levels["huyen"], parent=province
    )
    village = Agency.objects.create(
        code="000.21.32.H99", name="UBND xã Ba Cấp", level=levels["xa"], parent=district
    )
    office = Unit.objects.create(agency=province, code="vp", name="Văn phòng", function="vp")
    governor = _staff("tinh", province, Role.AGENCY_LEADER)
    task = assign(governor, lead=office, coordinating=[commune, district, village])
    assert [a.key for a in task.assignees.all()] == [
        key(office),
        key(commune),
        key(district),
        key(village),
    ]
    commune_unit = people["bob"].memberships.get().unit
    with pytest.raises(ValidationError):
        assign(governor, lead=commune_unit)
    with pytest.raises(ValidationError):  # not itself
        assign(governor, lead=province)


def test_assigning_tells_each_units_people_by_email(people, tu_phap, dia_chinh):
    task = assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    sent = Notification.objects.filter(about=f"task:{task.uid}", kind="task_assigned")
    assert sorted(sent.values_list("recipient", flat=True)) == [
        "bob@xa.example", "hung@xa.example", "son@xa.example"
    ]  # fmt: skip
    body = sent.get(recipient="son@xa.example").body
    assert (
        "Địa chính - Xây dựng (phối hợp)" in body and "09:00 01/12/2026" in body
    )  # 5 days, the holiday skipped
    assert f"/can-bo/nhiem-vu/{task.ref}/" in body


def test_mail_to_officers_is_vietnamese_whatever_the_senders_screen(people, tu_phap):
    from django.utils import translation

    with translation.override("en"):
        assign(people["linh"], lead=tu_phap)
    body = Notification.objects.filter(kind="task_assigned").first().body
    assert "giao nhiệm vụ" in body and "(chủ trì)" in body


def test_task_messages_are_templates_an_administrator_edits(people, tu_phap):
    from motcua.notifications import texts
    from motcua.notifications.models import MessageTemplate
    from motcua.notifications.services import message_templates_load

    message_templates_load()
    seeded = set(MessageTemplate.objects.filter(kind__startswith="task_").values_list(
        "kind", "medium"))  # fmt: skip
    assert seeded == {(k, "email") for k in ("task_assigned", "task_completed",
                      "task_extension_requested", "task_extension_decided", "task_due_soon",
                      "task_overdue")}  # fmt: skip
    MessageTemplate.objects.filter(kind="task_assigned").update(
        subject="[Giao việc] {title}",
        body="Kính gửi {unit}: {leader} giao “{title}”, hạn {due}. {link}\n{opt_out_url}",
    )
    texts.templates_changed()
    task = assign(people["linh"], lead=tu_phap)
    sent = Notification.objects.filter(kind="task_assigned").first()
    assert sent.subject == f"[Giao việc] {task.title}"
    assert sent.body.startswith("Kính gửi Tư pháp: ") and "/tu-choi/" in sent.body


# --- reports and completion ------------------------------------------------------------------


def test_the_lead_units_percentage_is_the_tasks(people, tu_phap, dia_chinh):
    task = assign(people["linh"], lead=tu_phap, coordinating=[dia_chinh])
    services.task_report(actor=as_actor(people["son"]), task_id=task.pk, percent=80, note="Đo")
    task.refresh_from_db()
    assert task.progress == 0
    assert task.assignees.get(unit=people["son"].memberships.get().unit).progress == 80
    services.task_report(actor=as_actor(people["bob"]), task_id=task.pk, percent=40, note="Rà")
    task.refresh_from_db()
    assert task.progress == 40
    rows = list(task.events.values_list("action", "actor_name", "assignee_name", "percent"))
    assert rows[1:] == [
        ("reported", "Son", "Địa chính - Xây dựng", 80),
        ("reported", "Bob", "Tư pháp", 40),
    ]


@pytest.mark.parametrize("percent", [-1, 101, "abc", None])
def test_a_percentage_outside_0_to_100_is_refused(percent, people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    with pytest.raises(ValidationError) as refused:
        services.task_report(
            actor=as_actor(people["bob"]), task_id=task.pk, percent=percent, note="x"
        )
    assert "percent" in refused.value.message_dict
    assert task.events.count() == 1


def test_a_report_says_what_was_done(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    with pytest.raises(ValidationError) as refused:
        services.task_report(actor=as_actor(people["bob"]), task_id=task.pk, percent=5, note=" ")
    assert "note" in refused.value.message_dict
    assert Task.objects.get(pk=task.pk).progress == 0


@pytest.mark.parametrize(
    "finished,standing",
    [
        ((2026, 11, 24, 10), Standing.DONE_ON_TIME),  # a day early (Tuesday is a holiday)
        ((2026, 11, 25, 9, 0), Standing.DONE_ON_TIME),  # at the due minute
        ((2026, 11, 25, 9, 1), Standing.DONE_LATE),  # one minute after
        ((2026, 11, 25, 16, 0), Standing.DONE_LATE),  # on the due day, but later
    ],
)
def test_lateness_is_judged_to_the_minute(finished, standing, people, tu_phap, clock):
    task = assign(people["linh"], lead=tu_phap, days=1)  # due Wednesday 25/11 09:00
    clock(vn(*finished))
    done = services.task_complete(actor=as_actor(people["bob"]), task_id=task.pk, note="Xong")
    assert done.finished_at == vn(*finished) and done.progress == 100
    assert standing_of(Task.objects.get(pk=task.pk), now=vn(2026, 12, 31, 9)) is standing
    told = Notification.objects.get(kind="task_completed")
    assert told.recipient == "linh@xa.example"
    assert ("trễ hạn" in told.body) == (standing is Standing.DONE_LATE)


def test_an_open_task_is_overdue_past_its_deadline_not_at_it(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap, days=1)
    assert standing_of(task, now=vn(2026, 11, 25, 9, 0)) is Standing.OPEN
    assert standing_of(task, now=vn(2026, 11, 25, 9, 1)) is Standing.OVERDUE


def test_completing_closes_the_task_and_lapses_a_waiting_request(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=2, reason="Chờ số liệu"
    )
    services.task_complete(actor=as_actor(people["hung"]), task_id=task.pk, note="Đã xong")
    assert TaskExtension.objects.get().state == TaskExtension.State.CANCELLED
    for call in (
        lambda: services.task_report(
            actor=as_actor(people["bob"]), task_id=task.pk, percent=10, note="x"
        ),
        lambda: services.task_complete(actor=as_actor(people["bob"]), task_id=task.pk, note="x"),
    ):
        with pytest.raises(ValidationError):
            call()


# --- extensions ----------------------------------------------------------------------------


def test_an_extension_moves_the_deadline_once_when_granted(people, tu_phap, clock):
    task = assign(people["linh"], lead=tu_phap, days=2)  # due Thursday 26/11 09:00
    clock(vn(2026, 11, 25, 14))
    extension = services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=3, reason="Chờ ý kiến Sở"
    )
    assert extension.due_before == vn(2026, 11, 26, 9)
    assert extension.proposed_due_at == vn(2026, 12, 1, 9)  # 3 working days, over a weekend
    assert Task.objects.get(pk=task.pk).due_at == vn(2026, 11, 26, 9)  # not yet
    assert Notification.objects.get(kind="task_extension_requested").recipient == (
        "linh@xa.example"
    )
    services.task_extension_decide(
        actor=as_actor(people["linh"]), task_id=task.pk, extension_id=extension.pk, approve=True
    )
    task.refresh_from_db()
    assert task.due_at == vn(2026, 12, 1, 9) and task.original_due_at == vn(2026, 11, 26, 9)
    assert task.is_extended
    with pytest.raises(ValidationError):  # the same request granted twice moves nothing
        services.task_extension_decide(
            actor=as_actor(people["linh"]), task_id=task.pk, extension_id=extension.pk,
            approve=True,
        )  # fmt: skip
    assert Task.objects.get(pk=task.pk).due_at == vn(2026, 12, 1, 9)
    trail = list(task.events.values_list("action", "due_before", "due_after"))
    assert trail[1:] == [
        ("extension_requested", vn(2026, 11, 26, 9), vn(2026, 12, 1, 9)),
        ("extension_approved", vn(2026, 11, 26, 9), vn(2026, 12, 1, 9)),
    ]
    told = Notification.objects.filter(kind="task_extension_decided")
    assert sorted(told.values_list("recipient", flat=True)) == [
        "bob@xa.example", "hung@xa.example"
    ]  # fmt: skip


def test_a_refusal_gives_a_reason_and_keeps_the_deadline(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    extension = services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=3, reason="Chờ ý kiến Sở"
    )
    with pytest.raises(ValidationError) as refused:
        services.task_extension_decide(
            actor=as_actor(people["linh"]), task_id=task.pk, extension_id=extension.pk,
            approve=False,
        )  # fmt: skip
    assert "note" in refused.value.message_dict
    services.task_extension_decide(
        actor=as_actor(people["linh"]), task_id=task.pk, extension_id=extension.pk,
        approve=False, note="Đề nghị tập trung hoàn thành đúng hạn",
    )  # fmt: skip
    task.refresh_from_db()
    assert task.due_at == task.original_due_at and not task.is_extended
    assert TaskExtension.objects.get().state == TaskExtension.State.REFUSED
    assert task.events.last().action == TaskEvent.Action.EXTENSION_REFUSED


def test_one_request_at_a_time(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=3, reason="Chờ ý kiến Sở"
    )
    with pytest.raises(ValidationError):
        services.task_extension_request(
            actor=as_actor(people["hung"]), task_id=task.pk, days=1, reason="Thêm"
        )
    assert TaskExtension.objects.count() == 1


def test_a_request_must_reach_past_now(people, tu_phap, clock):
    task = assign(people["linh"], lead=tu_phap, days=1)  # due Wednesday 25/11 09:00
    clock(vn(2026, 11, 30, 9))  # overdue since
    with pytest.raises(ValidationError) as refused:
        services.task_extension_request(
            actor=as_actor(people["bob"]), task_id=task.pk, days=2, reason="Chậm"
        )
    assert "vẫn đã qua" in refused.value.message_dict["days"][0]
    ok = services.task_extension_request(
        actor=as_actor(people["bob"]), task_id=task.pk, days=5, reason="Chậm"
    )
    assert ok.proposed_due_at == vn(2026, 12, 2, 9)


def test_a_request_gives_a_reason_and_a_sane_number_of_days(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    for days, reason, field in [(2, " ", "reason"), (0, "Lý do", "days"), ("x", "Lý do", "days")]:
        with pytest.raises(ValidationError) as refused:
            services.task_extension_request(
                actor=as_actor(people["bob"]), task_id=task.pk, days=days, reason=reason
            )
        assert field in refused.value.message_dict
    assert not TaskExtension.objects.exists()


# --- history and files -------------------------------------------------------------------------


def test_the_history_is_append_only(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap)
    event = task.events.get()
    event.note = "sửa"
    for call in (
        event.save,
        event.delete,
        lambda: TaskEvent.objects.filter(pk=event.pk).update(note="sửa"),
        lambda: TaskEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(AppendOnlyError):
            call()
    assert TaskEvent.objects.get().note == ""


def test_files_are_kept_with_their_event_and_checked_by_content(people, tu_phap):
    task = assign(people["linh"], lead=tu_phap, files=[("cong-van.bat", PDF)])
    stored = TaskFile.objects.get()
    assert stored.event.action == TaskEvent.Action.ASSIGNED
    assert stored.content_type == "application/pdf" and stored.file.name.endswith(".pdf")
    with pytest.raises(ValidationError) as refused:
        services.task_report(
            actor=as_actor(people["bob"]), task_id=task.pk, percent=10, note="x",
            files=[services.IncomingFile("virus.exe", b"MZ\x90\x00 not a document")],
        )  # fmt: skip
    assert "virus.exe" in " ".join(refused.value.messages)
    assert TaskFile.objects.count() == 1 and len(stored_files()) == 1


def test_no_file_outlives_a_failed_write(people, tu_phap, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services, "message_put", broken)
    with pytest.raises(RuntimeError):
        assign(people["linh"], lead=tu_phap, files=[("a.pdf", PDF)])
    assert not Task.objects.exists() and not TaskFile.objects.exists()
    assert stored_files() == []
