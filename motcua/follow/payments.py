"""What the look-up shows of the fee (SPEC §10): the payments app's reading of it
(``payments.selectors.payment_due``), the state in the applicant's words, and the pay link
when it can be paid online now (the look-up has already checked whoever asks)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.payments import selectors as payments


@dataclass(frozen=True)
class FeeShown:
    amount: int  # đồng
    state: str  # SPEC §10
    label: str
    #: Where to pay online, if it can be paid now.
    pay_url: str = ""


def fee_shown(status: dict) -> FeeShown | None:
    """The fee of the dossier the look-up found; None when it has none. From the look-up's
    own reading of the dossier (``_id``, ``_uid``, ``_fee``, ``status``): no query for a
    dossier without a fee, one (its payments) for one with a fee."""
    due = payments.fee_due(
        dossier_id=status["_id"], fee_amount=status["_fee"], status=status["status"]
    )
    if due is None:
        return None
    ref = status["code"] or status["_uid"].hex
    return FeeShown(
        amount=due.amount,
        state=str(due.state),
        label=str(due.state.label),
        pay_url=payments.pay_url(ref=ref, uid=status["_uid"]) if due.payable else "",
    )
