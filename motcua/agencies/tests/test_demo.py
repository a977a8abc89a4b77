from django.core.management import call_command

from motcua.agencies.models import Agency, Membership, Role
from motcua.catalog.models import Field, Procedure, ProcedureVersion


def test_demo_province_is_complete_and_loading_it_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    assert "admin" in capsys.readouterr().out
    counts = (Agency.objects.count(), Membership.objects.count(), ProcedureVersion.objects.count())
    assert Procedure.objects.count() >= 40
    assert Field.objects.filter(versions__isnull=False).distinct().count() >= 8
    assert Agency.objects.filter(level__code="xa").count() >= 2
    assert Agency.objects.filter(level__code="huyen").exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    call_command("load_demo")
    assert "44 không đổi" in capsys.readouterr().out
    assert counts == (
        Agency.objects.count(),
        Membership.objects.count(),
        ProcedureVersion.objects.count(),
    )


def test_the_demo_calendar_swaps_a_working_day_for_a_day_that_was_worked(db):
    """A make-up Saturday is worked "in exchange for" a day off that would have been a working
    day; the two come in pairs, and no override repeats what the calendar already says."""
    from motcua.workcalendar.calendar import STANDARD_CALENDAR
    from motcua.workcalendar.models import CalendarOverride

    call_command("load_demo")
    overrides = CalendarOverride.objects.filter(agency=None)
    days_off = [o.date for o in overrides if o.kind == CalendarOverride.Kind.DAY_OFF]
    worked = [o.date for o in overrides if o.kind == CalendarOverride.Kind.WORKING_DAY]
    assert days_off and len(days_off) == len(worked)
    assert all(STANDARD_CALENDAR.is_working_day(day) for day in days_off), days_off
    assert not any(STANDARD_CALENDAR.is_working_day(day) for day in worked), worked
    for override in overrides.filter(kind=CalendarOverride.Kind.WORKING_DAY):
        assert any(f"{day:%d/%m/%Y}" in override.reason for day in days_off), override.reason


def test_the_demo_stamps_each_event_at_its_moment_of_the_story(db, clock):
    """Loaded at one instant, the demo's events still carry the times its story gives them:
    a dossier received days ago was passed on an hour (of work) after its receipt, not when
    the demo was loaded."""
    from motcua import clock as domain_clock
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.dossiers.papers import control_rows
    from motcua.workcalendar.calendar import VN_TZ, add_working_time
    from motcua.workcalendar.selectors import calendar_get

    call_command("load_demo")
    loaded_at = domain_clock.now()
    returned = Dossier.objects.get(status="returned")
    times = list(returned.events.order_by("seq").values_list("action", "at"))
    assert [action for action, _at in times] == [
        "receive", "forward", "forward", "approve", "return_result",
    ]  # fmt: skip
    calendar = calendar_get(agency=returned.receiving_agency)
    received = returned.received_at
    expected = [received] + [add_working_time(received, hours=h, calendar=calendar)
                             for h in (1, 8, 12, 14)]  # fmt: skip
    assert [at for _action, at in times] == expected
    assert all(at < loaded_at for _action, at in times)
    rows = control_rows(returned)
    assert rows[0].handed_at == expected[1] and rows[1].received_at == expected[1]
    assert DossierEvent.objects.filter(at=loaded_at).exclude(seq=1).count() == 0
    assert received.astimezone(VN_TZ).date() < loaded_at.astimezone(VN_TZ).date()


def test_the_demo_construction_permit_is_examined_by_land_and_construction(db):
    """1.009994 (Xây dựng) goes to the commune's Địa chính - Xây dựng unit, not Tư pháp."""
    from motcua.dossiers.models import Dossier

    call_command("load_demo")
    version = Procedure.objects.get(code="1.009994").current_version
    assert version.steps.get(role=Role.SPECIALIST).unit_function == "dia-chinh"
    permit = Dossier.objects.get(procedure_version__procedure__code="1.009994")
    assert permit.current_unit.code == "dia-chinh"
    civil = Dossier.objects.filter(procedure_version__procedure__code="1.004873")
    assert {d.current_unit.code for d in civil if d.current_unit_id} == {"tu-phap"}


def test_feedback_about_a_demo_procedure_reaches_a_leader_who_assigns_it(db, capsys):
    """The demo's province answers feedback about the catalog: it has a leader, printed
    with the other log-ins, who may assign it to one of its officers."""
    from django.contrib.auth import get_user_model

    from motcua.dossiers.access import SYSTEM, actor_for_user
    from motcua.feedback import access, services

    call_command("load_demo")
    assert "lanhdao.tinh" in capsys.readouterr().out
    procedure = Procedure.objects.filter(current_version__isnull=False).order_by("code").first()
    feedback = services.feedback_submit(
        about="procedure", code=procedure.code, name="Nguyễn Văn An", phone="0912345678",
        content="Hỏi về lệ phí.", address="203.0.113.5", actor=SYSTEM,
    )  # fmt: skip
    leader = actor_for_user(get_user_model().objects.get(username="lanhdao.tinh"))
    assert access.Action.ASSIGN in access.allowed_actions(leader, feedback)
    assert access.assignable_officers(feedback).exists()
