"""A small per-process cache whose entries are trusted for a fixed number of seconds.

For facts read on every request that change rarely and whose change may take effect within a
minute: API keys, working calendars, the published version of a procedure, an agency's desk.
Every process keeps its own copy; ``clear()`` empties this process's copy (the admin calls it
after an edit, tests between cases).
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

_MISSING = object()
_all: list["TTLCache"] = []


class TTLCache(Generic[V]):
    def __init__(self, seconds: float):
        self.seconds = seconds
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        _all.append(self)

    def get(self, key: Hashable, load: Callable[[], V | None]) -> V | None:
        """The cached value for ``key``, or ``load()`` (kept unless it is None: a missing
        row is looked up again next time, so a new key or agency works at once)."""
        hit = self._entries.get(key, _MISSING)
        if hit is not _MISSING and time.monotonic() - hit[0] < self.seconds:
            return hit[1]
        value = load()
        with self._lock:
            if value is None:
                self._entries.pop(key, None)
            else:
                self._entries[key] = (time.monotonic(), value)
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def clear_all() -> None:
    """Empty every TTL cache of this process (tests, and after a data import)."""
    for cache in _all:
        cache.clear()
