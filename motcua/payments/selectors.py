"""Reads of payments shared by pages, the API and the templates."""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.payments.models import Payment, PaymentState


def payments_of(dossier: Dossier) -> list[Payment]:
    """The dossier's payments, oldest first (one query)."""
    return list(Payment.objects.filter(dossier=dossier).order_by("created_at", "pk"))


def fee_state(dossier: Dossier, payments: list[Payment] | None = None) -> PaymentState | None:
    """The state of the dossier's fee (SPEC §10): None when there is no fee; paid when a
    payment is paid; else pending while one waits; else refunded if one was; else unpaid."""
    if dossier.fee_amount <= 0:
        return None
    states = {p.state for p in (payments if payments is not None else payments_of(dossier))}
    for state in (PaymentState.PAID, PaymentState.PENDING, PaymentState.REFUNDED):
        if state in states:
            return state
    return PaymentState.UNPAID


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
