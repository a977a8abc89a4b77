"""Acting on a dossier (SPEC §4, §6): the process, the clock, endings, messages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.services import StaleDossier, dossier_apply
from motcua.dossiers.tests.factories import act, as_actor, receive, vn
from motcua.dossiers.trace import audit_verify
from motcua.dossiers.transitions import TransitionRefused
from motcua.notifications.models import Notification


def at_leader(desk, version, desk_officer, specialist, **receipt):
    dossier = receive(desk, version, at=vn(2026, 11, 9, 10), **receipt)
    return act(act(dossier, "forward", desk_officer), "forward", specialist)


def test_full_journey(version, desk, desk_officer, specialist, leader, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    assert dossier.status == Status.PROCESSING and dossier.current_unit.code == "tu-phap"
    dossier = act(dossier, "forward", specialist)
    assert dossier.current_role == "agency_leader"
    dossier = act(dossier, "approve", leader, paper_result=True)  # back to the desk
    assert dossier.status == Status.RESULT_READY and dossier.dvcqg_status == 9
    assert dossier.current_role == "desk_officer" and dossier.finished_at == vn(2026, 11, 9, 10)
    dossier = act(dossier, "return_result", desk_officer, returned_to="Nguyễn Văn An")
    assert dossier.status == Status.RETURNED and dossier.returned_to == "Nguyễn Văn An"
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["receive", "forward", "forward", "approve", "return_result"]
    assert audit_verify() == []


def test_the_leader_cannot_forward_at_the_approval_step(version, desk, desk_officer, specialist,
                                                        leader):  # fmt: skip
    dossier = at_leader(desk, version, desk_officer, specialist)
    with pytest.raises(TransitionRefused, match="bước quyết định"):
        act(dossier, "forward", leader)
    assert Dossier.objects.get().status == Status.PROCESSING


def test_finishing_after_the_due_time_is_late(version, desk, desk_officer, specialist, leader,
                                              clock):  # fmt: skip
    clock(vn(2026, 11, 9, 10))
    on_time = at_leader(desk, version, desk_officer, specialist)
    late = at_leader(desk, version, desk_officer, specialist)
    clock(vn(2026, 11, 12, 10))  # the due time itself: on time
    act(on_time, "approve", leader, paper_result=True)
    clock(vn(2026, 11, 12, 10, 1))  # a minute after it: late (SPEC §6, to the minute)
    act(late, "approve", leader, paper_result=True)
    judged = dict(DossierEvent.objects.filter(action="approve").values_list("dossier", "data"))
    assert judged[on_time.pk]["outcome"] == "on_time" and judged[on_time.pk]["late"] is False
    assert judged[late.pk]["outcome"] == "late" and judged[late.pk]["late"] is True


@pytest.mark.parametrize(
    "delivery, missing", [("desk", "returned_to"), ("post", "postal_tracking")]
)
def test_returning_names_who_received_it_or_the_postal_tracking_number(
    version, desk, desk_officer, specialist, leader, delivery, missing
):
    extra = {"delivery_address": "Khối 3, Lao Bảo"} if delivery == "post" else {}
    dossier = at_leader(desk, version, desk_officer, specialist, result_delivery=delivery, **extra)
    dossier = act(dossier, "approve", leader, paper_result=True)
    with pytest.raises(ValidationError) as refused:
        act(dossier, "return_result", desk_officer)
    assert set(refused.value.message_dict) == {missing}
    assert Dossier.objects.get().status == Status.RESULT_READY


def test_only_the_holder_of_the_step_may_act(
    version, desk, desk_officer, specialist, other_agency_officer
):
    dossier = receive(desk, version)
    with pytest.raises(PermissionDenied):
        act(dossier, "forward", specialist)  # the desk holds step 1
    with pytest.raises(PermissionDenied):
        act(dossier, "forward", other_agency_officer)
    assert Dossier.objects.get().version == 1


def test_forbidden_transition_is_refused_and_changes_nothing(version, desk, desk_officer):
    dossier = receive(desk, version)
    with pytest.raises(TransitionRefused, match="trả kết quả"):
        act(dossier, "return_result", desk_officer, returned_to="A")
    assert Dossier.objects.get().status == Status.RECEIVED
    assert DossierEvent.objects.count() == 1


def test_an_actor_is_required(version, desk):
    dossier = receive(desk, version)
    with pytest.raises(TypeError):
        dossier_apply(dossier_id=dossier.pk, action="forward", actor=None, expected_version=1)
    assert Dossier.objects.get().version == 1


def test_second_officer_with_a_stale_page_gets_a_reload_message(version, desk, desk_officer):
    dossier = receive(desk, version)
    officer = as_actor(desk_officer)
    dossier_apply(dossier_id=dossier.pk, action="forward", actor=officer, expected_version=1)
    with pytest.raises(StaleDossier):
        dossier_apply(
            dossier_id=dossier.pk,
            action="withdraw",
            actor=officer,
            expected_version=1,
            note="Rút",
        )
    assert Dossier.objects.get().status == Status.PROCESSING


def test_supplement_wait_moves_due_time_and_step_due_time_later(
    version, desk, desk_officer, specialist, clock
):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    assert dossier.step_due_at == vn(2026, 11, 10, 15, 30)  # 12 working hours from Mon 10:00
    clock(vn(2026, 11, 10, 9))
    dossier = act(dossier, "request_supplement", specialist, missing_documents=["Giấy chứng sinh"])
    assert dossier.status == Status.WAITING_APPLICANT and dossier.dvcqg_status == 5
    # Back on Friday 13/11 at 9:00: 24 working hours later (6.5 + 8 + 8 + 1.5), not 3 calendar
    # days and not 4 days.
    clock(vn(2026, 11, 13, 9))
    dossier = act(dossier, "supplement_received", desk_officer)
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == vn(2026, 11, 17, 10)  # Thursday 12/11 10:00 + 24 working hours
    assert dossier.step_due_at == vn(2026, 11, 13, 15, 30)  # the step moved as much
    assert dossier.supplement_count == 1


def test_payment_wait_stops_the_clock_too(version, desk, desk_officer, specialist, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))
    dossier = act(dossier, "forward", desk_officer)
    dossier = act(dossier, "request_payment", specialist, note="Lệ phí trước bạ")
    assert dossier.dvcqg_status == 6
    clock(vn(2026, 11, 9, 15))  # 3.5 working hours later (lunch excluded)
    dossier = act(dossier, "payment_received", specialist)
    assert dossier.due_at == vn(2026, 11, 12, 15)


def test_extension_once_only(version, desk, desk_officer, specialist, leader, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    dossier = act(
        dossier,
        "extend",
        leader,
        note="Cần xác minh thêm. Xin lỗi ông/bà.",
        new_due_at=vn(2026, 11, 16, 10),
    )
    assert dossier.due_at == vn(2026, 11, 16, 10)
    assert dossier.original_due_at == vn(2026, 11, 12, 10)
    for anyone in (specialist, leader):  # not even the leader: the appointment moves once
        with pytest.raises(TransitionRefused, match="gia hạn một lần"):
            act(dossier, "extend", anyone, note="Lần hai", new_due_at=vn(2026, 11, 20, 10))
    assert Dossier.objects.get().due_at == vn(2026, 11, 16, 10)
    assert Notification.objects.filter(kind="extended").count() == 2


def test_extension_offered_only_while_it_may_be_issued(
    version, desk, desk_officer, specialist, leader, clock
):
    """SPEC §6: form 04 at the latest 1 working day before the due time. The buttons (and
    the API's ``allowed_actions``) ask the same guard as the action: offered exactly while
    the action would be taken."""
    from motcua.dossiers import access

    clock(vn(2026, 11, 9, 10))
    dossier = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    assert dossier.due_at == vn(2026, 11, 12, 10)
    officers = {"extend": access.actor_for_user(leader),
                "propose_extension": access.actor_for_user(specialist)}  # fmt: skip
    for now, offered in (
        (vn(2026, 11, 11, 10), True),  # one working day before: the last moment
        (vn(2026, 11, 11, 10, 1), False),
        (vn(2026, 11, 12, 10), False),  # due
        (vn(2026, 11, 13, 9), False),  # overdue
    ):
        clock(now)
        for action, officer in officers.items():
            shown = action in access.allowed_actions(officer, Dossier.objects.get())
            assert shown is offered, (now, action)
            if not offered:
                with pytest.raises(ValidationError, match="1 ngày làm việc"):
                    act(dossier, action, officer.user, note="Xin gia hạn",
                        new_due_at=vn(2026, 11, 16, 10))  # fmt: skip
    assert Dossier.objects.get().due_at == vn(2026, 11, 12, 10)


def test_extension_must_move_the_date_later(version, desk, desk_officer, leader, clock):
    clock(vn(2026, 11, 9, 10))
    dossier = act(receive(desk, version, at=vn(2026, 11, 9, 10)), "forward", desk_officer)
    with pytest.raises(ValidationError, match="sau ngày hẹn hiện tại"):
        act(dossier, "extend", leader, note="x", new_due_at=vn(2026, 11, 10, 10))
    assert Dossier.objects.get().extended_at is None


def test_send_back_needs_a_reason(version, desk, desk_officer, specialist):
    dossier = act(receive(desk, version), "forward", desk_officer)
    with pytest.raises(ValidationError):
        act(dossier, "send_back", specialist, note=" ")
    dossier = act(dossier, "send_back", specialist, note="Sai tên thủ tục")
    assert dossier.current_step.order == 1


def test_withdrawal_and_stop(version, desk, desk_officer, leader):
    dossier = receive(desk, version)
    dossier = act(dossier, "withdraw", desk_officer, note="Công dân xin rút")
    assert dossier.status == Status.WITHDRAWN and dossier.dvcqg_status == 7
    other = receive(desk, version)
    assert act(other, "stop", leader, note="Đối tượng đã mất").dvcqg_status == 8


def test_a_submitted_dossier_is_accepted_by_its_desk_and_the_clock_starts(
    version, desk, desk_officer, citizen, clock
):
    from motcua.dossiers.services import Receipt, dossier_submit
    from motcua.dossiers.tests.factories import applicant

    clock(vn(2026, 11, 9, 8))
    submitted = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip
    clock(vn(2026, 11, 9, 10))
    dossier = act(submitted, "accept", desk_officer)
    assert dossier.status == Status.RECEIVED and dossier.received_at == vn(2026, 11, 9, 10)
    assert dossier.due_at == vn(2026, 11, 12, 10) and dossier.code.endswith("-261109-0001")
    assert dossier.current_step.order == 1
    refused = dossier_submit(
        desk=desk, procedure_version=version, actor=as_actor(citizen),
        receipt=Receipt(applicant=applicant(), channel=2),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        act(refused, "refuse", desk_officer)  # a reason is required
    refused = act(refused, "refuse", desk_officer, note="Không thuộc thẩm quyền")
    assert refused.dvcqg_status == 3 and refused.code is None
    assert audit_verify() == []
