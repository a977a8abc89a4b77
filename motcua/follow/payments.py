"""What the look-up shows of the fee: the amount due and whether it was paid.

Until the payments app records payments, the fee is ``Dossier.fee_amount`` and its state is
read from the dossier's own events (waiting for payment: not paid yet; "payment proof
received": paid). The payments app replaces that by its own reading of its ``Payment`` rows
with ``payment_reader_set`` (in its ``AppConfig.ready``): it gets the look-up's answer (its
``_id`` is the dossier's id) and gives a ``PaymentDue`` or None (no fee). It should cost at
most one small query: the look-up is the busiest read of the system.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Status


@dataclass(frozen=True)
class PaymentDue:
    amount: int  # đồng
    #: "unpaid", "pending", "paid" (SPEC §10's states the public sees), or "" when the
    #: look-up cannot tell (a fee paid at the desk is not recorded before the payments app).
    state: str
    label: str
    #: Where to pay online (the payments app), if anywhere.
    pay_url: str = ""


STATE_LABELS = {
    "unpaid": _("Chưa nộp"),
    "pending": _("Đang chờ xác nhận"),
    "paid": _("Đã nộp"),
    "": _("Nộp theo hướng dẫn của bộ phận một cửa"),
}


def from_events(status: dict) -> PaymentDue | None:
    """The reading without payment records: the fee of the dossier, unpaid while it waits
    for payment, paid once the proof was received; None when there is no fee and none is
    asked for."""
    waiting = status["status"] == Status.WAITING_PAYMENT
    if not status["fee_amount"] and not waiting:
        return None
    actions = [step["action"] for step in status["steps"]]
    if waiting:
        state = "unpaid"
    elif "payment_received" in actions:
        state = "paid"
    else:
        state = ""
    return PaymentDue(amount=status["fee_amount"], state=state, label=str(STATE_LABELS[state]))


_reader: Callable[[dict], PaymentDue | None] = from_events


def payment_reader_set(reader: Callable[[dict], PaymentDue | None]) -> None:
    """The payments app's hook (see the module's docstring)."""
    global _reader
    _reader = reader


def payment_due(status: dict) -> PaymentDue | None:
    return _reader(status)
