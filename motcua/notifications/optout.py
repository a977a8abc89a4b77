"""Opting out, per channel, without logging in: every message that may be stopped carries a
link signed for its medium and address; the page it opens stops (or resumes) them.

The token is short because it travels in SMS: the address in URL-safe base64 and 96 bits of
an HMAC-SHA256 keyed by SECRET_KEY (``salted_hmac``) — enough that no one forges a link to
stop another person's messages, short enough for a text message."""

from __future__ import annotations

import base64
import binascii
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "motcua.notifications.optout"
_LETTER = {"sms": "s", "email": "e"}
_MEDIUM = {letter: medium for medium, letter in _LETTER.items()}


def normalise(medium: str, recipient: str) -> str:
    """One spelling per address: a phone number as its digits with a leading 0 (``+84 912
    345 678`` → ``0912345678``), an e-mail address in lower case."""
    recipient = recipient.strip()
    if medium == "sms":
        digits = re.sub(r"\D", "", recipient)
        if digits.startswith("84") and len(digits) in (11, 12):
            digits = "0" + digits[2:]
        return digits
    return recipient.lower()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _mac(payload: str) -> str:
    return _b64(salted_hmac(SALT, payload, algorithm="sha256").digest()[:12])


def token_make(medium: str, recipient: str) -> str:
    payload = _b64((_LETTER[medium] + normalise(medium, recipient)).encode())
    return f"{payload}.{_mac(payload)}"


def token_read(token: str) -> tuple[str, str] | None:
    """(medium, address) of a genuine token, else None."""
    payload, _dot, mac = token.partition(".")
    if not payload or not constant_time_compare(mac, _mac(payload)):
        return None
    try:
        value = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    medium = _MEDIUM.get(value[:1])
    if medium is None or len(value) < 2:
        return None
    return medium, value[1:]


def opt_out_url(medium: str, recipient: str) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}/tu-choi/{token_make(medium, recipient)}/"
