"""What the look-up shows of the fee (SPEC §10): the payments app's reading of it
(``payments.selectors.payment_due``), the state in the applicant's words, and the pay link
when it can be paid online now (the look-up has already checked whoever asks)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.dossiers.models import Dossier
from motcua.payments import selectors as payments


@dataclass(frozen=True)
class FeeShown:
    amount: int  # đồng
    state: str  # SPEC §10
    label: str
    #: Where to pay online, if it can be paid now.
    pay_url: str = ""


def fee_shown(status: dict) -> FeeShown | None:
    """The fee of the dossier the look-up found (its ``_id``); None when it has none."""
    dossier = Dossier.objects.filter(pk=status["_id"]).first()
    due = payments.payment_due(dossier) if dossier is not None else None
    if due is None:
        return None
    return FeeShown(
        amount=due.amount,
        state=str(due.state),
        label=str(due.state.label),
        pay_url=payments.pay_link(dossier) if due.payable else "",
    )
