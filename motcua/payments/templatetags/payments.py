"""The fee's corner of other apps' pages: the staff dossier page (``dossier_fee``) and the
public look-up (``lookup_pay_url``), each one ``{% include %}`` there."""

from django import template

from motcua.dossiers import access as dossier_access
from motcua.dossiers.models import Dossier
from motcua.payments import access
from motcua.payments.models import PaymentEvent, PaymentState
from motcua.payments.selectors import fee_state, payments_of
from motcua.payments.services import payable_errors, payment_path

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_fee(context, dossier: Dossier) -> dict:
    """The dossier's fee, its payments and what the officer may do with them."""
    actor = dossier_access.request_actor(context["request"])
    payments = payments_of(dossier)
    refusals = payable_errors(dossier) if dossier.fee_amount else []
    may_refund = access.may_refund(actor, dossier)
    may_cancel = access.may_cancel(actor, dossier)
    from motcua.payments.views import pay_url

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
        "events": list(
            PaymentEvent.objects.filter(payment__dossier=dossier).order_by("at", "pk")
        )
        if payments
        else [],
        "paid_twice": sum(p.state == PaymentState.PAID for p in payments) > 1,
        "may_record": dossier.fee_amount > 0
        and not refusals
        and access.may_record_at_desk(actor, dossier),
        "pay_url": pay_url(dossier) if dossier.fee_amount > 0 and not refusals else None,
    }


@register.simple_tag
def lookup_pay_url(code: str) -> str | None:
    """On the public look-up, once the dossier was found: its pay page (with a pay link),
    when a fee is due and can be paid now."""
    dossier = Dossier.objects.filter(code=code).only("pk", "uid", "code", "fee_amount", "status")
    dossier = dossier.first() if code else None
    if dossier is None or payable_errors(dossier):
        return None
    from motcua.payments.views import pay_url

    return pay_url(dossier)
