"""Tasks a leader assigns (nhiệm vụ giao), as in the seed article's "Theo dõi thực hiện nhiệm
vụ của Chủ tịch UBND huyện giao": the chairman gives a unit a task with a deadline and follows
its progress on a page that shows each unit's record.

Words used here, once:
- **nhiệm vụ** (``Task``): a piece of work a leader of an agency (lãnh đạo cơ quan: the
  chairman or a vice-chairman of an UBND, a director of a Sở) gives to units, with a deadline;
- **văn bản giao việc** (``Task.source_document``): the document the task comes from (a
  conclusion notice, a directive, a meeting's minutes: "Thông báo số 45/TB-UBND…");
- **đơn vị chủ trì** (``TaskAssignee`` with role ``lead``): the unit answerable for the task,
  which reports its progress, asks for more time and reports it done;
- **đơn vị phối hợp** (role ``coordinating``): units that help and report their part;
- **gia hạn** (``TaskExtension``): more time, asked by the lead unit and granted or refused by
  the leader who assigned the task;
- **đúng hạn / trễ hạn / quá hạn**: finished by the deadline / finished after it / still open
  after it (judged to the minute, SPEC §6).

An "assignee" is a unit (phòng, ban, công chức chuyên môn) of the assigning agency, or an
agency below it (a Sở or a commune under the province): the seed's chairman assigns to the
district's departments and to its communes alike. For an agency, its leaders answer.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Unit


class AppendOnlyError(Exception):
    pass


class Task(models.Model):
    """A task (nhiệm vụ) given by a leader of ``agency`` to a lead unit and coordinating units,
    due ``working_days`` working days after it was assigned, on ``agency``'s calendar."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan giao"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giao"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by_name = models.CharField(_("người giao"), max_length=255)
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    content = models.TextField(_("nội dung"), blank=True)
    source_document = models.CharField(_("văn bản giao việc"), max_length=500, blank=True)
    assigned_at = models.DateTimeField(_("giao lúc"))
    working_days = models.DecimalField(
        _("thời hạn (ngày làm việc)"), max_digits=5, decimal_places=1
    )
    due_at = models.DateTimeField(_("hạn hoàn thành"))
    original_due_at = models.DateTimeField(_("hạn ban đầu"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    #: The lead unit's last reported percentage.
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
            models.CheckConstraint(
                condition=Q(status="open", finished_at__isnull=True)
                | Q(status="done", finished_at__isnull=False),
                name="task_finished_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=F("assigned_at")), name="task_due_after_assignment"
            ),
        ]
        indexes = [
            # A leader's page: their tasks in an agency, by period.
            models.Index(fields=["agency", "assigned_by", "assigned_at"], name="task_board_idx"),
            # The daily reminders read only open tasks, in due order.
            models.Index(fields=["due_at"], condition=Q(status="open"), name="task_open_due_idx"),
        ]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self):
        return self.title

    @property
    def ref(self) -> str:
        return self.uid.hex

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_extended(self) -> bool:
        return self.due_at != self.original_due_at


class TaskAssignee(models.Model):
    """A unit (or an agency below the assigning one) given the task: the lead (chủ trì) or a
    coordinating one (phối hợp). ``agency`` is always set (a unit's own agency); ``unit`` is
    empty when the whole agency is given the task, and then its leaders answer for it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Chủ trì")
        COORDINATING = "coordinating", _("Phối hợp")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignees")
    role = models.CharField(_("vai trò"), max_length=15, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The last percentage this assignee reported for its part.
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)

    class Meta:
        ordering = ["task", "-role", "pk"]  # "lead" before "coordinating"
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(role="lead"), name="task_one_lead"
            ),
            models.UniqueConstraint(
                fields=["task", "unit"],
                condition=Q(unit__isnull=False),
                name="task_unit_once",
            ),
            models.UniqueConstraint(
                fields=["task", "agency"],
                condition=Q(unit__isnull=True),
                name="task_agency_once",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "role"], name="task_assignee_unit_idx"),
            models.Index(fields=["agency", "role"], name="task_assignee_agency_idx"),
        ]
        verbose_name = _("đơn vị thực hiện")
        verbose_name_plural = _("đơn vị thực hiện")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.unit_id:
            return self.unit.name
        return self.agency.short_name or self.agency.name

    @property
    def key(self) -> str:
        """How forms name an assignee: ``u:<unit id>`` or ``a:<agency id>``."""
        return f"u:{self.unit_id}" if self.unit_id else f"a:{self.agency_id}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Nhật ký nhiệm vụ chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AppendOnlyError("Nhật ký nhiệm vụ không được xóa.")


class TaskEvent(models.Model):
    """One change to a task (its history): assigned, a progress report, completed, an
    extension asked, granted or refused. Who, when, for which unit, the percentage, the
    note, the deadline before and after. Append-only: saving an existing row, deleting one,
    or ``update()``/``delete()`` on a queryset raises."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Giao nhiệm vụ")
        REPORTED = "reported", _("Báo cáo tiến độ")
        COMPLETED = "completed", _("Báo cáo hoàn thành")
        EXTENSION_REQUESTED = "extension_requested", _("Đề nghị gia hạn")
        EXTENSION_APPROVED = "extension_approved", _("Đồng ý gia hạn")
        EXTENSION_REFUSED = "extension_refused", _("Không đồng ý gia hạn")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=255)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    #: The unit the report or request was made for (empty for the leader's own actions).
    assignee = models.ForeignKey(
        TaskAssignee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee_name = models.CharField(_("đơn vị"), max_length=255, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    note = models.TextField(_("nội dung"), blank=True)
    due_before = models.DateTimeField(_("hạn trước"), null=True, blank=True)
    due_after = models.DateTimeField(_("hạn sau"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["task", "at", "pk"]
        verbose_name = _("nhật ký nhiệm vụ")
        verbose_name_plural = _("nhật ký nhiệm vụ")

    def __str__(self):
        return f"{self.task_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký nhiệm vụ chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký nhiệm vụ không được xóa.")


class TaskFile(models.Model):
    """A file given with a task (the assigning document) or with a report, checked by its
    content like a dossier's files (``dossiers/files.py``) and served only as a download
    after the access check."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="files")
    event = models.ForeignKey(TaskEvent, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="tasks/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp nhiệm vụ")
        verbose_name_plural = _("tệp nhiệm vụ")

    def __str__(self):
        return self.original_name


class TaskExtension(models.Model):
    """A request for more time (đề nghị gia hạn) by the lead unit: ``days`` working days more,
    counted from the deadline in force when asked (``due_before``) to ``proposed_due_at``.
    The assigner grants it (the deadline moves once, to ``proposed_due_at``) or refuses it.
    One request at a time may wait for a decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đã đồng ý")
        REFUSED = "refused", _("Không đồng ý")
        CANCELLED = "cancelled", _("Không còn hiệu lực (nhiệm vụ đã hoàn thành)")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_by_name = models.CharField(max_length=255)
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    days = models.DecimalField(_("số ngày làm việc xin thêm"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("lý do"))
    due_before = models.DateTimeField(_("hạn đang áp dụng"))
    proposed_due_at = models.DateTimeField(_("hạn đề nghị"))
    state = models.CharField(
        _("kết quả"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=255, blank=True)
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["task", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="pending"), name="task_one_pending_extension"
            ),
            models.CheckConstraint(
                condition=Q(proposed_due_at__gt=F("due_before")),
                name="task_extension_moves_later",
            ),
        ]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")

    def __str__(self):
        return f"{self.task_id}: +{self.days} ({self.state})"


class TaskReminder(models.Model):
    """A reminder sent for a task on one day (``manage.py task_reminders``): at most one of
    each kind per task per day, however often the command runs."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "day"], name="task_reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.task_id} {self.kind} {self.day}"
