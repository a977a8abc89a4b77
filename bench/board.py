#!/usr/bin/env python3
"""Display-board latency on PostgreSQL (``make bench`` runs this under scripts/with_postgres.py).

As production runs it (README, "Running it for real"): the pages and the API on gunicorn
(gthread), the boards' event streams on uvicorn (ASGI), calls pushed by LISTEN/NOTIFY. 50
boards are connected to one desk's stream; 10 counter officers, each logged in, call the next
ticket at once, round after round (``POST /api/v1/queue/counters/{id}/next``). For every call
and every board: the time from sending the call to the board receiving its event (the call's
own request included), p50 and p95; and the same from the call's answer.

    scripts/with_postgres.py .venv/bin/python bench/board.py \\
        [--boards 50] [--counters 10] [--rounds 20]
"""

import argparse
import http.client
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("MOTCUA_DATABASE_URL", "").startswith("postgres"):
    sys.exit("Chạy qua scripts/with_postgres.py (cần PostgreSQL).")
SERVER_ENV = {
    "MOTCUA_DEBUG": "0",
    "MOTCUA_SECRET_KEY": "bench-" + uuid.uuid4().hex,
    "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
    "MOTCUA_HTTPS": "0",
    "MOTCUA_LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from motcua.agencies.models import Agency, AgencyLevel, Desk, Membership, Role  # noqa: E402
from motcua.tickets.models import Counter, Service  # noqa: E402
from motcua.tickets.services import ticket_take  # noqa: E402

PASSWORD = "bench-" + uuid.uuid4().hex[:8]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit(f"{args[2]} không khởi động được:\n" + log.read_text())


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def floor(counters: int, tickets: int) -> tuple[Desk, list[tuple[Counter, str]]]:
    level, _ = AgencyLevel.objects.get_or_create(code="xa", defaults={"name": "Xã", "rank": 3})
    agency, _ = Agency.objects.get_or_create(
        code="000.99.31.H99", defaults={"name": "UBND xã Đo Đạc", "level": level}
    )
    desk, _ = Desk.objects.get_or_create(agency=agency, code="bench", defaults={"name": "Một cửa"})
    service, _ = Service.objects.get_or_create(desk=desk, code="chung", defaults={"name": "Chung"})
    officers = []
    for number in range(1, counters + 1):
        counter, _ = Counter.objects.get_or_create(desk=desk, number=number)
        counter.services.set([service])
        username = f"quay{number}-{uuid.uuid4().hex[:6]}"
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
        Membership.objects.create(user=user, agency=agency, role=Role.DESK_OFFICER, desk=desk)
        officers.append((counter, username))
    for _ in range(tickets):
        ticket_take(desk=desk, service_id=service.pk)
    return desk, officers


class Officer:
    """One counter's officer: a logged-in session that calls next."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/dang-nhap/").decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = f"csrfmiddlewaretoken={token}&username={username}&password={PASSWORD}"
        self.request(
            "POST", "/dang-nhap/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def request(self, method, path, body=None, headers=None) -> bytes:
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):  # keep-alive ran out
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        data = response.read()
        self.status = response.status
        return data

    def call_next(self, counter_id: int) -> int | None:
        data = self.request(
            "POST",
            f"/api/v1/queue/counters/{counter_id}/next",
            b"",
            {"X-CSRFToken": self.cookies["csrftoken"]},
        )
        return json.loads(data)["number"] if self.status == 200 else None


def board(port: int, desk_id: int, arrivals: dict, ready: threading.Barrier, stop_event):
    """One board on the stream: records when each called number arrives."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(
        f"GET /api/v1/queue/board/stream?desk={desk_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    sock.settimeout(0.5)
    buffer, seen_retry = b"", False
    while not stop_event.is_set():
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        now = time.monotonic()
        if not chunk:
            break
        buffer += chunk
        if not seen_retry and b"retry:" in buffer:
            seen_retry = True
            ready.wait()
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            if line.startswith(b"data: "):
                arrivals.setdefault(json.loads(line[6:])["number"], now)
    sock.close()


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--uvicorn-workers", type=int, default=2)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    desk, officers = floor(options.counters, options.counters * options.rounds)
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    wsgi_port, asgi_port = free_port(), free_port()
    py = sys.executable
    gunicorn = start(
        [py, "-m", "gunicorn", "motcua.wsgi", "-b", f"127.0.0.1:{wsgi_port}", "-w", "4",
         "-k", "gthread", "--threads", "4"],
        wsgi_port,
        tmp / "bench-queue-gunicorn.log",
    )  # fmt: skip
    uvicorn = start(
        [py, "-m", "uvicorn", "motcua.asgi:application", "--port", str(asgi_port),
         "--workers", str(options.uvicorn_workers), "--no-access-log",
         "--timeout-graceful-shutdown", "2"],
        asgi_port,
        tmp / "bench-queue-uvicorn.log",
    )  # fmt: skip
    stop_event = threading.Event()
    try:
        ready = threading.Barrier(options.boards + 1)
        arrivals = [{} for _ in range(options.boards)]
        readers = [
            threading.Thread(
                target=board, args=(asgi_port, desk.pk, arrivals[i], ready, stop_event)
            )
            for i in range(options.boards)
        ]
        for reader in readers:
            reader.start()
        ready.wait(timeout=60)
        time.sleep(1)  # every stream subscribed to the process's listener
        clients = [(counter, Officer(wsgi_port, username)) for counter, username in officers]
        sent, answered = {}, {}
        for _ in range(options.rounds):
            start_together = threading.Barrier(len(clients))

            def call(counter, officer, start_together=start_together):
                start_together.wait()
                t0 = time.monotonic()
                number = officer.call_next(counter.pk)
                if number is not None:
                    sent[number], answered[number] = t0, time.monotonic()

            threads = [threading.Thread(target=call, args=pair) for pair in clients]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(0.3)
        time.sleep(2)  # the last events on their way
    finally:
        stop_event.set()
        stop(gunicorn)
        stop(uvicorn)
    from_send, from_answer, missing = [], [], 0
    for number, t0 in sent.items():
        for board_arrivals in arrivals:
            if number in board_arrivals:
                from_send.append((board_arrivals[number] - t0) * 1000)
                from_answer.append((board_arrivals[number] - answered[number]) * 1000)
            else:
                missing += 1
    lines = [
        f"# Board latency ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()})",
        "",
        f"{options.boards} boards on uvicorn ({options.uvicorn_workers} workers, LISTEN/NOTIFY), "
        f"{options.counters} counters calling at once on gunicorn (4 × 4), "
        f"{options.rounds} rounds: {len(sent)} calls, {len(from_send)} events received, "
        f"{missing} missing.",
        "",
        "| from | p50 | p95 | max |",
        "|---|---|---|---|",
    ]
    for name, values in [("sending the call", from_send), ("the call's answer", from_answer)]:
        if values:
            lines.append(
                f"| {name} | {percentile(values, 50):.1f} ms | {percentile(values, 95):.1f} ms "
                f"| {max(values):.1f} ms |"
            )
    report = "\n".join(lines)
    print(report)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-queue.md").write_text(report + "\n")
    if missing:
        sys.exit(f"{missing} sự kiện không đến được màn hình.")


if __name__ == "__main__":
    main()
