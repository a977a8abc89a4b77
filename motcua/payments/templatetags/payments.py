"""The fee's corner of the staff dossier page (``dossier_fee``), one ``{% include %}`` there;
the public look-up reads the fee through ``follow.payments``."""

from django import template

from motcua.dossiers import access as dossier_access
from motcua.dossiers.models import Dossier
from motcua.payments import access
from motcua.payments.models import PaymentEvent, PaymentState
from motcua.payments.selectors import fee_state, pay_link, payable_errors, payments_of
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
