"""A fixed-window rate limit per client address, kept in Django's cache."""

import math
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def allow(*, scope: str, key: str, per_minute: int) -> bool:
    """True while ``key`` made fewer than ``per_minute`` calls in this minute of ``scope``."""
    window = int(time.time() // 60)
    name = f"rl:{scope}:{key}:{window}"
    if cache.add(name, 1, timeout=70):
        return True
    try:
        return cache.incr(name) <= per_minute
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=70)
        return True


def public_lookup_allowed(request) -> bool:
    """The public dossier look-up's limit (SPEC §12), shared by the page and the API."""
    return allow(
        scope="lookup", key=client_address(request), per_minute=settings.PUBLIC_LOOKUP_PER_MINUTE
    )


def window_seconds_left() -> int:
    """Seconds until the current one-minute window ends (1 to 60)."""
    return 60 - int(time.time()) % 60


def with_retry_after(response, seconds: float):
    """A 429 answer with ``Retry-After`` (RFC 9110 §10.2.3): whole seconds, at least one."""
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response
