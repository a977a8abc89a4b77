"""``payment_due``: what the look-up and follow pages read of a dossier's fee (SPEC §10)."""

from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import lookup_url
from motcua.dossiers.tests.factories import act, as_actor, vn
from motcua.payments.models import PaymentState
from motcua.payments.selectors import payment_due
from motcua.payments.services import payment_cancel, payment_record_at_desk, payment_refund
from motcua.payments.tests.conftest import fresh, start


def test_no_fee_no_payment_due(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(fee_amount=0)
    assert payment_due(fresh(dossier)) is None


def test_the_fee_through_its_states(dossier, desk_officer, clock):
    due = payment_due(dossier)
    assert (due.amount, due.state, due.paid_at, due.payable, due.due) == (
        8000, PaymentState.UNPAID, None, True, True
    )  # fmt: skip
    pending = start(dossier).payment
    assert payment_due(dossier).state == PaymentState.PENDING and payment_due(dossier).payable
    payment_cancel(reference=pending.reference, actor=as_actor(desk_officer), reason="Bỏ")
    assert payment_due(dossier).state == PaymentState.UNPAID  # a cancelled try is no payment
    clock(vn(2026, 11, 9, 14))
    paid = payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    due = payment_due(fresh(dossier))
    assert (due.state, due.paid_at, due.payable, due.due) == (
        PaymentState.PAID, vn(2026, 11, 9, 14), False, False
    )  # fmt: skip
    payment_refund(reference=paid.reference, actor=as_actor(desk_officer), reason="Miễn")
    due = payment_due(fresh(dossier))
    assert (due.state, due.payable) == (PaymentState.REFUNDED, True)


def test_a_closed_dossier_owes_but_cannot_pay_online(dossier, leader):
    act(dossier, "stop", leader, note="Dừng")
    due = payment_due(fresh(dossier))
    assert due.state == PaymentState.UNPAID and due.due and not due.payable


def test_the_look_up_shows_the_fee_and_its_pay_link_while_due(dossier, desk_officer):
    page = Client().get(lookup_url(dossier)).content.decode()
    assert "8.000" in page and "Chưa nộp" in page and "/thanh-toan/ho-so/" in page
    payment_record_at_desk(dossier_id=dossier.pk, actor=as_actor(desk_officer))
    page = Client().get(lookup_url(dossier)).content.decode()
    assert "Đã nộp" in page and "/thanh-toan/ho-so/" not in page
