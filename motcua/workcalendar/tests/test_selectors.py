from datetime import date, datetime, time

import pytest

from motcua.workcalendar.calendar import VN_TZ, add_working_time
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.selectors import calendar_build, calendar_get
from motcua.workcalendar.tests.factories import summer_season


@pytest.fixture
def summer_hours(commune):
    return summer_season(commune)


def test_deployment_overrides_apply_to_every_agency(db, commune):
    CalendarOverride.objects.create(date=date(2026, 11, 10), kind="day_off", reason="Bão")
    assert not calendar_get().is_working_day(date(2026, 11, 10))
    assert not calendar_get(agency=commune).is_working_day(date(2026, 11, 10))


def test_agency_override_wins_over_deployment_override(db, commune, other_commune):
    CalendarOverride.objects.create(date=date(2026, 11, 10), kind="day_off", reason="Bão")
    CalendarOverride.objects.create(
        date=date(2026, 11, 10), kind="working_day", reason="Trực", agency=commune
    )
    assert calendar_get(agency=commune).is_working_day(date(2026, 11, 10))
    assert not calendar_get(agency=other_commune).is_working_day(date(2026, 11, 10))


def test_agency_office_hours_are_used(db, commune, summer_hours):
    start = datetime(2026, 6, 8, 13, tzinfo=VN_TZ)
    due = add_working_time(start, hours=4, calendar=calendar_get(agency=commune))
    assert due == datetime(2026, 6, 8, 17, 30, tzinfo=VN_TZ)


def test_a_due_time_costs_two_queries_whatever_its_length(
    db, commune, summer_hours, django_assert_num_queries
):
    CalendarOverride.objects.create(date=date(2027, 3, 1), kind="day_off", reason="x")
    with django_assert_num_queries(2):
        calendar = calendar_build(agency=commune)
        add_working_time(datetime(2026, 11, 9, 10, tzinfo=VN_TZ), days=300, calendar=calendar)


def test_calendars_are_kept_per_process(db, commune, django_assert_num_queries):
    calendar_get(agency=commune)
    with django_assert_num_queries(0):
        calendar_get(agency=commune)


def test_season_with_impossible_day_is_refused(commune):
    from django.core.exceptions import ValidationError

    season = summer_season(
        commune, start_month=2, start_day=30, end_month=13, end_day=1,
        afternoon_start=time(11, 0),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        season.full_clean()
    assert set(exc.value.message_dict) >= {"start_day", "end_month", "afternoon_start"}
