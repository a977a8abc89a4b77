"""The fee's corner of other apps' pages: the staff dossier page (``dossier_fee``) and the
public look-up (``lookup_fee``), each one ``{% include %}`` there."""

from django import template

from motcua.dossiers import access as dossier_access
from motcua.dossiers.models import Dossier
from motcua.payments import access
from motcua.payments.models import PaymentEvent, PaymentState
from motcua.payments.selectors import fee_state, pay_link, payable_errors, payment_due, payments_of
from motcua.payments.services import payment_path

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_fee(context, dossier: Dossier) -> dict:
    """The dossier's fee, its payments and what the officer may do with them."""
    actor = dossier_access.request_actor(context["request"])
    payments = payments_of(dossier)
    refusals = payable_errors(dossier, payments) if dossier.fee_amount else []
    may_refund = access.may_refund(actor, dossier)
    may_cancel = access.may_cancel(actor, dossier)
    return {
        "state": fee_state(dossier, payments),
        "rows": [
            {
                "payment": p,
                "receipt_url": payment_path(p, "receipt")
                if p.state in (PaymentState.PAID, PaymentState.REFUNDED)
                else None,
                "may_refund": may_refund and p.state == PaymentState.PAID,
                "may_cancel": may_cancel and p.state == PaymentState.PENDING,
            }
            for p in payments
        ],
        "events": list(PaymentEvent.objects.filter(payment__dossier=dossier).order_by("at", "pk"))
        if payments
        else [],
        "paid_twice": sum(p.state == PaymentState.PAID for p in payments) > 1,
        "may_record": dossier.fee_amount > 0
        and not refusals
        and access.may_record_at_desk(actor, dossier),
        "pay_url": pay_link(dossier) if dossier.fee_amount > 0 and not refusals else None,
    }


@register.simple_tag
def lookup_fee(code: str) -> dict | None:
    """On the public look-up, once the dossier was found (its check passed): the fee
    (``payment_due``) and, when it can be paid online now, the pay page with a pay link."""
    dossier = Dossier.objects.filter(code=code).only("pk", "uid", "code", "fee_amount", "status")
    dossier = dossier.first() if code else None
    due = payment_due(dossier) if dossier is not None else None
    if due is None:
        return None
    return {"due": due, "pay_url": pay_link(dossier) if due.payable else None}
