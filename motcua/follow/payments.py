"""What the look-up shows of the fee: the amount due, its state and where to pay.

The payments app owns payments (SPEC §10); this module only reads them, through the one
selector that app exposes, ``motcua.payments.selectors.payment_due(dossier)``, imported only
when the app is installed. Without it nothing is shown (the look-up says nothing rather than
guess). ``payment_due`` gets the ``Dossier`` and gives None (nothing to show) or the fee, as
an object or a mapping with ``amount`` (đồng) and, when it has them, ``state`` (SPEC §10:
unpaid, pending, paid, cancelled, refunded), ``label`` (the state in the applicant's words)
and ``pay_url`` (where to pay online). This module turns that into a ``PaymentDue``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

PAYMENTS_APP = "motcua.payments"


@dataclass(frozen=True)
class PaymentDue:
    amount: int  # đồng
    state: str  # SPEC §10's state, or "" when the payments app did not say
    label: str
    #: Where to pay online, if anywhere.
    pay_url: str = ""


#: The states of SPEC §10 as the applicant reads them, when the payments app gives no label.
STATE_LABELS = {
    "unpaid": _("Chưa nộp"),
    "pending": _("Đang chờ xác nhận"),
    "paid": _("Đã nộp"),
    "cancelled": _("Đã hủy"),
    "refunded": _("Đã hoàn tiền"),
}


def _selectors():
    if not apps.is_installed(PAYMENTS_APP):
        return None
    return importlib.import_module(f"{PAYMENTS_APP}.selectors")


def _reader() -> Callable[[Dossier], object] | None:
    selectors = _selectors()
    return selectors.payment_due if selectors is not None else None


def _field(found: object, name: str, default=None):
    if isinstance(found, dict):
        return found.get(name, default)
    return getattr(found, name, default)


def payment_due(status: dict) -> PaymentDue | None:
    """The fee of the dossier the look-up found (its ``_id``), as the payments app reads it;
    None without that app or when it has nothing to show."""
    reader = _reader()
    if reader is None:
        return None
    dossier = Dossier.objects.filter(pk=status["_id"]).first()
    found = reader(dossier) if dossier is not None else None
    if found is None:
        return None
    state = str(_field(found, "state", "") or "")
    label = _field(found, "label", "") or STATE_LABELS.get(state, "")
    return PaymentDue(
        amount=int(_field(found, "amount", 0) or 0),
        state=state,
        label=str(label),
        pay_url=str(_field(found, "pay_url", "") or _pay_link(found, dossier)),
    )


def _pay_link(found: object, dossier: Dossier) -> str:
    """The payments app's pay link (valid for a day) when it says the fee is payable now:
    the look-up has already checked whoever asks."""
    selectors = _selectors()
    if not _field(found, "payable", False) or not hasattr(selectors, "pay_link"):
        return ""
    return selectors.pay_link(dossier)
