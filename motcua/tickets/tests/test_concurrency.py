"""Numbers under concurrency, and the board's push through a real ASGI server, on SQLite and
on PostgreSQL: 200 tickets taken at once get 200 distinct numbers; a call reaches a
connected board within a second."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from motcua.tests.liveserver import ROOT, Client, database_url, gunicorn, server_env
from motcua.tickets.services import ticket_take
from motcua.tickets.tests.factories import floor_for

pytestmark = pytest.mark.django_db(transaction=True)


def _env(tmp_path) -> dict[str, str]:
    env = server_env(database_url(tmp_path), tmp_path / "media")
    env["MOTCUA_QUEUE_TICKETS_PER_MINUTE"] = "100000"
    return env


def test_200_tickets_taken_at_once_over_http_get_200_numbers(tmp_path, desk_officer):
    floor = floor_for(desk_officer.memberships.get().desk)
    body = json.dumps({"desk": floor.desk.pk, "service": floor.civil.pk}).encode()
    start = threading.Barrier(200)
    numbers, failures = [], []

    with gunicorn(_env(tmp_path), tmp_path, workers=2, threads=8) as server:

        def take():
            try:
                start.wait()
                answer = Client(server.port).request(
                    "POST", "/api/v1/queue/tickets", body, {"Content-Type": "application/json"}
                )
                if answer.status != 201:
                    failures.append(answer.text[:200])
                else:
                    numbers.append(json.loads(answer.body)["number"])
            except Exception as exc:  # reported below
                failures.append(repr(exc))

        threads = [threading.Thread(target=take) for _ in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == [], server.log.read_text()[-3000:]
    assert sorted(numbers) == list(range(1001, 1201))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_200_tickets_from_40_threads_of_one_process_get_200_numbers(desk_officer):
    floor = floor_for(desk_officer.memberships.get().desk)
    start = threading.Barrier(40)
    numbers, errors = [], []

    def five():
        try:
            start.wait()
            for _ in range(5):
                numbers.append(
                    ticket_take(desk=floor.desk, service_id=floor.civil.pk).ticket.number
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=five) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1001, 1201))


@contextmanager
def uvicorn(env: dict[str, str], tmp_path):
    """The ASGI server as production runs it for the streams (docs: README)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "uvicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "motcua.asgi:application"),
                *("--port", str(port), "--timeout-graceful-shutdown", "2"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Client(port).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start:\n" + log.read_text())
            time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError("uvicorn did not stop:\n" + log.read_text()) from None


def read_events(port: int, desk_id: int, events: list, ready: threading.Event, stop):
    """Connect to the stream and record (arrival time, event) until ``stop()``."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(
        f"GET /api/v1/queue/board/stream?desk={desk_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    buffer = b""
    sock.settimeout(0.2)
    while not stop():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        if not chunk:
            break
        buffer += chunk
        if b"retry:" in buffer:
            ready.set()
        for line in buffer.split(b"\n"):
            if line.startswith(b"data: "):
                event = json.loads(line[6:])
                if all(e["id"] != event["id"] for _, e in events):
                    events.append((time.monotonic(), event))
    sock.close()


def test_a_call_reaches_a_connected_board_within_a_second(tmp_path, desk_officer):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # The tests hash with MD5, which the server does not accept: a hash it knows, made cheap.
    desk_officer.password = PBKDF2PasswordHasher().encode("pw-alice", "muoi-test", 1000)
    desk_officer.save()
    floor = floor_for(desk_officer.memberships.get().desk)
    env = _env(tmp_path)  # on SQLite: the test database copied into a file for the servers
    events, ready, done = [], threading.Event(), threading.Event()
    with gunicorn(env, tmp_path, workers=1, threads=2) as server, uvicorn(env, tmp_path) as port:
        reader = threading.Thread(
            target=read_events, args=(port, floor.desk.pk, events, ready, done.is_set)
        )
        reader.start()
        assert ready.wait(10)
        # Taken through the server: "today" is the servers' (real) day, not the tests' clock.
        body = json.dumps({"desk": floor.desk.pk, "service": floor.civil.pk}).encode()
        taken = Client(server.port).request(
            "POST", "/api/v1/queue/tickets", body, {"Content-Type": "application/json"}
        )
        assert taken.status == 201, taken.text
        number = json.loads(taken.body)["number"]
        officer = Client(server.port)
        officer.log_in("alice", "pw-alice")
        officer.get("/can-bo/quay/")
        sent = time.monotonic()
        answer = officer.request(
            "POST",
            f"/api/v1/queue/counters/{floor.civil_only.pk}/next",
            b"",
            {"X-CSRFToken": officer.cookies["csrftoken"]},
        )
        assert answer.status == 200, answer.text
        deadline = time.monotonic() + 3
        while not events and time.monotonic() < deadline:
            time.sleep(0.01)
        done.set()
        reader.join()
    assert [e["text"] for _, e in events] == [f"Mời số {number} đến quầy số 2"]
    assert events[0][0] - sent < 1.0
