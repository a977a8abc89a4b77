"""A real server process for the tests that need one (a crash, memory): gunicorn on a free
port, on the test database, with its own media folder; and a small HTTP client for it."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """A URL to the test database that another process can open. SQLite's test database
    lives in this process's memory: it is copied into a file first (call after the data is
    committed)."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT']}/{settings['NAME']}"
        )
    connection.ensure_connection()
    path = tmp_path / "server.sqlite3"
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def server_env(database: str, media: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")},
        "MOTCUA_DATABASE_URL": database,
        "MOTCUA_MEDIA_ROOT": str(media),
        "MOTCUA_DEBUG": "0",  # as in production (DEBUG keeps every query in memory)
        "MOTCUA_SECRET_KEY": "test-" + "x" * 40,
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_HTTPS": "0",
        "MOTCUA_LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill(self) -> None:
        """SIGKILL the master and its workers at once, as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path, *, workers: int = 2, threads: int = 4):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "motcua.wsgi"),
                *("-b", f"127.0.0.1:{port}", "-w", str(workers)),
                *("-k", "gthread", "--threads", str(threads), "--timeout", "120"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed together, by its id
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Client(port).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """Keeps cookies; sends bodies given as bytes or as an iterable of chunks."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method, path, body=None, headers=None) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            headers = dict(headers or {})
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return answer
        finally:
            conn.close()

    def get(self, path) -> Answer:
        return self.request("GET", path)

    def csrf(self, path) -> str:
        page = self.get(path).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, username, password) -> None:
        token = self.csrf("/dang-nhap/")
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        answer = self.request(
            "POST",
            "/dang-nhap/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 302, answer.text[:500]


def multipart(fields: dict[str, str], file_name: str, file_chunks, file_size: int):
    """A multipart/form-data body as (content type, length, iterable of chunks): the file
    part last, streamed from ``file_chunks`` (it is never built in memory)."""
    boundary = uuid.uuid4().hex
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks():
        yield head
        yield from file_chunks
        yield tail

    return f"multipart/form-data; boundary={boundary}", len(head) + file_size + len(tail), chunks()


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), in KiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
