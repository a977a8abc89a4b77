"""A fake SMS gateway and a real SMTP server on 127.0.0.1, for the delivery tests and the
bench. Both do what the real ones do with a repeat: the gateway delivers a key once (as
gateways that honour an idempotency key do), the SMTP server keeps one copy per Message-ID
(as mailbox providers do). Both can be down for a while."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Delivered:
    key: str
    to: str
    text: str
    body: dict
    headers: dict


class FakeSmsGateway:
    """A brand-name SMS gateway speaking JSON: it answers ``{"code": "100", "id": …}`` on
    success; while ``down`` (or until ``down_for`` seconds have passed) it answers 503. A key
    it has delivered is answered as a success again and counted in ``repeats``; a body
    without a phone number gets 400 (the message itself is refused)."""

    def __init__(
        self, *, delay: float = 0.0, down: bool = False, down_for: float = 0.0, port: int = 0
    ):
        self.delivered: dict[str, Delivered] = {}
        self.repeats: list[str] = []
        self.refused = 0
        self.down = down
        self.up_at = time.monotonic() + down_for
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                if delay:
                    time.sleep(delay)
                status, answer = gateway.receive(json.loads(raw), dict(self.headers))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # how many so far, for a client in another process
                data = json.dumps(
                    {"delivered": len(gateway.delivered), "repeats": len(gateway.repeats)}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def receive(self, body: dict, headers: dict) -> tuple[int, dict]:
        with self.lock:
            if self.down or time.monotonic() < self.up_at:
                self.refused += 1
                return 503, {"code": "503", "message": "Service Unavailable"}
            key = headers.get("Idempotency-Key", "")
            if not body.get("to"):
                return 400, {"code": "400", "message": "to is required"}
            if key in self.delivered:
                self.repeats.append(key)
            else:
                self.delivered[key] = Delivered(
                    key, body["to"], body.get("text", ""), body, headers
                )
            return 200, {"code": "100", "id": key}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Mail:
    message_id: str
    to: list[str]
    subject: str
    body: str
    headers: dict = field(default_factory=dict)


class _SmtpHandler:
    def __init__(self, server: FakeSmtpServer):
        self.server = server

    async def handle_DATA(self, smtp_server, session, envelope):
        return self.server.receive(envelope)


class FakeSmtpServer:
    """aiosmtpd on 127.0.0.1: keeps each message (one copy per Message-ID, ``repeats`` counts
    the others); while ``down`` it answers 451 (try again later) to every message."""

    def __init__(self, *, down: bool = False, port: int = 0):
        self.mails: dict[str, Mail] = {}
        self.repeats: list[str] = []
        self.refused = 0
        self.down = down
        self.port = port or free_port()
        self.controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def receive(self, envelope) -> str:
        if self.down:
            self.refused += 1
            return "451 4.3.0 Temporarily unavailable, try again later"
        message = message_from_bytes(envelope.content, policy=email_policy)
        message_id = str(message["Message-ID"])
        if message_id in self.mails:
            self.repeats.append(message_id)
        else:
            self.mails[message_id] = Mail(
                message_id=message_id,
                to=list(envelope.rcpt_tos),
                subject=" ".join(str(message["Subject"]).split()),  # unfolded
                body=message.get_content().replace("\r\n", "\n"),
                headers={k: str(v) for k, v in message.items()},
            )
        return "250 2.0.0 OK"

    def close(self):
        self.controller.stop()


if __name__ == "__main__":
    # ``python -m motcua.notifications.tests.fakes sms|smtp PORT``: one of them in a process of
    # its own (the bench: a server in the worker's process would share its interpreter lock).
    import sys

    which, port = sys.argv[1], int(sys.argv[2])
    server = FakeSmsGateway(port=port) if which == "sms" else FakeSmtpServer(port=port)
    print("ready", flush=True)
    threading.Event().wait()
