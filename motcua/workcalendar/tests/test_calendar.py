"""SPEC §6 working-time arithmetic, on the standard calendar unless a test says otherwise."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.calendar import (
    STANDARD_SESSIONS,
    VN_TZ,
    OfficeHours,
    Outcome,
    Season,
    Session,
    TimeUnit,
    WorkCalendar,
    add_calendar_days,
    add_working_time,
    compute_due_at,
    deadline_outcome,
    deadline_outcome_by_day,
    is_working_instant,
    processing_hours,
    same_day_due,
    working_time_between,
)


def vn(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


# An ordinary week: Monday 9 to Friday 13 November 2026, no holiday.
MON = (2026, 11, 9)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (vn(*MON, 10), 1, vn(2026, 11, 10, 10)),  # Monday 10:00 + 1 day → Tuesday 10:00
        (vn(*MON, 7, 30), 1, vn(*MON, 17)),  # Monday 07:30 + 1 day → Monday 17:00
        (vn(2026, 11, 13, 16), 1, vn(2026, 11, 16, 16)),  # Friday 16:00 → Monday 16:00
        (vn(*MON, 12), 1, vn(2026, 11, 10, 11, 30)),  # lunch → Tuesday 11:30
        (vn(*MON, 13), Decimal("0.5"), vn(*MON, 17)),  # Monday 13:00 + ½ day → 17:00
    ],
)
def test_spec_examples(start, days, due):
    assert add_working_time(start, days=days) == due


def test_holiday_on_day_of_receipt_counts_from_next_opening():
    # 24/11/2026 is Vietnamese Culture Day, a public holiday from 2026.
    assert add_working_time(vn(2026, 11, 24, 9), days=1) == vn(2026, 11, 25, 17)


def test_holiday_inside_the_count_is_skipped():
    assert add_working_time(vn(2026, 11, 23, 10), days=1) == vn(2026, 11, 25, 10)


def test_tet_is_skipped():
    # Tết Bính Ngọ: 16–20 February 2026 off.
    assert add_working_time(vn(2026, 2, 13, 10), days=1) == vn(2026, 2, 23, 10)


def test_weekend_receipt_moves_to_monday_opening():
    assert add_working_time(vn(2026, 11, 14, 9), days=1) == vn(2026, 11, 16, 17)


def test_make_up_saturday_is_a_working_day_with_weekday_hours():
    # 31/8/2026 is a day off swapped with Saturday 22/8/2026.
    saturday = date(2026, 8, 22)
    calendar = WorkCalendar()
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.sessions_on(saturday) == STANDARD_SESSIONS
    assert add_working_time(vn(2026, 8, 21, 16), days=1) == vn(2026, 8, 22, 16)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (vn(*MON, 7, 30), True),  # opening
        (vn(*MON, 11, 30), True),  # the end of the morning: a due time may be then
        (vn(*MON, 12), False),  # lunch
        (vn(*MON, 17), True),  # closing
        (vn(*MON, 17, 1), False),
        (vn(*MON, 7, 29), False),
        (vn(2026, 11, 14, 10), False),  # Saturday
        (vn(2026, 11, 24, 10), False),  # 24/11, a holiday from 2026
        (vn(2026, 8, 22, 10), True),  # a make-up Saturday
        (datetime(2026, 11, 9, 3, 0, tzinfo=UTC), True),  # 10:00 in Vietnam
    ],
)
def test_a_working_instant_is_inside_an_office_session_of_a_working_day(moment, working):
    assert is_working_instant(moment) is working


def test_national_day_bridge_is_skipped():
    # 31/8 (swapped), 1/9 and 2/9/2026 off: Friday 28/8 10:00 + 1 day lands on Thursday 3/9.
    assert add_working_time(vn(2026, 8, 28, 10), days=1) == vn(2026, 9, 3, 10)


def test_lunch_break_is_skipped_when_the_count_crosses_it():
    assert add_working_time(vn(*MON, 10), hours=2) == vn(*MON, 13, 30)


def test_lunch_break_is_skipped_when_the_count_runs_into_the_next_day():
    # 1 h on Monday, 4 h on Tuesday morning, the last hour after lunch.
    assert add_working_time(vn(*MON, 16), hours=6) == vn(2026, 11, 10, 14)


def test_running_out_at_closing_time_gives_closing_time():
    assert add_working_time(vn(*MON, 16), hours=1) == vn(*MON, 17)
    assert add_working_time(vn(*MON, 16), hours=Decimal("1.5")) == vn(2026, 11, 10, 8)


def test_receipt_after_closing_counts_from_next_opening():
    assert add_working_time(vn(*MON, 18), hours=1) == vn(2026, 11, 10, 8, 30)


def test_times_in_other_zones_are_read_as_the_same_instant():
    utc_start = datetime(2026, 11, 9, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
    assert add_working_time(utc_start, days=1) == vn(2026, 11, 10, 10)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="múi giờ"):
        add_working_time(datetime(2026, 11, 9, 10), days=1)


@pytest.mark.parametrize(
    "start",
    [
        datetime(1, 1, 1, 10, tzinfo=UTC),
        datetime(1900, 1, 3, 10, tzinfo=VN_TZ),  # +07:06:30 (local mean time) in the zone
        datetime(1975, 6, 2, 10, tzinfo=UTC),  # +08:00 in the zone until 13 June 1975
        datetime(1975, 12, 31, 16, 59, tzinfo=UTC),  # 23:59 on 31/12/1975 in Vietnam
        datetime(2101, 1, 3, 10, tzinfo=VN_TZ),
        datetime(9999, 12, 31, 10, tzinfo=UTC),
    ],
)
def test_moments_outside_1976_to_2100_are_refused(start):
    for unit in TimeUnit:
        with pytest.raises(ValueError, match="1976"):
            compute_due_at(start, 1, unit)


def test_the_calendar_counts_from_1976_with_plus_seven():
    # 00:00 on 1/1/1976 in Vietnam, New Year's Day: counted from the opening of 2/1.
    due = add_working_time(datetime(1975, 12, 31, 17, 0, tzinfo=UTC), days=1)
    assert due == vn(1976, 1, 2, 17) and due.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(("unit", "amount"), [(u, 30) for u in TimeUnit if u != "same_day"])
def test_a_due_time_past_2100_is_refused(unit, amount):
    with pytest.raises(ValueError, match="2100"):
        compute_due_at(vn(2100, 12, 20, 10), amount * (10 if unit == "working_hours" else 1), unit)


def test_a_same_day_due_past_2100_is_refused():
    with pytest.raises(ValueError, match="2100"):
        same_day_due(vn(2100, 12, 31, 16))  # after 15:00 on the last working day
    assert same_day_due(vn(2100, 12, 31, 10)) == vn(2100, 12, 31, 17)


def test_very_long_durations_are_not_truncated():
    start = vn(*MON, 7, 30)
    due = add_working_time(start, days=500)
    assert due.year == 2028
    assert working_time_between(start, due) == timedelta(hours=500 * 8)


def test_negative_time_is_refused():
    with pytest.raises(ValueError):
        add_working_time(vn(*MON, 10), days=-1)


def test_seasonal_office_hours():
    summer = Season(
        (4, 1), (9, 30), (Session(time(7, 30), time(11, 30)), Session(time(13, 30), time(17, 30)))
    )
    calendar = WorkCalendar(office_hours=OfficeHours(seasons=(summer,)))
    # Summer: the afternoon starts at 13:30, so 13:00 + 4 h ends at 17:30.
    assert add_working_time(vn(2026, 6, 8, 13), hours=4, calendar=calendar) == vn(
        2026, 6, 8, 17, 30
    )
    # Winter keeps the standard hours.
    assert add_working_time(vn(*MON, 13), hours=4, calendar=calendar) == vn(*MON, 17)


def test_season_wrapping_the_new_year():
    winter = Season((10, 1), (3, 31), STANDARD_SESSIONS)
    assert winter.contains(date(2026, 12, 31)) and winter.contains(date(2027, 1, 15))
    assert not winter.contains(date(2026, 6, 1))


def test_overrides_win_over_national_calendar():
    calendar = WorkCalendar(
        extra_days_off=frozenset({date(2026, 11, 10)}),
        extra_working_days=frozenset({date(2026, 11, 24)}),  # working on a holiday
    )
    assert add_working_time(vn(*MON, 10), days=1, calendar=calendar) == vn(2026, 11, 11, 10)
    assert calendar.is_working_day(date(2026, 11, 24))


def test_calendar_days_due_on_a_holiday_moves_to_end_of_next_working_day():
    # 9/11 + 15 calendar days = 24/11 (holiday) → end of Wednesday 25/11.
    assert add_calendar_days(vn(*MON, 10), 15) == vn(2026, 11, 25, 17)
    assert add_calendar_days(vn(*MON, 10), 2) == vn(2026, 11, 11, 17)


def test_calendar_days_must_be_whole():
    with pytest.raises(ValueError):
        add_calendar_days(vn(*MON, 10), 1.5)


def test_same_day_procedures():
    assert same_day_due(vn(*MON, 14, 59)) == vn(*MON, 17)
    # Received after 15:00: due the next working day.
    assert same_day_due(vn(*MON, 15, 30)) == vn(2026, 11, 10, 17)
    assert same_day_due(vn(2026, 11, 13, 16)) == vn(2026, 11, 16, 17)
    # Received on a Saturday: counts from Monday's opening.
    assert same_day_due(vn(2026, 11, 14, 9)) == vn(2026, 11, 16, 17)


def test_compute_due_at_dispatches_on_unit():
    assert compute_due_at(vn(*MON, 10), 1, "working_days") == vn(2026, 11, 10, 10)
    assert compute_due_at(vn(*MON, 10), 2, "working_hours") == vn(*MON, 13, 30)
    assert compute_due_at(vn(*MON, 10), 2, "calendar_days") == vn(2026, 11, 11, 17)
    assert compute_due_at(vn(*MON, 10), 0, "same_day") == vn(*MON, 17)


def test_waiting_time_is_counted_in_working_hours_not_calendar_days():
    # A supplement request from Friday 16:00 to Monday 09:00 waited 1 h + 1.5 h of working time.
    assert working_time_between(vn(2026, 11, 13, 16), vn(2026, 11, 16, 9)) == timedelta(
        hours=2, minutes=30
    )
    assert working_time_between(vn(2026, 11, 16, 9), vn(2026, 11, 13, 16)) == -timedelta(
        hours=2, minutes=30
    )


def test_lateness_is_judged_to_the_minute():
    due = vn(*MON, 8)
    finished = vn(*MON, 16)  # same day, eight hours late
    assert deadline_outcome(finished, due) is Outcome.LATE
    assert deadline_outcome_by_day(finished, due) is Outcome.ON_TIME
    assert deadline_outcome(vn(*MON, 7, 45), due) is Outcome.ON_TIME
    assert deadline_outcome(vn(2026, 11, 6, 16), due) is Outcome.EARLY


def test_processing_hours():
    assert processing_hours(3, "working_days") == 24
    assert processing_hours(Decimal("0.5"), "working_days") == 4
    assert processing_hours(0, "same_day") == 8


# --- invariants -------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(VN_TZ)
)
working_hours = st.decimals(min_value=0, max_value=400, places=2)


def _inside_office_hours(moment: datetime) -> bool:
    local = moment.astimezone(VN_TZ)
    return any(
        datetime.combine(local.date(), s.start, VN_TZ)
        <= local
        <= datetime.combine(local.date(), s.end, VN_TZ)
        for s in WorkCalendar().sessions_on(local.date())
    )


@settings(max_examples=300, deadline=None)
@given(start=moments, hours=working_hours)
def test_due_time_never_falls_outside_office_hours(start, hours):
    assert _inside_office_hours(add_working_time(start, hours=hours))


@settings(max_examples=300, deadline=None)
@given(start=moments, a=working_hours, b=working_hours)
def test_more_hours_never_give_an_earlier_time(start, a, b):
    low, high = sorted((a, b))
    assert add_working_time(start, hours=low) <= add_working_time(start, hours=high)


@settings(max_examples=300, deadline=None)
@given(start=moments, hours=working_hours)
def test_working_time_between_inverts_add_working_time(start, hours):
    due = add_working_time(start, hours=hours)
    assert working_time_between(start, due) == timedelta(seconds=round(float(hours) * 3600))
