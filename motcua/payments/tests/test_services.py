"""Starting, recording at the desk, refunding and cancelling (SPEC §10): each refusal stores
nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.actors import SYSTEM
from motcua.dossiers import access
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import act, as_actor, vn
from motcua.payments.models import Payment, PaymentEvent, PaymentState
from motcua.payments.selectors import fee_state
from motcua.payments.services import (
    payment_cancel,
    payment_record_at_desk,
    payment_refund,
)
from motcua.payments.tests.conftest import fresh, start, untouched


def test_a_dossier_without_a_fee_needs_no_payment(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=0)
    with pytest.raises(ValidationError, match="không có phí, lệ phí phải nộp"):
        start(dossier)
    assert not Payment.objects.exists() and not PaymentEvent.objects.exists()
    assert fee_state(fresh(dossier)) is None


def test_a_gateway_not_configured_here_is_refused(dossier, settings):
    settings.VNPAY_TMN_CODE = ""
    with pytest.raises(ValidationError, match="chưa được cấu hình") as refused:
        start(dossier, "vnpay")
    assert set(refused.value.message_dict) == {"provider"}
    with pytest.raises(ValidationError):
        start(dossier, "paypal")
    assert not Payment.objects.exists()


def test_a_paid_fee_is_not_paid_again(dossier, desk_officer):
    payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    with pytest.raises(ValidationError, match="đã được nộp"):
        start(dossier)
    with pytest.raises(ValidationError, match="đã được nộp"):
        payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    assert Payment.objects.count() == 1


def test_a_closed_dossier_takes_no_payment(dossier, leader):
    act(dossier, "stop", leader, note="Dừng theo yêu cầu")
    with pytest.raises(ValidationError, match="Dừng xử lý"):
        start(dossier)
    assert not Payment.objects.exists()


def test_fee_states(dossier, desk_officer):
    assert fee_state(dossier) == PaymentState.UNPAID
    pending = start(dossier).payment
    assert fee_state(dossier) == PaymentState.PENDING
    payment_cancel(reference=pending.reference, actor=as_actor(desk_officer), reason="Bỏ")
    assert fee_state(dossier) == PaymentState.UNPAID
    paid = payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    assert fee_state(dossier) == PaymentState.PAID
    payment_refund(reference=paid.reference, actor=as_actor(desk_officer), reason="Miễn lệ phí")
    assert fee_state(dossier) == PaymentState.REFUNDED


def test_the_desk_records_a_fee_paid_in_cash_and_the_dossier_resumes(waiting, desk_officer, clock):
    clock(vn(2026, 11, 9, 14))
    payment = payment_record_at_desk(
        dossier_id=waiting.pk,
        actor=as_actor(desk_officer),
        receipt_number="BL-0042",
        note="Tiền mặt",
    )
    assert payment.state == PaymentState.PAID and payment.provider == "desk"
    assert payment.paid_at == vn(2026, 11, 9, 14) and payment.amount == 8000
    assert payment.payer_name == "Nguyễn Văn An" and payment.provider_transaction_id == "BL-0042"
    dossier = fresh(waiting)
    assert dossier.status == Status.PROCESSING
    event = dossier.events.order_by("-seq").first()
    assert event.action == "payment_received" and event.actor == desk_officer
    assert PaymentEvent.objects.get().outcome == PaymentEvent.Outcome.RECORDED


def test_a_fee_paid_at_the_desk_before_processing_is_in_the_trace(dossier, desk_officer):
    """Not waiting for payment: the status stays and the trace records the fee, in the name
    of the officer who took it (the system writes the row: nobody may add one by hand)."""
    before = fresh(dossier)
    payment = payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    after = fresh(dossier)
    assert after.status == before.status == Status.RECEIVED and after.due_at == before.due_at
    event = after.events.order_by("-seq").first()
    assert event.action == "fee_paid" and payment.reference in event.note
    assert event.actor_name == as_actor(desk_officer).name


def test_only_the_system_writes_a_fee_paid_event(dossier, desk_officer, leader):
    """``fee_paid`` is no officer's action: not offered, refused when posted."""
    from motcua.dossiers.services import dossier_apply

    for who in (desk_officer, leader):
        actor = as_actor(who)
        assert "fee_paid" not in access.allowed_actions(actor, dossier)
        with pytest.raises(PermissionDenied):
            dossier_apply(dossier_id=dossier.pk, action="fee_paid", actor=actor,
                          expected_version=None, note="Đã nộp")  # fmt: skip
    assert not fresh(dossier).events.filter(action="fee_paid").exists()


def test_only_the_dossiers_desk_records_a_payment(waiting, specialist, other_agency_officer,
                                                  leader):  # fmt: skip
    before = untouched(waiting)
    for who in (specialist, other_agency_officer, leader):
        with pytest.raises(PermissionDenied):
            payment_record_at_desk(dossier_id=waiting.pk, actor=as_actor(who))
    assert not Payment.objects.exists() and untouched(waiting) == before


def test_desk_inputs_are_checked(dossier, desk_officer):
    with pytest.raises(ValidationError) as refused:
        payment_record_at_desk(
            dossier_id=dossier.pk,
            actor=as_actor(desk_officer),
            payer_name="a\x00b",
            receipt_number="x" * 101,
        )
    assert set(refused.value.message_dict) == {"payer_name", "receipt_number"}
    assert not Payment.objects.exists()


def test_a_refund_is_recorded_with_its_reason_by_the_desk_or_the_leader(
    dossier, desk_officer, leader, specialist, other_agency_officer
):
    paid = payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    before = untouched(dossier)
    with pytest.raises(ValidationError, match="lý do"):
        payment_refund(reference=paid.reference, actor=as_actor(leader), reason="  ")
    for who in (specialist, other_agency_officer):
        with pytest.raises(PermissionDenied):
            payment_refund(reference=paid.reference, actor=as_actor(who), reason="x")
    assert Payment.objects.get().state == PaymentState.PAID
    refunded = payment_refund(reference=paid.reference, actor=as_actor(leader), reason="Miễn")
    assert refunded.state == PaymentState.REFUNDED and refunded.note == "Miễn"
    assert refunded.refunded_at is not None and untouched(dossier) == before
    with pytest.raises(ValidationError, match="đã nộp"):
        payment_refund(reference=paid.reference, actor=as_actor(leader), reason="Lần hai")
    pending = start(dossier).payment
    with pytest.raises(ValidationError, match="đã nộp"):
        payment_refund(reference=pending.reference, actor=as_actor(leader), reason="x")


def test_cancelling_a_waiting_payment(dossier, desk_officer, specialist):
    pending = start(dossier).payment
    with pytest.raises(PermissionDenied):
        payment_cancel(reference=pending.reference, actor=as_actor(specialist), reason="x")
    payment_cancel(reference=pending.reference, actor=as_actor(desk_officer), reason="Bỏ dở")
    assert Payment.objects.get().state == PaymentState.CANCELLED
    with pytest.raises(ValidationError, match="đang chờ"):
        payment_cancel(reference=pending.reference, actor=SYSTEM, reason="x")
    with pytest.raises(ValidationError, match="Không có khoản"):
        payment_cancel(reference="MC-NONE", actor=SYSTEM, reason="x")


def test_expire_payments_command(dossier, clock):
    from io import StringIO

    from django.core.management import call_command

    start(dossier)
    clock(vn(2026, 11, 9, 11))
    out = StringIO()
    call_command("expire_payments", stdout=out)
    assert "1" in out.getvalue() and Payment.objects.get().state == PaymentState.CANCELLED
