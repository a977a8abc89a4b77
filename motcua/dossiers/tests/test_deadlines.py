"""Rules of time of ``deadlines.py`` beyond the calendar's arithmetic (SPEC §6): due times are
whole minutes, and a procedure counted in calendar days never has a step due after itself."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import act, receive, vn
from motcua.workcalendar.calendar import Outcome, deadline_outcome

SECONDS = timedelta(seconds=37, microseconds=123456)


def whole(moment) -> bool:
    return moment.second == 0 and moment.microsecond == 0


def test_a_receipt_at_37_seconds_past_is_due_at_the_next_whole_minute(version, desk, clock):
    clock(vn(2026, 11, 23, 9) + SECONDS)
    dossier = receive(desk, version)
    assert dossier.received_at == vn(2026, 11, 23, 9) + SECONDS
    assert dossier.due_at == vn(2026, 11, 27, 9, 1)  # 3 working days (24/11 is off), rounded up
    assert whole(dossier.step_due_at) and dossier.step_due_at == vn(2026, 11, 23, 11, 1)


def test_what_the_receipt_prints_is_what_is_judged(version, desk, clock):
    """The receipt prints 09:01; a result at 09:00:50 is on time, as the applicant reads it."""
    clock(vn(2026, 11, 23, 9) + SECONDS)
    dossier = receive(desk, version)
    assert f"{dossier.due_at:%H:%M}" == "09:01"
    finished = vn(2026, 11, 27, 9) + timedelta(seconds=50)
    assert deadline_outcome(finished, dossier.due_at) is Outcome.ON_TIME


def test_a_wait_and_an_extension_give_whole_minutes(
    version, desk, desk_officer, specialist, leader, clock
):
    clock(vn(2026, 11, 23, 9))
    dossier = receive(desk, version, actor=desk_officer)
    act(dossier, "forward", desk_officer)
    clock(vn(2026, 11, 23, 10) + SECONDS)
    act(dossier, "request_supplement", specialist, note="Thiếu giấy tờ",
        missing_documents=["Giấy chứng sinh"])  # fmt: skip
    clock(vn(2026, 11, 25, 14))
    waited = act(dossier, "supplement_received", desk_officer)
    assert whole(waited.due_at) and whole(waited.step_due_at)
    assert waited.due_at > dossier.due_at
    # judged as it will be set and printed: 11:30:30 is 11:31, in the lunch break
    with pytest.raises(ValidationError, match="giờ làm việc"):
        act(waited, "extend", leader, note="Chậm",
            new_due_at=vn(2026, 12, 2, 11, 30) + timedelta(seconds=30))  # fmt: skip
    # 07:29:30, before the office opens, is set as 07:30, when it opens: taken
    extended = act(waited, "extend", leader, note="Chậm",
                   new_due_at=vn(2026, 12, 2, 7, 29) + timedelta(seconds=30))  # fmt: skip
    assert extended.due_at == vn(2026, 12, 2, 7, 30)


def calendar_day_procedure():
    """3 calendar days; steps of 4 + 16 + 4 working hours."""
    publish(
        procedure_record(
            "2.000001",
            name="Cấp bản sao trích lục",
            processing_time="3",
            time_unit="calendar_days",
            steps=[
                {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "4"},
                {
                    "name": "Thẩm định",
                    "role": "specialist",
                    "unit_function": "tu-phap",
                    "budget_hours": "16",
                },
                {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
            ],
        )
    )
    return Procedure.objects.get(code="2.000001").current_version


def test_a_calendar_day_procedure_never_has_a_step_due_after_the_dossier(
    levels, desk, desk_officer, specialist, clock
):
    version = calendar_day_procedure()
    clock(vn(2026, 11, 26, 15) + SECONDS)  # Thursday: the 3rd day is a Sunday → Monday 17:00
    dossier = receive(desk, version, actor=desk_officer)
    assert dossier.due_at == vn(2026, 11, 30, 17)
    assert dossier.step_due_at == vn(2026, 11, 27, 9, 31)
    clock(vn(2026, 11, 27, 16))
    forwarded = act(dossier, "forward", desk_officer)  # 16 working hours would end on Tuesday
    assert forwarded.step_due_at == forwarded.due_at == vn(2026, 11, 30, 17)
    clock(vn(2026, 11, 30, 9))
    act(forwarded, "request_supplement", specialist, missing_documents=["Giấy chứng sinh"])
    clock(vn(2026, 12, 1, 9))
    back = act(forwarded, "supplement_received", desk_officer)  # 8 working hours waited
    assert back.step_due_at == back.due_at == vn(2026, 12, 1, 17)
    for step_due, due in Dossier.objects.values_list("step_due_at", "due_at"):
        assert step_due <= due
