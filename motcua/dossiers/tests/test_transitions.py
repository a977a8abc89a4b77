"""The transition table (SPEC §4): every status × every action. An allowed pair changes the
state to the row's target; any other pair is refused with a clear message and changes
nothing. Guards are tried both ways. Run as the system (every relation), so that only the
table — not who acts — decides here; who acts is ``test_access``."""

from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish
from motcua.dossiers.access import SYSTEM
from motcua.dossiers.deadlines import calendar_of
from motcua.dossiers.models import DVCQG_STATUS, Dossier, DossierEvent, Status
from motcua.dossiers.services import Receipt, dossier_submit
from motcua.dossiers.tests.factories import act, applicant, receive
from motcua.dossiers.trace import audit_verify
from motcua.dossiers.transitions import (
    SPECS,
    TABLE,
    Action,
    TransitionRefused,
    actions_from,
    targets_from,
)
from motcua.workcalendar.calendar import add_working_time

ACTIONS = [a for a in Action if a not in (Action.RECEIVE, Action.SUBMIT)]
PARAMS = {
    Action.RETURN_RESULT: {"returned_to": "Nguyễn Văn An"},
    Action.APPROVE: {"paper_result": True},
    Action.RESULT_READY: {"paper_result": True},
    Action.REQUEST_SUPPLEMENT: {"missing_documents": ["Giấy chứng sinh"]},
}  # and extend, propose_extension, assign: params_for


def procedures():
    """Four processes: the usual four steps (decision by the leader); a specialist who
    decides; a desk that does everything; a unit's step first (received straight into a
    unit's hands)."""
    desk_step = {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "2"}
    specialist = {"name": "Thẩm định", "role": "specialist", "budget_hours": "8"}
    leader = {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"}
    publish(
        procedure_record("9.000001", name="Do chuyên viên quyết định",
                         steps=[desk_step, specialist, {**desk_step, "name": "Trả kết quả"}]),
        procedure_record("9.000002", name="Một cửa làm trọn", processing_time="1",
                         steps=[desk_step, {**desk_step, "name": "Trả kết quả"}]),
        procedure_record("9.000003", name="Phòng thụ lý ngay", steps=[specialist, leader]),
    )  # fmt: skip
    return {
        code: Procedure.objects.get(code=code).current_version
        for code in ("1.001193", "9.000001", "9.000002", "9.000003")
    }


def variants(status, desk, versions) -> list[Dossier]:
    """Dossiers in ``status``, at each position that a guard distinguishes."""
    four, by_specialist, desk_only, unit_first = (
        versions["1.001193"], versions["9.000001"], versions["9.000002"], versions["9.000003"]
    )  # fmt: skip
    S = Status
    if status == S.SUBMITTED:
        return [
            dossier_submit(desk=desk, procedure_version=four, actor=SYSTEM,
                           receipt=Receipt(applicant=applicant(), channel=2))
        ]  # fmt: skip
    if status == S.RECEIVED:
        return [receive(desk, four), receive(desk, desk_only), receive(desk, unit_first)]
    if status == S.PROCESSING:
        at_specialist = act(receive(desk, four), "forward", SYSTEM)
        at_leader = act(act(receive(desk, four), "forward", SYSTEM), "forward", SYSTEM)
        deciding_specialist = act(receive(desk, by_specialist), "forward", SYSTEM)
        return [at_specialist, at_leader, deciding_specialist]
    if status == S.WAITING_APPLICANT:
        at_desk = receive(desk, four)
        at_specialist = act(receive(desk, four), "forward", SYSTEM)
        return [
            act(d, "request_supplement", SYSTEM, missing_documents=["Giấy chứng sinh"])
            for d in (at_desk, at_specialist)
        ]
    if status == S.WAITING_PAYMENT:
        processing = act(receive(desk, four), "forward", SYSTEM)
        return [act(processing, "request_payment", SYSTEM, note="Lệ phí")]
    if status == S.RESULT_READY:
        return [act(receive(desk, desk_only), "result_ready", SYSTEM, paper_result=True)]
    if status == S.RETURNED:
        ready = act(receive(desk, desk_only), "result_ready", SYSTEM, paper_result=True)
        return [act(ready, "return_result", SYSTEM, returned_to="An")]
    if status == S.REFUSED:
        return [act(variants(S.SUBMITTED, desk, versions)[0], "refuse", SYSTEM, note="Sai")]
    ending = {S.WITHDRAWN: "withdraw", S.STOPPED: "stop", S.REJECTED: "reject"}[status]
    return [act(receive(desk, four), ending, SYSTEM, note="Lý do")]


def params_for(action, dossier) -> dict:
    if action in (Action.EXTEND, Action.PROPOSE_EXTENSION) and dossier.due_at is not None:
        later = add_working_time(dossier.due_at, days=1, calendar=calendar_of(dossier))
        return {"new_due_at": later}
    if action == Action.ASSIGN:
        return {"assignee": "bob"}
    return PARAMS.get(action, {})


@pytest.mark.parametrize("status", list(Status))
def test_every_action_from_every_status(status, desk, version, specialist):
    versions = procedures()
    for dossier in variants(status, desk, versions):
        assert dossier.status == status
        for action in ACTIONS:
            rule = TABLE.get((action, status))
            before = Dossier.objects.values().get(pk=dossier.pk)
            events = DossierEvent.objects.filter(dossier=dossier).count()
            guard_holds = rule is not None and (rule.guard is None or rule.guard.holds(dossier))
            if guard_holds:
                done = act(dossier, action, SYSTEM, note="Lý do", **params_for(action, dossier))
                assert done.status == rule.target, (status, action)
                assert done.dvcqg_status == DVCQG_STATUS[rule.target]
                assert done.version == dossier.version + 1
                assert done.events.count() == events + 1
                assert done.events.order_by("-seq").first().action == action
                dossier = _again(status, desk, versions, dossier)  # a fresh one for the next
                continue
            with pytest.raises(TransitionRefused) as refused:
                act(dossier, action, SYSTEM, note="Lý do", **params_for(action, dossier))
            message = str(refused.value.messages[0])
            if rule is None:  # not in the table: the status is named
                assert status.label.lower() in message, (status, action, message)
            else:  # in the table, but its guard does not hold: the guard's own message
                assert message == str(rule.guard.refusal), (status, action)
            assert Dossier.objects.values().get(pk=dossier.pk) == before
            assert DossierEvent.objects.filter(dossier=dossier).count() == events
    assert audit_verify() == []


def _again(status, desk, versions, done_with) -> Dossier:
    """A fresh dossier at the same position as ``done_with`` was before its action."""
    for candidate in variants(status, desk, versions):
        same_place = (
            candidate.procedure_version_id == done_with.procedure_version_id
            and candidate.current_role == done_with.current_role
            and candidate.current_step_id == done_with.current_step_id
        )
        if same_place:
            return candidate
    raise AssertionError("no variant at that position")


def test_every_row_can_happen_somewhere(desk, version, specialist):
    """No row of the table is dead: its guard holds for one of the variants above."""
    versions = procedures()
    for (action, status), rule in TABLE.items():
        if rule.guard is None:
            continue
        assert any(rule.guard.holds(d) for d in variants(status, desk, versions)), (action, status)


def test_what_can_follow_processing():
    assert targets_from(Status.PROCESSING) == {
        Status.PROCESSING,
        Status.WAITING_APPLICANT,
        Status.WAITING_PAYMENT,
        Status.RESULT_READY,
        Status.REJECTED,
        Status.STOPPED,
        Status.WITHDRAWN,
    }
    assert actions_from(Status.RETURNED) == []  # nothing after the result is returned
    # the result is returned, or a fee paid on collecting it is recorded (the status stays)
    assert {a for a in actions_from(Status.RESULT_READY)} == {Action.RETURN_RESULT, Action.FEE_PAID}


def test_every_action_has_its_words():
    assert set(SPECS) == set(Action)
    assert all(str(spec.label) for spec in SPECS.values())


def test_the_transition_docs_are_drawn_from_the_table():
    """docs/transitions.md is written by ``manage.py describe_transitions``: it must say what
    the table says."""
    from io import StringIO

    out = StringIO()
    call_command("describe_transitions", stdout=out)
    docs = Path(__file__).resolve().parents[3] / "docs" / "transitions.md"
    assert docs.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/transitions.md is stale: run `python manage.py describe_transitions "
        "> docs/transitions.md`"
    )
