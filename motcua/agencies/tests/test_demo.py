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
