"""Rate limits of the citizens' log-in pages, counted in the shared store
(``motcua/ratelimit/store.py``) so every server process counts the same hits.

- Code requests: ``CITIZEN_CODES_PER_HOUR`` per phone or e-mail address (whether it has an
  account or not, so the limit tells nothing), and ``CITIZEN_CODES_PER_ADDRESS_PER_HOUR`` per
  client address (an IPv6 /64).
- Log-in attempts (a password, or a code typed in): ``CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE``
  per client address. Besides, each code allows ``CITIZEN_CODE_TRIES`` wrong tries
  (``services.code_check``) and django-axes locks a phone or e-mail address out for an
  address after repeated wrong passwords, as it does for staff.

So a code is guessed at most CITIZEN_CODES_PER_HOUR × CITIZEN_CODE_TRIES times an hour for
one phone (25 of a million by default).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.citizens.identifiers import Identifier
from motcua.ratelimit.store import counter_store

HOUR = 3600
MINUTE = 60


@dataclass(frozen=True)
class TooMany:
    """The answer is 429 with ``Retry-After: retry_after``."""

    retry_after: int
    what: str  # "codes" or "logins"

    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        if self.what == "codes":
            return _(
                "Bạn đã yêu cầu gửi mã quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
            ) % {"minutes": minutes}
        return _("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng thử lại sau %(seconds)s giây.") % {
            "seconds": self.retry_after
        }


def code_request_allowed(*, address: str, identifier: Identifier) -> TooMany | None:
    """Count one code request from ``address`` (``clientaddress.rate_limit_key``) for
    ``identifier``; ``TooMany`` when either limit is passed (then no code is sent)."""
    store = counter_store()
    mine, _none = store.hit(f"citizen:codes:addr:{address}", window=HOUR)
    if mine.value > settings.CITIZEN_CODES_PER_ADDRESS_PER_HOUR:
        return TooMany(mine.retry_after(), "codes")
    theirs, _none = store.hit(f"citizen:codes:id:{identifier.counter_name()}", window=HOUR)
    if theirs.value > settings.CITIZEN_CODES_PER_HOUR:
        return TooMany(theirs.retry_after(), "codes")
    return None


def sign_in_attempt_allowed(*, address: str) -> TooMany | None:
    """Count one log-in attempt (a password or a code) from ``address``."""
    hit, _none = counter_store().hit(f"citizen:logins:addr:{address}", window=MINUTE)
    if hit.value > settings.CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE:
        return TooMany(hit.retry_after(), "logins")
    return None
