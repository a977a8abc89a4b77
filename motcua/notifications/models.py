import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Medium(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", _("Thư điện tử")


class Notification(models.Model):
    """A message to a person (SMS or e-mail), written to this outbox in the same transaction
    as the change it reports, then delivered by the worker (``manage.py send_notifications``).

    The outbox stores and sends; what a message says is chosen by the app it is about
    (dossiers, payments, tickets…), which names it in ``about`` (e.g. ``dossier:<uid>``), and
    written from the administrator's template of its ``kind`` (``texts.py``)."""

    Medium = Medium

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        #: Claimed by a worker until ``next_attempt_at`` (its lease): if the worker dies, the
        #: message is claimed again after that, and sent again with the same ``key``.
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        #: Not sent: the person stopped this kind of message on this channel (opt-out).
        SKIPPED = "skipped", _("Không gửi (người nhận đã từ chối)")

    #: Passed to the gateway with each attempt, so a retry after a crash is not sent twice
    #: by a gateway that honours it.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    about = models.CharField(max_length=80, blank=True, db_index=True)
    kind = models.CharField(max_length=40)
    medium = models.CharField(max_length=10, choices=Medium.choices)
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField()
    #: The person must be told (a receipt, an extension): sent even after an opt-out.
    required = models.BooleanField(default=False)
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


class MessageTemplate(models.Model):
    """What a message of one kind says on one medium, as an administrator wrote it. Without
    a row, the kind's default text (``kinds.py``) is used; ``load_message_templates`` writes
    the defaults here so they can be edited."""

    kind = models.CharField(_("loại tin"), max_length=40)
    medium = models.CharField(_("kênh"), max_length=10, choices=Medium.choices)
    subject = models.CharField(
        _("tiêu đề thư"), max_length=255, blank=True, help_text=_("Chỉ dùng cho thư điện tử.")
    )
    body = models.TextField(_("nội dung"))
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "medium"], name="one_template_per_kind_medium")
        ]
        ordering = ["kind", "medium"]
        verbose_name = _("mẫu tin nhắn")
        verbose_name_plural = _("mẫu tin nhắn")

    def __str__(self):
        return f"{self.kind} ({self.get_medium_display()})"

    def clean(self):
        from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

        from motcua.notifications.texts import template_errors

        errors = template_errors(
            kind=self.kind, medium=self.medium, subject=self.subject, body=self.body
        )
        # The kind and medium of a saved template are not on its form: said above the form.
        for name in ("kind", "medium"):
            if name in errors:
                errors[NON_FIELD_ERRORS] = errors.pop(name)
        if errors:
            raise ValidationError(errors)


class OptOut(models.Model):
    """A person stopped the messages that may be stopped on one channel, for one phone number
    or e-mail address (normalised: ``optout.normalise``). Deleted when they ask for them
    again."""

    medium = models.CharField(_("kênh"), max_length=10, choices=Medium.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    created_at = models.DateTimeField(_("từ lúc"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["medium", "recipient"], name="one_optout_per_address")
        ]
        verbose_name = _("người từ chối nhận tin")
        verbose_name_plural = _("người từ chối nhận tin")

    def __str__(self):
        return f"{self.get_medium_display()}: {self.recipient}"
