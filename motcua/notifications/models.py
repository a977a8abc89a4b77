import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to a person (SMS or e-mail), written to this outbox in the same transaction
    as the change it reports, then delivered by the worker (``manage.py send_notifications``).

    The outbox stores and sends; what a message says is written by the app it is about
    (dossiers, payments, tickets…), which names it in ``about`` (e.g. ``dossier:<uid>``)."""

    class Medium(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", _("Thư điện tử")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        #: Claimed by a worker until ``next_attempt_at`` (its lease): if the worker dies, the
        #: message is claimed again after that, and sent again with the same ``key``.
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    #: Passed to the gateway with each attempt, so a retry after a crash is not sent twice
    #: by a gateway that honours it.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    about = models.CharField(max_length=80, blank=True, db_index=True)
    kind = models.CharField(max_length=40)
    medium = models.CharField(max_length=10, choices=Medium.choices)
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")

    def __str__(self):
        return f"{self.medium} → {self.recipient}: {self.kind}"
