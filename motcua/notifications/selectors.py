"""Reads of the outbox for pages."""

from __future__ import annotations

from motcua.notifications.kinds import kind_get, kinds_all
from motcua.notifications.models import Notification


def recipient_masked(medium: str, recipient: str) -> str:
    """Enough to recognise an address, not to copy it: ``091****678``, ``ng***@gmail.com``."""
    if medium == "email":
        name, _at, domain = recipient.partition("@")
        return f"{name[:2]}***@{domain}" if domain else "***"
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return f"{recipient[:3]}{'*' * (len(recipient) - 6)}{recipient[-3:]}"


def notification_list_about(*, about: str) -> list[dict]:
    """The messages about one thing (``dossier:<uid>``), oldest first, as the delivery status
    shows them: kind, medium, masked recipient, state, attempts, last error. One query."""
    rows = (
        Notification.objects.filter(about=about)
        .order_by("created_at", "pk")
        .only(
            "kind", "medium", "recipient", "state", "attempts", "last_error", "created_at",
            "sent_at",
        )
    )  # fmt: skip
    out = []
    for row in rows:
        spec = kind_get(row.kind)
        out.append(
            {
                "kind": spec.label if spec else row.kind,
                "medium": row.get_medium_display(),
                "recipient": recipient_masked(row.medium, row.recipient),
                "state": row.state,
                "state_label": row.get_state_display(),
                "attempts": row.attempts,
                "last_error": row.last_error,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
            }
        )
    return out


def kinds_required() -> list[str]:
    """The labels of the messages sent even after an opt-out (the opt-out page says so)."""
    return [spec.label for spec in kinds_all() if spec.required]
