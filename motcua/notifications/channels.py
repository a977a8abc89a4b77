"""Delivery channels: a small interface that SMS and e-mail gateways implement. Each send
carries the message's ``key``: a gateway that honours it delivers a message once, however
many times a worker (killed after sending, before recording it) sends it."""

import json
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings


class Channel:
    def send(self, notification) -> None:  # raises on failure
        raise NotImplementedError


class ConsoleChannel(Channel):
    def send(self, notification) -> None:
        print(f"[{notification.medium} → {notification.recipient}] {notification.body}")


class FileChannel(Channel):
    """Appends each message as a JSON line to ``var/outbox/messages.jsonl`` (development):
    a key already written is not written again."""

    def __init__(self, path: Path | None = None):
        self.path = path or settings.VAR_DIR / "outbox" / "messages.jsonl"
        self._keys: set[str] | None = None

    def _written(self) -> set[str]:
        if self._keys is None:
            self._keys = set()
            if self.path.exists():
                for line in self.path.read_text(encoding="utf-8").splitlines():
                    self._keys.add(json.loads(line).get("key", ""))
        return self._keys

    def send(self, notification) -> None:
        key = str(notification.key)
        if key in self._written():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "key": key,
            "id": notification.pk,
            "medium": notification.medium,
            "to": notification.recipient,
            "subject": notification.subject,
            "body": notification.body,
        }
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._keys.add(key)


class HttpChannel(Channel):
    """POSTs each message as JSON to ``MOTCUA_NOTIFICATION_GATEWAY_URL`` (an SMS / e-mail
    gateway, or a relay in front of one) with an ``Idempotency-Key`` header; any answer but
    2xx, or no answer within the timeout, is a failure to retry."""

    def __init__(self, url: str | None = None, timeout: float = 10.0):
        self.url = url or settings.NOTIFICATION_GATEWAY_URL
        self.timeout = timeout

    def send(self, notification) -> None:
        body = json.dumps(
            {
                "key": str(notification.key),
                "medium": notification.medium,
                "to": notification.recipient,
                "subject": notification.subject,
                "body": notification.body,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": str(notification.key),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            raise ConnectionError(f"Cổng gửi tin trả lời {exc.code}") from exc


CHANNELS = {"console": ConsoleChannel, "file": FileChannel, "http": HttpChannel}


def channel_get() -> Channel:
    return CHANNELS[settings.NOTIFICATION_CHANNEL]()
