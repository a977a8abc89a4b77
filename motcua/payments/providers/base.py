"""What every payment gateway gives Motcua: an address to send the payer to, and the check of
its callback. Each gateway is one module beside this one (``demo``, ``vnpay``, ``dvcqg``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

#: A callback is logged whole, within these limits (a forged one may send anything).
MAX_PARAMS, MAX_KEY, MAX_VALUE = 60, 64, 1000
#: Parameter names never written to the log, whoever sends them.
SECRET_WORDS = ("secret", "password", "passwd", "token", "key")


class BadSignature(Exception):
    """The callback is not signed with our shared secret (or the gateway is not configured):
    it changes nothing."""


@dataclass(frozen=True)
class Callback:
    """A verified callback, in Motcua's words."""

    reference: str
    #: In đồng; None when the gateway's figure is not a whole number of đồng.
    amount: int | None
    #: The gateway says the money was taken.
    success: bool
    transaction_id: str
    #: The gateway's own result code, for the log and the page.
    gateway_code: str


class Gateway(ABC):
    """One payment gateway. ``name`` is the API's ``provider`` value."""

    name: str
    label: str
    #: The callback's parameter that names the reference (kept in the log even when forged).
    reference_param: str

    @abstractmethod
    def enabled(self) -> bool:
        """Configured (and, for the demo, allowed) here."""

    @abstractmethod
    def payment_url(self, payment, *, base_url: str, return_url: str, client_ip: str) -> str:
        """Where to send the payer to pay ``payment``; the same URL each time it is asked."""

    @abstractmethod
    def callback(self, params: Mapping[str, str]) -> Callback:
        """Read a callback (IPN) or return; ``BadSignature`` unless signed with our secret."""

    def origins(self, base_url: str) -> list[str]:
        """The origins the payer's browser is sent to (for the pages' form-action policy)."""
        return []


def loggable(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters as received, for the log: no secret (by name), no NUL byte (PostgreSQL
    stores none), bounded in number and length."""
    kept = {}
    for key, value in list(params.items())[:MAX_PARAMS]:
        key = str(key)[:MAX_KEY].replace("\x00", "\ufffd")
        if any(word in key.lower() for word in SECRET_WORDS):
            continue
        kept[key] = str(value)[:MAX_VALUE].replace("\x00", "\ufffd")
    return kept


def clean(text: str, limit: int) -> str:
    """A value from outside for one of our columns: within its length, no NUL byte."""
    return str(text)[:limit].replace("\x00", "\ufffd")
