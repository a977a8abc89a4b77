"""The outbox: messages are put in the caller's transaction and delivered by a worker.

Generic on purpose: the app a message is about writes what it says (``dossiers.messages``,
later payments and tickets) and names itself in ``about``; this module only stores and sends.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
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


def _lease() -> timedelta:
    """How long a worker holds a claimed message before another may take it (a dead
    worker's): longer than any gateway call may take."""
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def notification_claim() -> Notification | None:
    """Take the next message due (or one whose worker died holding it) in a short
    transaction of its own, so no write transaction is held while the gateway answers."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                state__in=[Notification.State.PENDING, Notification.State.SENDING],
                next_attempt_at__lte=now,
            )
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if message is None:
            return None
        message.state = Notification.State.SENDING
        message.attempts += 1
        message.next_attempt_at = now + _lease()
        message.save(update_fields=["state", "attempts", "next_attempt_at"])
    return message


def _settle(message: Notification, **changes) -> bool:
    """Record the outcome of this worker's attempt, unless the lease ran out and another
    worker took the message meanwhile (then that one records its own)."""
    mine = Notification.objects.filter(
        pk=message.pk, state=Notification.State.SENDING, attempts=message.attempts
    )
    return mine.update(**changes) == 1


def notifications_deliver(*, channel, batch: int = 100) -> tuple[int, int]:
    """Send up to ``batch`` messages that are due, one at a time: claimed and committed each
    on its own, sent with its ``key`` (a gateway that honours it never delivers one twice,
    even when a worker killed after sending sends it again); a failure is retried with
    back-off, and given up after ``MAX_ATTEMPTS``. Returns (sent, failed)."""
    sent = failed = 0
    for _ in range(batch):
        message = notification_claim()
        if message is None:
            break
        try:
            channel.send(message)
        except Exception as exc:  # a gateway error of any kind: keep it, try again later
            failed += 1
            given_up = message.attempts >= MAX_ATTEMPTS
            _settle(
                message,
                state=Notification.State.FAILED if given_up else Notification.State.PENDING,
                last_error=str(exc)[:1000],
                next_attempt_at=timezone.now() + timedelta(minutes=2**message.attempts),
            )
        else:
            sent += 1
            _settle(message, state=Notification.State.SENT, sent_at=timezone.now())
    return sent, failed
