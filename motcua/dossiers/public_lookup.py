"""The public look-up with its limits (SPEC §12), for the page (/tra-cuu/) and the API alike.

Two limits, counted in the shared store (``motcua/ratelimit/store.py``):
- per address: ``PUBLIC_LOOKUP_PER_MINUTE`` look-ups per client address (an IPv6 /64) per
  minute, whatever they ask;
- per dossier: after ``WRONG_VALUES_PER_HOUR`` wrong verification values for one code within
  an hour (from the first), that code answers 429 to every verification value, from every
  address, until that hour ends. The signed QR link is not a guess and keeps working.

A wrong value is counted for the code as typed, whether a dossier has it or not: an unknown
code gets the same 404s and then the same 429 as a real one, so the limit does not tell a
guesser which codes exist (SPEC: the same answer for a wrong code and a wrong value).

The bound holds under concurrency: a wrong value is answered 404 only if its own atomic
increment kept the count within the limit, so however many requests race, at most
``WRONG_VALUES_PER_HOUR`` wrong values per code and hour are ever told apart from the right one.
"""

import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import ngettext

from motcua.dossiers.selectors import dossier_public_status
from motcua.ratelimit.store import counter_store

#: SPEC §12: 10 wrong values for one code within an hour.
WRONG_VALUES_PER_HOUR = 10
HOUR = 3600
MINUTE = 60


@dataclass(frozen=True)
class TooManyLookups:
    """The answer is 429; ``retry_after`` seconds until the limit lifts. ``dossier_locked``:
    the per-dossier limit (the QR code still works), not the per-address one."""

    retry_after: int
    dossier_locked: bool

    def message(self) -> str:
        if self.dossier_locked:
            minutes = math.ceil(self.retry_after / 60)
            return ngettext(
                "Mã hồ sơ này đã bị nhập sai số xác minh quá nhiều lần nên tạm ngừng tra cứu "
                "bằng số xác minh trong %(minutes)d phút. Bạn vẫn tra cứu được ngay bằng mã QR "
                "trên giấy hẹn.",
                "Mã hồ sơ này đã bị nhập sai số xác minh quá nhiều lần nên tạm ngừng tra cứu "
                "bằng số xác minh trong %(minutes)d phút. Bạn vẫn tra cứu được ngay bằng mã QR "
                "trên giấy hẹn.",
                minutes,
            ) % {"minutes": minutes}
        return ngettext(
            "Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            "Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.",
            self.retry_after,
        ) % {"seconds": self.retry_after}


def _code_counter(code: str) -> str:
    """One counter per code however it is typed: "h50…" is "H50…" (the look-up ignores case,
    so the limit must too, or each spelling would get its own 10 guesses)."""
    return "lookup:code:" + hashlib.sha256(code.strip().upper().encode()).hexdigest()[:40]


def dossier_public_lookup(
    *, address: str, code: str = "", verify: str = "", token: str = ""
) -> dict | TooManyLookups | None:
    """``dossier_public_status`` behind both limits: its answer (None: the same 404 for a
    wrong code and a wrong value), or ``TooManyLookups``. ``address`` is the rate-limit key
    of the client (``motcua.clientaddress.rate_limit_key``)."""
    store = counter_store()
    by_code = "" if token else _code_counter(code)
    mine, code_wrong = store.hit(f"lookup:addr:{address}", window=MINUTE, peek=by_code)
    if mine.value > settings.PUBLIC_LOOKUP_PER_MINUTE:
        return TooManyLookups(mine.retry_after(), dossier_locked=False)
    if code_wrong is not None and code_wrong.value >= WRONG_VALUES_PER_HOUR:
        return TooManyLookups(code_wrong.retry_after(), dossier_locked=True)
    status = dossier_public_status(code=code, verify=verify, token=token)
    if status is None and by_code:
        wrong, _ = store.hit(by_code, window=HOUR)
        if wrong.value > WRONG_VALUES_PER_HOUR:
            return TooManyLookups(wrong.retry_after(), dossier_locked=True)
    return status
