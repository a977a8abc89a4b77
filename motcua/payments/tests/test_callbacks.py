"""The gateways' callbacks through the API (SPEC §10, §12.3): verified, idempotent, logged; a
forged, replayed or wrong one changes nothing; a failed or abandoned payment leaves the
dossier as it was; a confirmed one resumes a dossier waiting for payment (SPEC §6)."""

import pytest

from motcua.actors import SYSTEM
from motcua.dossiers.models import DossierEvent, Status
from motcua.dossiers.tests.factories import act, vn
from motcua.dossiers.trace import audit_verify
from motcua.payments.models import Payment, PaymentEvent, PaymentState
from motcua.payments.services import payment_cancel, payments_expire
from motcua.payments.tests.conftest import (
    dvcqg_ipn,
    fresh,
    start,
    untouched,
    vnpay_ipn,
)

IPN = "/api/v1/payments/vnpay/ipn"
Outcome = PaymentEvent.Outcome


def ipn(client, params, path=IPN):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.json()


def test_a_confirmed_payment_resumes_the_dossier_waiting_for_it(client, waiting, clock):
    payment = start(waiting).payment
    assert fresh(waiting).status == Status.WAITING_PAYMENT
    clock(vn(2026, 11, 9, 15))  # 2.5 working hours of waiting since 11:00 (lunch excluded)
    answer = ipn(client, vnpay_ipn(payment.reference, 8000))
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.paid_at == vn(2026, 11, 9, 15)
    assert payment.provider_transaction_id == "14226112" and payment.gateway_code == "00"
    dossier = fresh(waiting)
    assert dossier.status == Status.PROCESSING and dossier.paused_at is None
    assert dossier.due_at == vn(2026, 11, 12, 14)  # Thu 12/11 10:00 + 2.5 working hours
    event = dossier.events.order_by("-seq").first()
    assert event.action == "payment_received" and event.actor_id is None
    assert event.actor_name == "VNPay" and payment.reference in event.note
    assert audit_verify() == []  # the trace's hash chain holds


def test_a_replayed_callback_records_nothing_twice(client, waiting):
    payment = start(waiting).payment
    params = vnpay_ipn(payment.reference, 8000)
    assert ipn(client, params)["RspCode"] == "00"
    paid = Payment.objects.get()
    after_first = untouched(waiting)
    answer = ipn(client, params)
    assert answer == {"RspCode": "02", "Message": "Order already confirmed"}
    assert untouched(waiting) == after_first
    assert Payment.objects.get().paid_at == paid.paid_at
    assert DossierEvent.objects.filter(action="payment_received").count() == 1
    outcomes = list(PaymentEvent.objects.filter(kind="callback").values_list("outcome", flat=True))
    assert outcomes == [Outcome.CONFIRMED, Outcome.ALREADY]  # both logged, once confirmed


def test_a_forged_callback_changes_nothing(client, waiting):
    payment = start(waiting).payment
    before = untouched(waiting)
    forged = vnpay_ipn(payment.reference, 8000, secret="guessed")
    assert ipn(client, forged) == {"RspCode": "97", "Message": "Invalid signature"}
    tampered = {**vnpay_ipn(payment.reference, 1), "vnp_Amount": "800000"}  # amount changed
    assert ipn(client, tampered)["RspCode"] == "97"
    unsigned = {
        k: v for k, v in vnpay_ipn(payment.reference, 8000).items() if k != "vnp_SecureHash"
    }
    assert ipn(client, unsigned)["RspCode"] == "97"
    assert untouched(waiting) == before
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING and payment.gateway_code == ""
    logged = PaymentEvent.objects.filter(kind="callback")
    assert logged.count() == 3 and not logged.filter(verified=True).exists()
    assert set(logged.values_list("outcome", flat=True)) == {Outcome.BAD_SIGNATURE}
    assert logged.first().reference == payment.reference and logged.first().payment is None
    assert logged.first().params["vnp_SecureHash"] == forged["vnp_SecureHash"]  # raw, kept


def test_a_wrong_amount_confirms_nothing(client, waiting):
    payment = start(waiting).payment
    before = untouched(waiting)
    answer = ipn(client, vnpay_ipn(payment.reference, 7000))
    assert answer == {"RspCode": "04", "Message": "invalid amount"}
    assert ipn(client, vnpay_ipn(payment.reference, 8000, vnp_Amount="800050"))["RspCode"] == "04"
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING and untouched(waiting) == before
    event = PaymentEvent.objects.filter(outcome=Outcome.WRONG_AMOUNT).first()
    assert event.payment == payment and "7.000" in event.note and "8.000" in event.note
    # The right amount afterwards is still confirmed.
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "00"


def test_an_unknown_reference(client, waiting):
    start(waiting)
    before = untouched(waiting)
    answer = ipn(client, vnpay_ipn("MC000000NOSUCHREFERENCE", 8000))
    assert answer == {"RspCode": "01", "Message": "Order not found"}
    assert untouched(waiting) == before
    assert PaymentEvent.objects.filter(outcome=Outcome.UNKNOWN, payment=None).count() == 1


def test_another_gateways_reference_is_unknown_here(client, waiting):
    payment = start(waiting, "dvcqg").payment
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "01"
    assert Payment.objects.get().state == PaymentState.PENDING


def test_a_failed_payment_leaves_the_dossier_as_it_was(client, waiting):
    payment = start(waiting).payment
    before = untouched(waiting)
    answer = ipn(client, vnpay_ipn(payment.reference, 8000, code="24"))  # payer cancelled
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}  # recorded
    payment.refresh_from_db()
    assert payment.state == PaymentState.CANCELLED and payment.gateway_code == "24"
    assert untouched(waiting) == before
    # The gateway settled it: a later "success" for it is a replay, not money.
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "02"
    assert untouched(waiting) == before


def test_an_abandoned_payment_leaves_the_dossier_as_it_was(client, waiting, clock):
    before = untouched(waiting)
    payment = start(waiting).payment
    assert untouched(waiting) == before  # starting touches nothing of the dossier
    clock(vn(2026, 11, 9, 11, 29))
    assert payments_expire() == 0  # not yet twice the 15 minutes
    clock(vn(2026, 11, 9, 11, 31))
    assert payments_expire() == 1
    payment.refresh_from_db()
    assert payment.state == PaymentState.CANCELLED and payment.gateway_code == ""
    assert untouched(waiting) == before


def test_money_taken_after_a_cancellation_here_is_still_recorded(client, waiting):
    """Cancelled by the desk or by expiry, not by the gateway: if the gateway then says it
    took the money, the money arrived."""
    payment = start(waiting).payment
    payment_cancel(reference=payment.reference, actor=SYSTEM, reason="Quá hạn")
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert fresh(waiting).status == Status.PROCESSING
    assert "đã bị hủy" in PaymentEvent.objects.get(outcome=Outcome.CONFIRMED).note


def test_a_fee_paid_before_processing_is_in_the_trace_and_the_status_stays(client, dossier):
    """Received, not waiting for payment: paid, the trace gets a ``fee_paid`` event (through
    ``dossier_apply``, chained), and status, due time and clock stay as they were. A replay
    adds no second event."""
    payment = start(dossier).payment
    before = fresh(dossier)
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "00"
    assert Payment.objects.get().state == PaymentState.PAID
    after = fresh(dossier)
    assert (after.status, after.due_at, after.paused_at, after.current_step_id) == (
        before.status, before.due_at, before.paused_at, before.current_step_id
    )  # fmt: skip
    assert after.version == before.version + 1
    event = after.events.order_by("-seq").first()
    assert event.action == "fee_paid" and event.actor_name == "VNPay"
    assert event.status_before == event.status_after == Status.RECEIVED
    assert payment.reference in event.note and "8.000" in event.note
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "02"
    assert DossierEvent.objects.filter(action="fee_paid").count() == 1
    assert audit_verify() == []


def test_money_after_the_dossier_closed_is_recorded_for_a_refund(client, dossier, leader):
    """The gateway took the money after the dossier was stopped: the payment is paid (the
    money arrived), the closed dossier is not touched, the log says to refund."""
    payment = start(dossier).payment
    act(dossier, "stop", leader, note="Dừng")
    before = untouched(dossier)
    assert ipn(client, vnpay_ipn(payment.reference, 8000))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert untouched(dossier) == before
    assert "hoàn trả" in PaymentEvent.objects.get(outcome=Outcome.CONFIRMED).note


def test_two_payments_confirmed_are_both_recorded_and_flagged(client, waiting):
    first, second = start(waiting).payment, start(waiting).payment
    assert ipn(client, vnpay_ipn(first.reference, 8000))["RspCode"] == "00"
    assert ipn(client, vnpay_ipn(second.reference, 8000))["RspCode"] == "00"
    assert Payment.objects.filter(state=PaymentState.PAID).count() == 2
    assert DossierEvent.objects.filter(action="payment_received").count() == 1
    assert "hoàn trả" in PaymentEvent.objects.filter(outcome=Outcome.CONFIRMED).last().note


def test_the_national_platform_callback(client, waiting):
    payment = start(waiting, "dvcqg").payment
    path = "/api/v1/payments/dvcqg/ipn"
    forged = dvcqg_ipn(payment.reference, 8000, secret="guessed")
    assert ipn(client, forged, path) == {"code": "97", "message": "Invalid signature"}
    assert ipn(client, dvcqg_ipn(payment.reference, 9000), path)["code"] == "04"
    assert fresh(waiting).status == Status.WAITING_PAYMENT
    assert ipn(client, dvcqg_ipn(payment.reference, 8000), path)["code"] == "00"
    assert ipn(client, dvcqg_ipn(payment.reference, 8000), path)["code"] == "02"
    assert fresh(waiting).status == Status.PROCESSING
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID and payment.provider_transaction_id == "PG0001"


@pytest.mark.parametrize("value", ["MC\x00X", "x" * 300])
def test_garbage_in_a_callback_is_refused_and_stores_nothing_odd(client, waiting, value):
    response = client.get(IPN, {**vnpay_ipn("MC1", 8000), "vnp_TxnRef": value})
    assert response.status_code == 422 and response.json()["errors"]
    # An undeclared parameter with a NUL byte reaches the log cleaned (PostgreSQL keeps none).
    params = {**vnpay_ipn("MC1", 8000), "vnp_Extra": "a\x00b"}
    assert ipn(client, params)["RspCode"] == "97"
    assert PaymentEvent.objects.get().params["vnp_Extra"] == "a\ufffdb"


def test_the_log_is_append_only(client, waiting):
    start(waiting)
    event = PaymentEvent.objects.get()
    from motcua.payments.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        PaymentEvent.objects.update(note="x")
    with pytest.raises(AppendOnlyError):
        PaymentEvent.objects.all().delete()
