"""The outbox: messages are put in the caller's transaction and delivered by a worker.

Generic on purpose: the app a message is about chooses which message and gives its data
(``dossiers.messages``, later payments and tickets) and names itself in ``about``; the text
comes from the kind's template (``texts.py``); this module stores and sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.notifications import texts
from motcua.notifications.channels import NO_REASON, Undeliverable
from motcua.notifications.kinds import kind_get, kinds_all
from motcua.notifications.models import MessageTemplate, Notification, OptOut
from motcua.notifications.optout import normalise

MAX_ATTEMPTS = 8
#: The namespace of keys made from an idempotency name (``once``).
_ONCE = uuid.UUID("5b0e8a53-3c1e-4a57-9f0c-5d3c1a7e2b61")


@dataclass(frozen=True)
class Contact:
    medium: str  # Notification.Medium
    recipient: str
    #: Only for a message given as ready text (``body=``); templates write their own.
    subject: str = ""


def outbox_rows(
    *,
    about: str,
    kind: str,
    contacts: list[Contact],
    data: Mapping[str, object] | None = None,
    body: str | None = None,
    once: str = "",
) -> list[Notification]:
    """The unsaved messages, one per contact with an address (for a caller that writes them
    in its own statement). With ``data``, each is written from the template of ``kind`` on
    its medium (the kind must be registered); with ``body``, that text is sent as it is
    (an SMS still loses its diacritics). ``once``: an idempotency name — its messages get
    keys made from it, so putting them again stores nothing (``outbox_put``)."""
    if (data is None) == (body is None):
        raise TypeError("outbox_rows: give either data (a template's values) or body")
    spec = kind_get(kind)
    now = timezone.now()
    rows = []
    for contact in contacts:
        if not contact.recipient:
            continue
        if data is not None:
            subject, text = texts.render(
                kind=kind, medium=contact.medium, data=data, recipient=contact.recipient
            )
        else:
            subject = contact.subject
            text = texts.sms_text(body) if contact.medium == "sms" else body
        row = Notification(
            about=about,
            kind=kind,
            medium=contact.medium,
            recipient=contact.recipient,
            subject=subject,
            body=text,
            required=bool(spec and spec.required),
            next_attempt_at=now,
        )
        if once:
            row.key = uuid.uuid5(_ONCE, f"{once}|{contact.medium}|{contact.recipient}")
        rows.append(row)
    return rows


def outbox_put(
    *,
    about: str,
    kind: str,
    contacts: list[Contact],
    data: Mapping[str, object] | None = None,
    body: str | None = None,
    once: str = "",
) -> list[Notification]:
    """Write the messages (as ``outbox_rows`` describes them); call inside the transaction
    of the change they report. Messages whose key is already stored (``once``) are not
    stored again."""
    rows = outbox_rows(about=about, kind=kind, contacts=contacts, data=data, body=body, once=once)
    if once:
        taken = set(
            Notification.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
        )
        rows = [r for r in rows if r.key not in taken]
        return Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.bulk_create(rows)


# --- delivery ------------------------------------------------------------------------------


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


def opted_out(*, medium: str, recipient: str) -> bool:
    return OptOut.objects.filter(medium=medium, recipient=normalise(medium, recipient)).exists()


def error_text(exc: BaseException) -> str:
    """What the delivery status shows of a failure: the error's own words, or its kind and
    "không rõ lý do" when it has none (an SMTP server that hung up says nothing)."""
    said = str(exc).strip()
    return (said or f"{type(exc).__name__}: {NO_REASON}")[:1000]


def notifications_deliver(*, channel, batch: int = 100) -> tuple[int, int]:
    """Send up to ``batch`` messages that are due, one at a time: claimed and committed each
    on its own, sent with its ``key`` (a gateway that honours it never delivers one twice,
    even when a worker killed after sending sends it again); a failure is retried with
    back-off and given up after ``MAX_ATTEMPTS``, at once when the gateway refuses the
    message itself (``Undeliverable``). A message the person stopped (opt-out) and that is
    not required is recorded as skipped. Returns (sent, failed)."""
    sent = failed = 0
    try:
        for _ in range(batch):
            message = notification_claim()
            if message is None:
                break
            if not message.required and opted_out(
                medium=message.medium, recipient=message.recipient
            ):
                # Not an attempt: nothing was sent.
                _settle(message, state=Notification.State.SKIPPED, attempts=message.attempts - 1)
                continue
            try:
                channel.send(message)
            except Exception as exc:  # a gateway error of any kind: keep it, try again later
                failed += 1
                given_up = isinstance(exc, Undeliverable) or message.attempts >= MAX_ATTEMPTS
                wait = settings.NOTIFICATION_RETRY_SECONDS * 2**message.attempts
                _settle(
                    message,
                    state=Notification.State.FAILED if given_up else Notification.State.PENDING,
                    last_error=error_text(exc),
                    next_attempt_at=timezone.now() + timedelta(seconds=wait),
                )
            else:
                sent += 1
                _settle(message, state=Notification.State.SENT, sent_at=timezone.now())
    finally:
        close = getattr(channel, "close", None)
        if close is not None:
            close()  # e.g. the SMTP connection kept open for the batch
    return sent, failed


# --- opting out ----------------------------------------------------------------------------


def opt_out_set(*, medium: str, recipient: str, stopped: bool) -> None:
    """Stop (or resume) the messages that may be stopped, on ``medium`` to ``recipient``."""
    address = normalise(medium, recipient)
    if stopped:
        OptOut.objects.get_or_create(medium=medium, recipient=address)
    else:
        OptOut.objects.filter(medium=medium, recipient=address).delete()


# --- templates -----------------------------------------------------------------------------


def message_templates_load(*, reset: bool = False) -> tuple[int, int]:
    """Write the default template of every registered kind and medium that has none (with
    ``reset``, put the defaults back over the administrators' edits). Returns (created,
    reset)."""
    created = overwritten = 0
    with transaction.atomic():
        for spec in kinds_all():
            for medium in spec.media:
                subject, body = spec.default(medium)
                row, made = MessageTemplate.objects.get_or_create(
                    kind=spec.name, medium=medium, defaults={"subject": subject, "body": body}
                )
                created += made
                if reset and not made and (row.subject, row.body) != (subject, body):
                    row.subject, row.body = subject, body
                    row.save()
                    overwritten += 1
    texts.templates_changed()
    return created, overwritten
