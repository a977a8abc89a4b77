import hashlib
import json
import uuid
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, Desk, Role, Unit
from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers.search import name_key_of


def domain_now():
    """``motcua.clock.now()`` as a field default (read at call time, so tests can set it)."""
    from motcua import clock

    return clock.now()


class Status(models.TextChoices):
    """Motcua's dossier statuses; each maps to exactly one DVCQG status code (SPEC §4)."""

    SUBMITTED = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_APPLICANT = "waiting_applicant", _("Chờ bổ sung hồ sơ")
    WAITING_PAYMENT = "waiting_payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    REJECTED = "rejected", _("Từ chối giải quyết")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


#: SPEC §4. A refusal after review ends processing with a reason: DVCQG 8 (our choice).
DVCQG_STATUS = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.WAITING_APPLICANT: 5,
    Status.WAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.REJECTED: 8,
    Status.RESULT_READY: 9,
    Status.RETURNED: 10,
}

#: Received and not finished: the appointment's clock applies (SPEC §6).
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.WAITING_APPLICANT,
    Status.WAITING_PAYMENT,
)
#: Dossiers someone still has to act on: submitted online and waiting for the desk to accept
#: them, open ones, and result-ready ones waiting for the desk to return them.
INBOX_STATUSES = (Status.SUBMITTED, *OPEN_STATUSES, Status.RESULT_READY)
INBOX_CONDITION = models.Q(status__in=[s.value for s in INBOX_STATUSES])


class Channel(models.IntegerChoices):
    """How the dossier came in (KenhThucHien)."""

    DESK = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


class ApplicantType(models.IntegerChoices):
    CITIZEN = 1, _("Công dân")
    BUSINESS = 2, _("Doanh nghiệp")
    STATE_AGENCY = 3, _("Cơ quan nhà nước")
    OTHER = 4, _("Khác")


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("Nhận tại Bộ phận một cửa")
    POST = "post", _("Nhận qua bưu chính")
    ONLINE = "online", _("Nhận trực tuyến")


class ResultKind(models.TextChoices):
    """What the decision step produced (SPEC §4: approval and signature, then the result)."""

    ELECTRONIC = "electronic", _("Bản điện tử (tệp PDF đã ký)")
    PAPER = "paper", _("Bản giấy")


class DossierCodeCounter(models.Model):
    """The last serial used by an agency for one ``YYMMDD`` of its dossier codes; locked row
    by row to allocate codes without gaps or duplicates (SPEC §5). Keyed by the date *as the
    code writes it*, so 23/11/1926 and 23/11/2026 share a counter and never give one code
    twice."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    code_day = models.CharField(max_length=6)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code_day"], name="one_counter_per_agency_code_day"
            )
        ]

    def __str__(self):
        return f"{self.agency_id} {self.code_day}: {self.last}"


class Dossier(models.Model):
    """A dossier (hồ sơ): one application for one procedure version, from receipt at a desk
    (bộ phận một cửa) of ``receiving_agency`` to the result returned; ``deciding_agency``
    handles it (ND 118: the two may differ within a province)."""

    #: Stays the same on every instance the dossier passes through (liên thông, sync).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: Given when the dossier is received; a dossier submitted online has none until then.
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    procedure_version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("thủ tục"), on_delete=models.PROTECT
    )
    # Indexed by dossier_register_idx (and the desk inbox), not by a lone FK index.
    receiving_desk = models.ForeignKey(
        Desk,
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    deciding_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan giải quyết"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.PositiveSmallIntegerField(_("kênh"), choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices)

    applicant_type = models.PositiveSmallIntegerField(
        _("loại chủ hồ sơ"), choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255)
    #: The name folded for the inbox search (" pham thi dung"), computed by the database
    #: from ``applicant_name`` on every write (``search.name_key``; migration 0006).
    applicant_name_key = models.GeneratedField(
        expression=name_key_of("applicant_name"), output_field=models.TextField(), db_persist=True
    )
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    authorised_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    authorised_id_number = models.CharField(
        _("số định danh người ủy quyền"), max_length=20, blank=True
    )
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.DESK,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    sets_received = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)

    #: The citizen's account, for a dossier submitted online (their "my dossiers").
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    #: Submitted online, the desk asked the applicant to complete it (form 02) at this time;
    #: None again once they resubmit. The status stays "submitted" meanwhile (SPEC §4).
    completion_requested_at = models.DateTimeField(
        _("yêu cầu bổ sung trực tuyến lúc"), null=True, blank=True
    )
    #: How many times the desk asked the applicant to complete it online before accepting.
    completion_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    # The clock starts at receipt (SPEC §4): none of these before it.
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả lúc"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    #: The result attached at the decision step ("" until then).
    result_kind = models.CharField(
        _("kết quả"),
        max_length=10,
        choices=ResultKind.choices,
        blank=True,
        default="",
        db_default="",
    )

    # The "current_*" columns are read through the partial inbox indexes; a lone FK index on
    # each would only slow every write (a published version's steps are never deleted).
    current_step = models.ForeignKey(
        ProcessStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    current_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    current_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    current_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)

    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    extended_at = models.DateTimeField(_("gia hạn lúc"), null=True, blank=True)
    #: An officer proposed form 04 at this time and the leader has not issued it yet (None
    #: again once extended): the leader's inbox lists the dossier (``access.waiting_at_posts``).
    extension_proposed_at = models.DateTimeField(_("đề xuất gia hạn lúc"), null=True, blank=True)

    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    postal_tracking = models.CharField(_("số vận đơn"), max_length=60, blank=True)
    closing_note = models.TextField(_("lý do"), blank=True)

    version = models.PositiveIntegerField(default=1)
    #: SHA-256 over the last event's hash and the fields below (``trace.STATE_FIELDS``): a
    #: row edited behind the services' back no longer matches its trace (``verify_audit``).
    state_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        # Inboxes read only dossiers still in someone's hands: partial indexes on those, in
        # due order, stay small and sorted however many finished dossiers pile up.
        indexes = [
            models.Index(
                fields=["current_unit", "due_at"],
                condition=INBOX_CONDITION,
                name="dossier_unit_inbox_idx",
            ),
            models.Index(
                fields=["receiving_desk", "due_at"],
                condition=INBOX_CONDITION,
                name="dossier_desk_inbox_idx",
            ),
            models.Index(
                fields=["deciding_agency", "due_at"],
                condition=INBOX_CONDITION,
                name="dossier_agency_inbox_idx",
            ),
            models.Index(
                fields=["current_assignee", "due_at"],
                condition=INBOX_CONDITION,
                name="dossier_assignee_inbox_idx",
            ),
            # The leader's share of the unit inbox: proposals of form 04 waiting for them.
            models.Index(
                fields=["deciding_agency", "due_at"],
                condition=INBOX_CONDITION & models.Q(extension_proposed_at__isnull=False),
                name="dossier_proposal_inbox_idx",
            ),
            models.Index(
                fields=["applicant_user", "submitted_at"],
                condition=models.Q(applicant_user__isnull=False),
                name="dossier_applicant_idx",
            ),
            models.Index(fields=["receiving_desk", "received_at"], name="dossier_register_idx"),
            # An agency's dossiers received or finished since a moment, for its figures
            # (``indicators.dossier_figures``): a finished dossier is found by when it
            # finished, any other by when it was received.
            models.Index(
                models.F("deciding_agency"),
                Coalesce("finished_at", "received_at"),
                name="dossier_agency_activity_idx",
            ),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self):
        return self.ref

    @property
    def ref(self) -> str:
        """How pages name the dossier: its code, or its uid before it has one."""
        return self.code or self.uid.hex

    @property
    def dvcqg_status(self) -> int:
        return DVCQG_STATUS[Status(self.status)]

    @property
    def awaits_completion(self) -> bool:
        """Submitted online, and the desk is waiting for the applicant to complete it."""
        return self.completion_requested_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def extension_pending(self) -> bool:
        """Form 04 proposed, waiting for the agency's leader to issue it."""
        return self.extension_proposed_at is not None and self.extended_at is None

    @property
    def supplement_repeated(self) -> bool:
        """Sent back to the applicant more than once: it counts as late in the indicators
        whatever its times (SPEC §9), and the second request had to give a reason."""
        return self.supplement_count >= 2

    @property
    def is_overdue(self) -> bool:
        from motcua import clock

        return self.is_open and self.due_at is not None and self.due_at < clock.now()

    @property
    def is_step_overdue(self) -> bool:
        """Past the due time of the step it is at (its own budget, SPEC §6), while its clock
        runs: waiting for the applicant or for payment stops it (the due time moves later)."""
        from motcua import clock

        return (
            self.is_open
            and self.paused_at is None
            and self.step_due_at is not None
            and self.step_due_at < clock.now()
        )


class DossierDocument(models.Model):
    """A line of the documents checklist ticked at reception (thành phần hồ sơ đã nhận)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, null=True, blank=True
    )
    name = models.CharField(max_length=500)
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """A scanned or uploaded file of a dossier, stored outside the database under a random
    name, with its SHA-256: a document handed in by the applicant, a working file of the
    officers (never public), or the result."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Thành phần hồ sơ")
        WORKING = "working", _("Hồ sơ làm việc")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.DOCUMENT, db_default=Kind.DOCUMENT
    )
    #: The action that brought it (its event names the file and its SHA-256); None for the
    #: documents of the receipt.
    event = models.ForeignKey(
        "DossierEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    #: The paper it is, when the applicant sent it for one (a required document of the
    #: online form, an item of a request to complete); "" for a scan at the desk.
    document_name = models.CharField(max_length=500, blank=True, default="", db_default="")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def served_name(self) -> str:
        """The name the file is downloaded under: its extension that of the type found in
        its content (``files.download_name``), "to-khai.bat" holding a PDF → "to-khai.pdf"."""
        from motcua.dossiers.files import download_name

        return download_name(self.original_name, self.content_type)


class AppendOnlyError(Exception):
    pass


class DossierEvent(models.Model):
    """One action on a dossier (the trace): who, when, status and step before and after, the
    note and files. Append-only, and hash-chained per dossier so a changed or deleted row is
    detected by ``manage.py verify_audit`` (SPEC §4)."""

    #: Unique across instances, like the dossier's ``uid``.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: 1: hashed over the local dossier id (rows written before uids existed); 2: over uids.
    format = models.PositiveSmallIntegerField(default=2)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    actor_name = models.CharField(max_length=255)
    at = models.DateTimeField()
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20)
    step_before = models.PositiveSmallIntegerField(null=True, blank=True)
    step_after = models.PositiveSmallIntegerField(null=True, blank=True)
    unit_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique")]

    def __str__(self):
        return f"{self.dossier_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký xử lý hồ sơ chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký xử lý hồ sơ không được xóa.")

    def canonical(self) -> bytes:
        """The bytes the hash covers. Format 2 names the dossier and the event by their uids,
        so a chain verifies on any instance the dossier is passed to."""
        identity = (
            {"dossier": self.dossier_id}
            if self.format == 1
            else {"format": 2, "uid": str(self.uid), "dossier": str(self.dossier.uid)}
        )
        payload = {
            **identity,
            "seq": self.seq,
            "action": self.action,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "status_before": self.status_before,
            "status_after": self.status_after,
            "step_before": self.step_before,
            "step_after": self.step_after,
            "unit_name": self.unit_name,
            "note": self.note,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class ReceiptKey(models.Model):
    """A sender's idempotency key: the dossier that one submission created. A peer system
    (``sender`` "api:<key id>") or a citizen's form that sends the same submission again,
    after a time-out or a double click, gets that dossier back instead of a second one."""

    sender = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sender", "key"], name="one_dossier_per_receipt_key")
        ]

    def __str__(self):
        return f"{self.sender} {self.key}"


class DeskNotice(models.Model):
    """What the desk gives an applicant whose dossier it does not receive: a request to
    complete (form 02, listing everything missing at once) or a refusal (form 03). A request
    to complete made during processing is the same paper, given through the same desk, for a
    received ``dossier``; its contact is the officer who asked, with their phone."""

    class Kind(models.TextChoices):
        COMPLETE = "complete", _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
        REFUSE = "refuse", _("Từ chối tiếp nhận hồ sơ")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    desk = models.ForeignKey(Desk, on_delete=models.PROTECT)
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT)
    applicant_name = models.CharField(max_length=255)
    applicant_id_number = models.CharField(max_length=20)
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    items = models.JSONField(default=list, blank=True)
    reason = models.TextField()
    #: None only when the system itself asked (a data migration).
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    #: The contact officer's phone; blank: the desk's (or its agency's).
    contact_phone = models.CharField(max_length=30, blank=True, default="", db_default="")
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    #: The date printed on the paper: the domain's "now" (``motcua.clock``) when it was made.
    created_at = models.DateTimeField(default=domain_now)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.applicant_name}"

    @property
    def form(self) -> str:
        """The paper it is: form 02 (complete the dossier) or form 03 (refusal)."""
        return "02" if self.kind == self.Kind.COMPLETE else "03"

    def clean(self):
        if self.kind == self.Kind.COMPLETE and not self.items:
            raise ValidationError(_("Liệt kê đầy đủ các giấy tờ cần bổ sung."))


class PaperCounter(models.Model):
    """The last number an agency gave to a form in a year: papers are numbered per agency,
    form and year (``papers.paper_issue``), under this row's lock."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    form = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "form", "year"], name="one_paper_counter_per_agency_form_year"
            )
        ]

    def __str__(self):
        return f"{self.agency_id} {self.form}/{self.year}: {self.last}"


class IssuedPaper(models.Model):
    """A paper once issued (SPEC §7): its number in the issuing agency's series for the form
    and year, and its issue date. Made by the event that makes the paper (an extension for
    form 04, a refusal for form 03…) or by the desk's notice (forms 02 and 03 at the desk);
    what the paper says is read from that event or notice, both of which never change, so
    printing it again gives the same paper. Append-only."""

    form = models.CharField(_("mẫu"), max_length=2)
    event = models.ForeignKey(
        DossierEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="papers"
    )
    desk_notice = models.OneToOneField(
        DeskNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="paper"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    serial = models.PositiveIntegerField()
    number = models.CharField(_("số"), max_length=40)
    issued_at = models.DateTimeField(_("ngày ban hành"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "form"], name="one_paper_per_event_form"),
            models.UniqueConstraint(
                fields=["agency", "form", "year", "serial"], name="one_paper_per_number"
            ),
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, desk_notice__isnull=True)
                | models.Q(event__isnull=True, desk_notice__isnull=False),
                name="paper_of_an_event_or_a_notice",
            ),
        ]
        verbose_name = _("giấy tờ đã ban hành")
        verbose_name_plural = _("giấy tờ đã ban hành")

    def __str__(self):
        return f"Mẫu {self.form} số {self.number} ({self.issued_at:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Giấy tờ đã ban hành không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Giấy tờ đã ban hành không được xóa.")


class PersonalDataRead(models.Model):
    """A look at a dossier's personal data by someone outside its handling chain: a
    superuser of the deployment (the province's IT team) reading a page, a file or a paper.
    Nghị định 13/2023/NĐ-CP on personal data asks that such processing be recorded; the rows
    are append-only, like the trace."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("lượt xem dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký xem dữ liệu cá nhân")

    def __str__(self):
        return f"{self.user_id} → {self.dossier_id} ({self.what})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký xem dữ liệu cá nhân chỉ được ghi thêm.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký xem dữ liệu cá nhân không được xóa.")


class TraceCheckpoint(models.Model):
    """A signed digest of every dossier's chain head at one moment (``manage.py
    trace_checkpoint``), each signature covering the previous one. Exported to a file kept
    apart from the database, it shows that history before it was not rewritten later, even by
    someone who recomputed every hash after the change (``verify_audit --checkpoint``)."""

    taken_at = models.DateTimeField()
    dossiers = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    previous = models.CharField(max_length=64, blank=True)
    signature = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["taken_at"]
        verbose_name = _("điểm chốt nhật ký")
        verbose_name_plural = _("điểm chốt nhật ký")

    def __str__(self):
        return f"{self.taken_at:%Y-%m-%d %H:%M} ({self.dossiers})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Điểm chốt nhật ký chỉ được ghi thêm.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Điểm chốt nhật ký không được xóa.")


class DayTally(models.Model):
    """The leaders' figures kept as they happen (ADR 0023): for one deciding agency, one
    procedure version and one day (Vietnam time), the dossiers received and finished that day
    by ``tallies.contribution``'s rules, and the change that day in the dossiers open at the
    day's first moment (summed up to a day, they give the open ones then). Written only by
    ``tallies.tally_change``, in the transaction that changes the dossier."""

    # Indexed by the two below, not by lone FK indexes.
    deciding_agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_electronic = models.IntegerField(default=0)
    finished_digitised = models.IntegerField(default=0)
    #: Summed time from receipt to result of the dossiers finished that day, microseconds.
    processing_us = models.BigIntegerField(default=0)
    open_on_time_change = models.IntegerField(default=0)
    open_overdue_change = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deciding_agency", "procedure_version", "day"],
                name="one_tally_per_agency_version_day",
            )
        ]
        indexes = [models.Index(fields=["deciding_agency", "day"], name="tally_agency_day_idx")]

    def __str__(self):
        return f"{self.deciding_agency_id} {self.procedure_version_id} {self.day}"
