"""Who may do what with a dossier's fee, and the signed links of the public pages.

Seeing a dossier is ``dossiers.access`` (one module): whoever may see it may start paying its
fee — the applicant's own account, an officer who handles it, a peer system for its agencies.
Besides them, the public look-up (after the code and the verification value, or the receipt's
signed QR) gives a **pay link**: its holder (``PayLinkHolder``) may pay that dossier's fee and
see no more than the look-up showed. Recording a fee paid at the desk is for the desk officers
of the dossier's desk; refunding also for the leaders of its deciding agency.

The payment's own pages (the return page, the e-receipt) are reached by a link signed over the
payment's reference: the reference travels through gateways and logs, the signature does not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core import signing

from motcua.dossiers import access
from motcua.dossiers.access import Actor
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import Relation

PAY_SALT = "motcua.payments.pay-link"
PAYMENT_SALT = "motcua.payments.payment-link"
#: A pay link from the look-up works for a day.
PAY_LINK_SECONDS = 24 * 3600


@dataclass(frozen=True, eq=False)
class PayLinkHolder:
    """Whoever opened a dossier's pay link (from the public look-up): may pay its fee."""

    dossier_uid: uuid.UUID
    name: str = "Người nộp phí qua trang tra cứu"


Payer = Actor | PayLinkHolder


def pay_token(dossier_uid: uuid.UUID) -> str:
    """A pay link's token for the dossier of ``dossier_uid``, valid for a day."""
    return signing.TimestampSigner(salt=PAY_SALT).sign(dossier_uid.hex)


def pay_link_holder(token: str) -> PayLinkHolder | None:
    """The holder of ``token`` if it is a valid pay link of less than a day, else None."""
    try:
        value = signing.TimestampSigner(salt=PAY_SALT).unsign(token, max_age=PAY_LINK_SECONDS)
        return PayLinkHolder(dossier_uid=uuid.UUID(hex=value))
    except (signing.BadSignature, ValueError):
        return None


def payment_token(reference: str) -> str:
    return signing.Signer(salt=PAYMENT_SALT).sign(reference)


def payment_reference(token: str) -> str | None:
    """The reference a payment link names, or None when it is not ours."""
    try:
        return signing.Signer(salt=PAYMENT_SALT).unsign(token)
    except signing.BadSignature:
        return None


def may_pay(payer: Payer, dossier: Dossier) -> bool:
    """Start paying ``dossier``'s fee: whoever may see it, or holds its pay link."""
    if isinstance(payer, PayLinkHolder):
        return payer.dossier_uid == dossier.uid
    return access.dossiers_visible(payer).filter(pk=dossier.pk).exists()


def may_record_at_desk(actor: Actor, dossier: Dossier) -> bool:
    """Record a fee paid in cash at the desk: the desk officers of the dossier's desk."""
    return Relation.DESK in access.relations(actor, dossier)


def may_refund(actor: Actor, dossier: Dossier) -> bool:
    """Record a refund: the dossier's desk, or a leader of its deciding agency."""
    return bool({Relation.DESK, Relation.LEADER} & access.relations(actor, dossier))


def may_cancel(actor: Actor, dossier: Dossier) -> bool:
    """Cancel a payment still waiting (the payer gave up): the dossier's desk, the system."""
    return Relation.DESK in access.relations(actor, dossier)


def payer_name(payer: Payer) -> str:
    if isinstance(payer, PayLinkHolder):
        return payer.name
    return access.actor_name(payer)


def payer_user(payer: Payer):
    return None if isinstance(payer, PayLinkHolder) else access.actor_user(payer)
