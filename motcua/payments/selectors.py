"""Reads of payments shared by pages, the API, the templates and other apps: what a dossier's
fee stands at (``payment_due``, for the look-up and follow pages), its payments, and whether
it can be paid now."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.transitions import TABLE, Action
from motcua.payments import access
from motcua.payments.models import Payment, PaymentState

#: A fee may be paid from submission until the result is returned: where the transition table
#: records it (``fee_paid``), and while the dossier waits for it (``payment_received``).
PAYABLE_STATUSES = (
    *dict.fromkeys(status for action, status in TABLE if action == Action.FEE_PAID),
    Status.WAITING_PAYMENT,
)


def payable_errors(dossier: Dossier, payments: list[Payment] | None = None) -> list[str]:
    """Why the fee of ``dossier`` cannot be paid now ([] when it can); ``payments`` (its
    payments, when the caller has them) saves the query."""
    if dossier.fee_amount <= 0:
        return [_("Hồ sơ này không có phí, lệ phí phải nộp: không cần thanh toán.")]
    if dossier.status not in PAYABLE_STATUSES:
        return [
            _("Hồ sơ đang ở trạng thái “%(status)s”: không nộp phí, lệ phí được nữa.")
            % {"status": Status(dossier.status).label}
        ]
    if payments is not None:
        paid = any(p.state == PaymentState.PAID for p in payments)
    else:
        paid = Payment.objects.filter(dossier=dossier, state=PaymentState.PAID).exists()
    if paid:
        return [_("Phí, lệ phí của hồ sơ này đã được nộp.")]
    return []


def payments_of(dossier: Dossier) -> list[Payment]:
    """The dossier's payments, oldest first (one query)."""
    return list(Payment.objects.filter(dossier=dossier).order_by("created_at", "pk"))


def fee_state(dossier: Dossier, payments: list[Payment] | None = None) -> PaymentState | None:
    """The state of the dossier's fee (SPEC §10): None when there is no fee; paid when a
    payment is paid; else pending while one waits; else refunded if one was; else unpaid."""
    if dossier.fee_amount <= 0:
        return None
    return _state_of(payments if payments is not None else payments_of(dossier))


def _state_of(payments: list[Payment]) -> PaymentState:
    states = {p.state for p in payments}
    for state in (PaymentState.PAID, PaymentState.PENDING, PaymentState.REFUNDED):
        if state in states:
            return state
    return PaymentState.UNPAID


@dataclass(frozen=True)
class PaymentDue:
    """A dossier's fee as the public pages show it: no name, no reference, no personal data."""

    #: The fee, in đồng (the procedure version's, fixed at submission).
    amount: int
    #: ``unpaid``, ``pending``, ``paid`` or ``refunded`` (SPEC §10).
    state: PaymentState
    #: When it was paid (the paid payment's time), else None.
    paid_at: datetime | None
    #: It can be paid online now (``pay_link``): not paid yet, and the dossier still open.
    payable: bool

    @property
    def due(self) -> bool:
        """Still to be paid (the page says so), whether or not online payment is open."""
        return self.state != PaymentState.PAID


def payment_due(dossier: Dossier) -> PaymentDue | None:
    """The dossier's fee for the follow and kiosk pages; None when the procedure has no fee."""
    return fee_due(dossier_id=dossier.pk, fee_amount=dossier.fee_amount, status=dossier.status)


def fee_due(*, dossier_id: int, fee_amount: int, status: str) -> PaymentDue | None:
    """``payment_due`` from the three facts it needs, which the public look-up's one statement
    already read (so the busiest page loads no dossier): no query without a fee, else one."""
    if fee_amount <= 0:
        return None
    payments = list(Payment.objects.filter(dossier_id=dossier_id).order_by("created_at", "pk"))
    paid = next((p for p in payments if p.state == PaymentState.PAID), None)
    return PaymentDue(
        amount=fee_amount,
        state=_state_of(payments),
        paid_at=paid.paid_at if paid else None,
        payable=paid is None and status in PAYABLE_STATUSES,
    )


def pay_link(dossier: Dossier) -> str:
    """The dossier's pay page with a pay link valid for a day (``access.pay_token``): for a
    page that already showed the dossier to whoever opens it (the look-up after its check,
    the signed QR, the staff page)."""
    return pay_url(ref=dossier.ref, uid=dossier.uid)


def pay_url(*, ref: str, uid: uuid.UUID) -> str:
    """``pay_link`` for the dossier named ``ref`` (its code, or its uid's hex before it has
    one) whose uid is ``uid``."""
    return f"{reverse('payments:pay', args=[ref])}?{urlencode({'t': access.pay_token(uid)})}"


def payment_get(reference: str) -> Payment | None:
    return (
        Payment.objects.select_related(
            "dossier__procedure_version__procedure",
            "dossier__receiving_agency",
            "dossier__receiving_desk",
        )
        .filter(reference=reference)
        .first()
    )
