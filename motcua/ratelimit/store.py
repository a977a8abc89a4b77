"""Counters shared by every server process, where ``MOTCUA_CACHE_URL`` says
(``motcua/cacheurl.py``): by default a table of the project's database, else a cache server.

A counter counts hits of one name in a window of ``window`` seconds that starts at its first
hit; the next hit after the window ends starts a new one. Every increment is atomic across
processes and threads (one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, or the
cache server's own increment), so concurrent requests never count low: the tests run two
processes against one counter.
"""

import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from motcua.pgsql import execute_prepared

#: One hit in this many also deletes the database's expired counters.
SWEEP_EVERY = 1000


@dataclass(frozen=True)
class Count:
    value: int
    expires: float  # Unix time at which this window ends

    def retry_after(self) -> int:
        """Whole seconds until the window ends (for the ``Retry-After`` header)."""
        return max(1, math.ceil(self.expires - time.time()))


_UPSERT = (
    "INSERT INTO ratelimit_counter (name, count, expires) VALUES (%s, 1, %s) "
    "ON CONFLICT (name) DO UPDATE SET "
    "count = CASE WHEN ratelimit_counter.expires <= %s THEN 1 "
    "ELSE ratelimit_counter.count + 1 END, "
    "expires = CASE WHEN ratelimit_counter.expires <= %s THEN excluded.expires "
    "ELSE ratelimit_counter.expires END "
    "RETURNING count, expires"
)
# PostgreSQL: the hit and the read of a second counter in one round trip.
_UPSERT_AND_READ = (
    f"WITH hit AS ({_UPSERT}) SELECT hit.count, hit.expires, c.count, c.expires FROM hit "
    "LEFT JOIN ratelimit_counter c ON c.name = %s AND c.expires > %s"
)
_READ = "SELECT count, expires FROM ratelimit_counter WHERE name = %s AND expires > %s"


class DatabaseStore:
    """Counters in ``ratelimit_counter`` (``UNLOGGED`` on PostgreSQL: no write-ahead log, so a
    hit costs no disk flush; counters are lost in a crash, which only forgives a few tries).
    Call outside a transaction, as views are: inside one, the counter's row stays locked until
    it commits."""

    def hit(self, name: str, *, window: int, peek: str = "") -> tuple[Count, Count | None]:
        """Count one hit of ``name``; also return ``peek``'s current count (None when it has
        none in a running window), read without counting."""
        now = int(time.time())
        params = [name, now + window, now, now]
        if random.randrange(SWEEP_EVERY) == 0:
            execute_prepared("DELETE FROM ratelimit_counter WHERE expires <= %s", [now])
        if peek and connection.vendor == "postgresql":
            row = execute_prepared(_UPSERT_AND_READ, [*params, peek, now])[0]
            return Count(row[0], row[1]), (Count(row[2], row[3]) if row[2] is not None else None)
        count, expires = execute_prepared(_UPSERT, params)[0]
        seen = None
        if peek:
            rows = execute_prepared(_READ, [peek, now])
            seen = Count(*rows[0]) if rows else None
        return Count(count, expires), seen


class CacheStore:
    """Counters in Django's cache (redis or memcached for several servers, whose increments
    are atomic; locmem for one process alone). The window's end is kept beside each count."""

    def hit(self, name: str, *, window: int, peek: str = "") -> tuple[Count, Count | None]:
        return self._incr(name, window), (self._read(peek) if peek else None)

    def _incr(self, name: str, window: int) -> Count:
        for _ in range(2):
            now = time.time()
            if cache.add(name, 1, timeout=window):
                cache.set(f"{name}:expires", now + window, timeout=window)
                return Count(1, now + window)
            try:
                value = cache.incr(name)
            except ValueError:  # expired between add and incr: start again
                continue
            expires = cache.get(f"{name}:expires")
            if expires is not None:
                return Count(value, expires)
            # The window is over but this count outlived it (an increment raced the expiry).
            cache.delete(name)
        return Count(1, time.time() + window)

    def _read(self, name: str) -> Count | None:
        values = cache.get_many([name, f"{name}:expires"])
        if name not in values or f"{name}:expires" not in values:
            return None
        return Count(values[name], values[f"{name}:expires"])


_stores = {"database": DatabaseStore(), "cache": CacheStore()}


def counter_store() -> DatabaseStore | CacheStore:
    """The store ``MOTCUA_CACHE_URL`` chose (``settings.COUNTER_STORE``)."""
    return _stores[settings.COUNTER_STORE]
