"""The kiosk's on-screen keypad, without JavaScript: each key is a submit button, and the
server writes the key into the value the form sent back (``keypad_apply``). A QR code read by
the desk's scanner types the look-up link into the code field (``scanned_token``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

DIGITS = tuple("1234567890")
#: The keys of the code's keypad beyond digits (a code is "{agency}-{YYMMDD}-{serial}").
CODE_KEYS = ("-", ".")
BACK, CLEAR = "back", "clear"
CODE_MAX = 60
VERIFY_LENGTH = 4


def keypad_apply(value: str, key: str, *, allowed: tuple[str, ...], limit: int) -> str:
    """``value`` after pressing ``key``: a character appended (up to ``limit``), the last
    one taken back, or everything cleared; any other key changes nothing."""
    if key == BACK:
        return value[:-1]
    if key == CLEAR:
        return ""
    if key in allowed and len(value) < limit:
        return value + key
    return value


def scanned_token(text: str) -> str:
    """The signed token of the receipt's QR code when ``text`` is its link (read by the
    scanner into the code field), else ""."""
    text = text.strip()
    if "t=" not in text:
        return ""
    query = urlsplit(text).query if "?" in text else text
    return (parse_qs(query).get("t") or [""])[0][:200]
