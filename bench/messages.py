#!/usr/bin/env python3
"""Messages delivered per second by ONE outbox worker (``notifications_deliver``, as
``send_notifications`` runs it): SMS to the fake HTTP gateway of the tests, e-mail to a real
SMTP server (aiosmtpd), both on 127.0.0.1, each in a process of its own. Each message is
claimed and committed on its own (short transactions around one gateway call), so this is
the worker's own cost per message: a real gateway's latency comes on top.

On the database of ``MOTCUA_DATABASE_URL`` (``make bench`` gives it a throw-away PostgreSQL),
else a temporary SQLite file. ``BENCH_MESSAGES`` (default 3000) per medium."""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "MOTCUA_DEBUG": "0",  # as in production (DEBUG keeps every query in memory)
        "MOTCUA_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
        "MOTCUA_LOG_LEVEL": "WARNING",
    }
)
if not os.environ.get("MOTCUA_DATABASE_URL"):
    _tmp = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ["MOTCUA_DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.notifications.channels import EmailChannel, HttpGatewayChannel  # noqa: E402
from motcua.notifications.models import Notification  # noqa: E402
from motcua.notifications.services import (  # noqa: E402
    Contact,
    notifications_deliver,
    outbox_rows,
)
from motcua.notifications.tests.fakes import free_port  # noqa: E402

N = int(os.environ.get("BENCH_MESSAGES", "3000"))
DATA = {
    "name": "Nguyễn Văn An",
    "code": "000.01.31.H50-261123-0001",
    "procedure": "Đăng ký khai sinh",
    "agency": "UBND xã Khe Sanh",
    "due": "10:00 26/11/2026",
    "url": "https://dichvucong.example.gov.vn/tra-cuu/?t=x",
}


def queue(medium: str, recipient: str) -> None:
    rows = []
    for i in range(N):
        rows += outbox_rows(
            about=f"bench:{i}", kind="received", data=DATA, contacts=[Contact(medium, recipient)]
        )
    Notification.objects.bulk_create(rows, batch_size=1000)


def drain(channel) -> float:
    began = time.perf_counter()
    sent = 0
    while True:
        done, failed = notifications_deliver(channel=channel)
        assert failed == 0, "the fake gateway refused a message"
        if not done:
            break
        sent += done
    elapsed = time.perf_counter() - began
    assert sent == N, (sent, N)
    return sent / elapsed


def serve(which: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua.notifications.tests.fakes", which, str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process, port


def main():
    call_command("migrate", verbosity=0)
    print(
        f"Máy: {platform.processor() or platform.machine()}, {os.cpu_count()} lõi, "
        f"Python {platform.python_version()}, {connection.vendor}; {N:,} tin mỗi kênh"
    )
    gateway, port = serve("sms")
    try:
        url = f"http://127.0.0.1:{port}/api/send"
        queue("sms", "0912345678")
        rate = drain(HttpGatewayChannel(url=url, success="code=100"))
        with urllib.request.urlopen(url) as answer:
            assert json.load(answer) == {"delivered": N, "repeats": 0}
        print(f"1. SMS đến cổng giả lập (HTTP + JSON): {rate:,.0f} tin/giây, một tiến trình gửi")
    finally:
        gateway.terminate()
        gateway.wait()
    smtp, port = serve("smtp")
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        queue("email", "an@example.vn")
        rate = drain(EmailChannel())
        print(f"2. Thư điện tử đến máy chủ SMTP (aiosmtpd): {rate:,.0f} thư/giây, một tiến trình")
    finally:
        smtp.terminate()
        smtp.wait()


if __name__ == "__main__":
    main()
