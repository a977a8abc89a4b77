"""How a call reaches the display boards (server-sent events, ADR 0013).

On PostgreSQL a call ``NOTIFY``s its event on one channel inside the call's transaction, so
it is delivered when, and only if, the call commits. Each ASGI server process keeps ONE
``LISTEN`` connection (``Hub``) and hands every notification to the boards connected to that
process — fifty boards cost one database connection, not fifty. Every call is also a row
(``Announcement``) whose id is the event's id: a board that reconnects, or a process whose
listener lost its connection, catches up from the table, so nothing is lost in a gap.

On SQLite (development) there is no NOTIFY: streams read the table every quarter second.
Under WSGI (``runserver``, the test server) a stream holds a thread, so it polls too and
ends after two minutes; the browser's ``EventSource`` reconnects with ``Last-Event-ID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator

import psycopg
from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections, connection, connections

from motcua.pgsql import execute_prepared
from motcua.tickets.selectors import announcements_after, today, waiting_counts

log = logging.getLogger(__name__)

CHANNEL = "motcua_queue"
#: A comment line this often keeps proxies from closing a quiet stream.
HEARTBEAT_SECONDS = 15
#: How often a stream reads the table where there is no NOTIFY.
POLL_SECONDS = 0.25
#: A WSGI stream ends after this (it holds a server thread); the browser reconnects.
WSGI_STREAM_SECONDS = 120
#: Tells ``EventSource`` to reconnect one second after a stream ends or breaks.
RETRY_MS = 1000


def publish(desk_id: int, event: dict) -> None:
    """Announce ``event`` to the desk's boards; call inside the call's transaction."""
    if connection.vendor == "postgresql":
        payload = json.dumps({"desk": desk_id, **event}, ensure_ascii=False)
        execute_prepared("SELECT pg_notify(%s, %s)", [CHANNEL, payload])


def frame(event: dict) -> str:
    data = json.dumps(event, ensure_ascii=False)
    return f"id: {event['id']}\nevent: call\ndata: {data}\n\n"


def _with_counts(events: list[dict], desk_id: int) -> list[dict]:
    """Events read from the table carry the waiting counts of now, on the last one."""
    if events:
        events[-1]["waiting"] = waiting_counts(desk_id, day=today())
    return events


def _catch_up(desk_id: int, after_id: int) -> list[dict]:
    return _with_counts(announcements_after(desk_id, after_id, day=today()), desk_id)


def stream_polling(desk_id: int, after_id: int) -> Iterator[str]:
    """The stream for a WSGI server: reads the table, ends after ``WSGI_STREAM_SECONDS``."""
    yield f"retry: {RETRY_MS}\n\n"
    deadline = time.monotonic() + WSGI_STREAM_SECONDS
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        try:
            events = _catch_up(desk_id, after_id)
        except DatabaseError:  # SQLite busy with a write: read again at the next turn
            events = []
        for event in events:
            after_id = event["id"]
            yield frame(event)
        if events:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > HEARTBEAT_SECONDS:
            quiet_since = time.monotonic()
            yield ": ping\n\n"
        time.sleep(POLL_SECONDS)


#: Put in a board's queue when the listener lost its connection: read the table.
GAP = {"gap": True}


class Hub:
    """One ``LISTEN`` connection of this process, fanning notifications out per desk."""

    def __init__(self):
        self.queues: dict[int, set[asyncio.Queue]] = defaultdict(set)
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listening = asyncio.Event()

    async def subscribe(self, desk_id: int) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.loop is not loop:
            self.loop, self.listening = loop, asyncio.Event()
            self.task = loop.create_task(self._listen())
        queue: asyncio.Queue = asyncio.Queue(maxsize=500)
        self.queues[desk_id].add(queue)
        try:  # the caller reads the table next: anything before LISTEN is caught up there
            await asyncio.wait_for(self.listening.wait(), timeout=5)
        except TimeoutError:
            queue.put_nowait(GAP)
        return queue

    def unsubscribe(self, desk_id: int, queue: asyncio.Queue) -> None:
        self.queues[desk_id].discard(queue)

    def _deliver(self, desk_id: int, item: dict) -> None:
        for queue in list(self.queues.get(desk_id, ())):
            # A stuck client's queue may be full: it catches up from the table later.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(item)

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    _conninfo(), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    async for note in conn.notifies():
                        event = json.loads(note.payload)
                        self._deliver(event.pop("desk"), event)
            except (psycopg.Error, OSError) as exc:
                log.warning("Mất kết nối LISTEN %s: %s; kết nối lại sau 1 giây.", CHANNEL, exc)
            self.listening.clear()
            for desk_id in list(self.queues):
                self._deliver(desk_id, GAP)
            await asyncio.sleep(1)


def _conninfo() -> str:
    s = connections["default"].settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"],
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        host=s.get("HOST") or None,
        port=str(s["PORT"]) if s.get("PORT") else None,
    )


hub = Hub()


def _catch_up_closing(desk_id: int, after_id: int) -> list[dict]:
    try:
        return _catch_up(desk_id, after_id)
    finally:
        close_old_connections()


async def stream_async(desk_id: int, after_id: int) -> AsyncIterator[str]:
    """The stream for an ASGI server: pushed by NOTIFY on PostgreSQL, else polled."""
    catch_up = sync_to_async(_catch_up_closing, thread_sensitive=False)
    yield f"retry: {RETRY_MS}\n\n"
    if connection.vendor != "postgresql":
        quiet = 0.0
        while True:
            try:
                events = await catch_up(desk_id, after_id)
            except DatabaseError:  # SQLite busy with a write: read again at the next turn
                events = []
            for event in events:
                after_id = event["id"]
                yield frame(event)
            quiet = 0.0 if events else quiet + POLL_SECONDS
            if quiet > HEARTBEAT_SECONDS:
                quiet = 0.0
                yield ": ping\n\n"
            await asyncio.sleep(POLL_SECONDS)
    queue = await hub.subscribe(desk_id)
    try:
        for event in await catch_up(desk_id, after_id):
            after_id = event["id"]
            yield frame(event)
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": ping\n\n"
                continue
            events = await catch_up(desk_id, after_id) if item is GAP else [item]
            for event in events:
                if event["id"] > after_id:
                    after_id = event["id"]
                    yield frame(event)
    finally:
        hub.unsubscribe(desk_id, queue)
