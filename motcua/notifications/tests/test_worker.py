"""The worker against a real, slow gateway: claimed and committed message by message, never
holding a write transaction while the gateway answers; killed mid-batch and restarted, it
delivers every message, and the gateway (which honours the key) none twice."""

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from motcua.notifications.models import Notification
from motcua.notifications.services import Contact, notifications_deliver, outbox_put
from motcua.tests.liveserver import ROOT, database_url, server_env

pytestmark = pytest.mark.processes


class Gateway:
    """An SMS gateway on 127.0.0.1 that takes ``delay`` seconds per message and delivers a
    key once (a repeat is answered 200 and not delivered again)."""

    def __init__(self, delay: float):
        self.delivered: list[str] = []
        self.repeats: list[str] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(delay)
                key = self.headers["Idempotency-Key"]
                assert key == body["key"]
                (gateway.repeats if key in gateway.delivered else gateway.delivered).append(key)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def put(n: int) -> set[str]:
    for i in range(n):
        outbox_put(about=f"test:{i}", kind="k", body=f"Tin {i}", contacts=[Contact("sms", "0912")])
    return {str(k) for k in Notification.objects.values_list("key", flat=True)}


def worker(env, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_notifications", "--loop", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def run_once(env) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "send_notifications"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return done.stdout + done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_delivers_each_message_once(tmp_path):
    keys = put(30)
    gateway = Gateway(delay=0.1)
    env = {
        **server_env(database_url(tmp_path), tmp_path / "media"),
        "MOTCUA_SMS_CHANNEL": "http",
        "MOTCUA_SMS_GATEWAY_URL": gateway.url,
        "MOTCUA_NOTIFICATION_LEASE_SECONDS": "2",
    }
    log = (tmp_path / "worker.log").open("w")
    try:
        first = worker(env, log)
        try:
            wait_for(lambda: len(gateway.delivered) >= 10, 180)  # a busy machine starts slowly
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # mid-batch, as an OOM kill would
            first.wait(10)
        assert len(gateway.delivered) < 30, (tmp_path / "worker.log").read_text()
        second = worker(env, log)
        try:
            wait_for(lambda: set(gateway.delivered) == keys, 180)
            time.sleep(1)  # time to record the last one, which the gateway has just answered
        finally:
            os.killpg(second.pid, signal.SIGKILL)  # killed again, perhaps mid-send
            second.wait(10)
        time.sleep(2.5)  # the leases of messages the killed workers held run out
        assert ", lỗi 0" in run_once(env)  # what they held is settled: sent again, same key
        assert "Đã gửi 0, lỗi 0" in run_once(env)  # and nothing is left
    finally:
        gateway.close()
    assert sorted(gateway.delivered) == sorted(keys)  # every one delivered, once
    assert len(gateway.repeats) <= 2  # at most the one in flight at each kill, sent again


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_gateway_answers(db):
    put(3)

    class Watching:
        def send(self, message):
            assert not connection.in_atomic_block
            if connection.vendor == "sqlite":  # and no write lock: another writer gets in
                Notification.objects.filter(pk=message.pk).update(subject="x")

    assert notifications_deliver(channel=Watching()) == (3, 0)
    assert Notification.objects.filter(state="sent").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_message_claimed_by_a_dead_worker_is_taken_again_after_its_lease(settings):
    from datetime import timedelta

    from django.utils import timezone

    from motcua.notifications.services import notification_claim

    put(1)
    settings.NOTIFICATION_LEASE_SECONDS = 60
    claimed = notification_claim()  # ...and its worker dies here
    assert notification_claim() is None  # held while the lease runs
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    again = notification_claim()
    assert again.pk == claimed.pk and again.key == claimed.key and again.attempts == 2


def test_the_looping_worker_outlives_a_database_error(monkeypatch, db):
    """A restart of PostgreSQL or a locked SQLite file costs a retry, not the worker."""
    from django.core.management import call_command
    from django.db import OperationalError

    from motcua.notifications.management.commands import send_notifications as command

    calls = []

    def deliver(channel):
        calls.append(len(calls))
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        if len(calls) == 3:
            raise KeyboardInterrupt  # stop the loop here
        return 1, 0

    waits = []
    monkeypatch.setattr(command, "notifications_deliver", deliver)
    monkeypatch.setattr(command.time, "sleep", waits.append)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_notifications", "--loop", "--interval", "0.5", stdout=out, stderr=err)
    assert calls == [0, 1, 2]  # it went on after the error and delivered
    assert waits == [0.5]  # one wait, after the error
    assert "thử lại" in err.getvalue() and "Đã gửi 1" in out.getvalue()


def test_run_once_a_database_error_is_an_error(monkeypatch, db):
    from django.core.management import call_command
    from django.db import OperationalError

    from motcua.notifications.management.commands import send_notifications as command

    def deliver(channel):
        raise OperationalError("database is locked")

    monkeypatch.setattr(command, "notifications_deliver", deliver)
    with pytest.raises(OperationalError):
        call_command("send_notifications", stdout=io.StringIO())
