"""Feedback (phản ánh, kiến nghị — PAKN, SPEC §8) from the public about a procedure, an
agency or a dossier: routed to the agency that must answer, assigned by its leader to an
officer, answered within 15 working days on that agency's calendar, closed; an answer may be
published as a question and answer on the procedure's page.

Words used here, once:
- **tiếp nhận** (``State.RECEIVED``): sent by the public, waiting for the agency's leader;
- **đang xử lý** (``ASSIGNED``): given to an officer of the agency to answer;
- **đã trả lời** (``ANSWERED``): the answer was sent to the person (SMS / e-mail);
- **đã đóng** (``CLOSED``): the leader closed it;
- **hạn trả lời** (``due_at``): 15 working days from receipt; answered on time when
  ``answered_at`` is not after it (judged to the minute, like dossiers).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier

#: SPEC §8: answered on time within 15 working days.
ANSWER_WORKING_DAYS = 15


class AppendOnlyError(Exception):
    pass


class Feedback(models.Model):
    class About(models.TextChoices):
        PROCEDURE = "procedure", _("Thủ tục hành chính")
        AGENCY = "agency", _("Cơ quan")
        DOSSIER = "dossier", _("Hồ sơ")

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ASSIGNED = "assigned", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        CLOSED = "closed", _("Đã đóng")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    about = models.CharField(_("phản ánh về"), max_length=10, choices=About.choices)
    #: The procedure it is about, or the dossier's procedure (for the questions and answers
    #: published on the procedure's page).
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    about_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan bị phản ánh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The dossier's code as the person typed it. A code no dossier has is kept too: the
    #: form answers alike for a real and a made-up code (it must not tell which codes
    #: exist, as the look-up does not), and the agency sorts it out.
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True)
    #: The agency that must answer.
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan trả lời"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("họ tên"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    content = models.TextField(_("nội dung"), max_length=5000)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=State.choices, default=State.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("trả lời"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    #: Shown on the procedure's page as a question and answer, in words the leader chose
    #: (without the person's name or anything personal).
    published = models.BooleanField(_("công khai"), default=False)
    public_question = models.TextField(_("câu hỏi công khai"), blank=True, max_length=2000)
    public_answer = models.TextField(_("trả lời công khai"), blank=True, max_length=5000)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(about="procedure") & Q(procedure__isnull=False))
                | (Q(about="agency") & Q(about_agency__isnull=False))
                | (Q(about="dossier") & ~Q(dossier_code="")),
                name="feedback_about_names_its_subject",
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="feedback_has_a_contact"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["received", "assigned"], answered_at__isnull=True)
                | Q(state__in=["answered", "closed"], answered_at__isnull=False),
                name="feedback_answered_iff_answered_at",
            ),
            models.CheckConstraint(
                condition=Q(published=False) | (~Q(public_answer="") & Q(procedure__isnull=False)),
                name="feedback_published_has_an_answer",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("received_at")), name="feedback_due_after_receipt"
            ),
        ]
        indexes = [
            # An agency's list, open first by due time; its figures by period.
            models.Index(fields=["agency", "state", "due_at"], name="feedback_agency_idx"),
            models.Index(fields=["agency", "received_at"], name="feedback_period_idx"),
            models.Index(
                fields=["procedure", "published_at"],
                condition=Q(published=True),
                name="feedback_published_idx",
            ),
        ]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.ASSIGNED)

    @property
    def answered_on_time(self) -> bool | None:
        """SPEC §8: answered within 15 working days (to the minute); None while unanswered."""
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


EVENT_LABELS = {
    "receive": _("Gửi phản ánh"),
    "assign": _("Giao xử lý"),
    "answer": _("Trả lời"),
    "close": _("Đóng phản ánh"),
    "publish": _("Công khai / thôi công khai hỏi đáp"),
}


class FeedbackEvent(models.Model):
    """What was done to a feedback, by whom and when (append-only, like the dossiers' trace,
    without its hash chain)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    actor_name = models.CharField(max_length=255)
    at = models.DateTimeField()
    state_after = models.CharField(max_length=10)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback", "at", "pk"]

    def __str__(self):
        return f"{self.feedback_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Lịch sử phản ánh chỉ được ghi thêm.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Lịch sử phản ánh không được xóa.")

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))
