"""Delivery channels: a small interface, so real SMS / e-mail gateways slot in later."""

import json
from pathlib import Path

from django.conf import settings


class Channel:
    def send(self, notification) -> None:  # raises on failure
        raise NotImplementedError


class ConsoleChannel(Channel):
    def send(self, notification) -> None:
        print(f"[{notification.medium} → {notification.recipient}] {notification.body}")


class FileChannel(Channel):
    """Appends each message as a JSON line to ``var/outbox/messages.jsonl``."""

    def __init__(self, path: Path | None = None):
        self.path = path or settings.VAR_DIR / "outbox" / "messages.jsonl"

    def send(self, notification) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "id": notification.pk,
            "medium": notification.medium,
            "to": notification.recipient,
            "subject": notification.subject,
            "body": notification.body,
        }
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


CHANNELS = {"console": ConsoleChannel, "file": FileChannel}


def channel_get() -> Channel:
    return CHANNELS[settings.NOTIFICATION_CHANNEL]()
