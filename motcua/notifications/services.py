"""The outbox: messages are put in the caller's transaction and delivered by a worker.

Generic on purpose: the app a message is about writes what it says (``dossiers.messages``,
later payments and tickets) and names itself in ``about``; this module only stores and sends.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.notifications.models import Notification

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Contact:
    medium: str  # Notification.Medium
    recipient: str
    subject: str = ""


def outbox_rows(*, about: str, kind: str, body: str, contacts: list[Contact]) -> list[Notification]:
    """The unsaved messages, one per contact with an address (for a caller that writes them
    in its own statement)."""
    now = timezone.now()
    return [
        Notification(
            about=about,
            kind=kind,
            medium=c.medium,
            recipient=c.recipient,
            subject=c.subject,
            body=body,
            next_attempt_at=now,
        )
        for c in contacts
        if c.recipient
    ]


def outbox_put(*, about: str, kind: str, body: str, contacts: list[Contact]) -> list[Notification]:
    """Write the messages; call inside the transaction of the change they report."""
    return Notification.objects.bulk_create(
        outbox_rows(about=about, kind=kind, body=body, contacts=contacts)
    )


def notifications_deliver(*, channel, batch: int = 100) -> tuple[int, int]:
    """Send the messages that are due; a failure is retried later with back-off, never lost.
    Returns (sent, failed)."""
    sent = failed = 0
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=Notification.State.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "pk")[:batch]
        )
        for notification in due:
            notification.attempts += 1
            try:
                channel.send(notification)
            except Exception as exc:  # a gateway error of any kind: keep it, try again
                failed += 1
                notification.last_error = str(exc)[:1000]
                if notification.attempts >= MAX_ATTEMPTS:
                    notification.state = Notification.State.FAILED
                notification.next_attempt_at = timezone.now() + timedelta(
                    minutes=2**notification.attempts
                )
            else:
                sent += 1
                notification.state = Notification.State.SENT
                notification.sent_at = timezone.now()
            notification.save()
    return sent, failed
