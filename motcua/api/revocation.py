"""A revoked credential stops working at once, on every server process (SPEC §12.2).

Processes keep the credentials they checked for a minute (``CredentialCache``), to spare the
database a look-up and a write per request. Every revocation — of an API key now, of a
personal token or a deactivated user later — calls ``credentials_revoked()`` in its own
transaction, which bumps one shared number (``RevocationSignal``); every request first reads
that number (one primary-key read) and ignores what was kept under an older one. So a
revocation is seen by the very next request on any process, without telling the processes.
"""

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from motcua.pgsql import execute_prepared
from motcua.ttlcache import TTLCache

V = TypeVar("V")


def revocation_generation() -> int:
    """The current revocation generation (0 before the first revocation)."""
    rows = execute_prepared("SELECT generation FROM api_revocationsignal WHERE id = 1", [])
    return rows[0][0] if rows else 0


def credentials_revoked() -> None:
    """Tell every process that some credential was revoked; call it inside the transaction
    that revokes (the signal and the revocation commit together)."""
    execute_prepared(
        "INSERT INTO api_revocationsignal (id, generation) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET generation = api_revocationsignal.generation + 1",
        [],
    )


class CredentialCache(Generic[V]):
    """A per-process cache of credentials (``TTLCache``) whose entries count only under the
    revocation generation they were loaded in."""

    def __init__(self, seconds: float):
        self._entries: TTLCache[V] = TTLCache(seconds)
        self._generation: int | None = None

    def get(self, key: Hashable, load: Callable[[], V | None]) -> V | None:
        generation = revocation_generation()
        if generation != self._generation:
            self._entries.clear()  # memory only: entries are keyed by their generation
            self._generation = generation
        # Read before loading: a value loaded under this generation was valid at least then.
        return self._entries.get((generation, key), load)
