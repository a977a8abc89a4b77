"""One-time codes: six random digits, kept only as an HMAC under the site's secret and the
code's own uid, so a copy of the table (or a backup) does not give the codes away, even
though a million values could otherwise be tried offline in a moment."""

import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

DIGITS = 6
_SALT = "motcua.citizens.one-time-code"


def code_new() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def code_hash(uid, code: str) -> str:
    return salted_hmac(_SALT, f"{uid}:{code}", algorithm="sha256").hexdigest()


def code_matches(uid, code: str, stored_hash: str) -> bool:
    return constant_time_compare(code_hash(uid, code.strip()), stored_hash)


def code_unguessable_hash() -> str:
    """A hash no code has: for a code that was never sent (a password reset asked for a
    phone that has no account), so that its page behaves like any other."""
    return secrets.token_hex(32)
