from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AgencyLevel, Role
from motcua.catalog.text import fold, sort_key
from motcua.workcalendar.calendar import TimeUnit


class Field(models.Model):
    """A field (lĩnh vực) that procedures belong to: Hộ tịch, Đất đai, Xây dựng…"""

    code = models.SlugField(_("mã lĩnh vực"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính, TTHC) by its national code (e.g.
    ``1.001193``). Its content lives in versions, since a procedure changes by decision
    (quyết định công bố) and a dossier stays tied to the version it was received under."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản đang áp dụng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        name = self.current_version.name if self.current_version_id else ""
        return f"{self.code} – {name}" if name else self.code


class OnlineLevel(models.TextChoices):
    """Online service level under Nghị định 42/2022."""

    NONE = "none", _("Trực tiếp")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class ProcedureVersion(models.Model):
    """One version of a procedure's content, as published by a decision. Only a draft may be
    edited; publishing supersedes the previous version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đang áp dụng")
        SUPERSEDED = "superseded", _("Đã thay thế")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("số phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.CharField(_("quyết định công bố"), max_length=255, blank=True)
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    fields = models.ManyToManyField(Field, verbose_name=_("lĩnh vực"), related_name="versions")
    agency_levels = models.ManyToManyField(
        AgencyLevel, verbose_name=_("cấp thực hiện"), related_name="procedure_versions"
    )
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"),
        max_length=20,
        choices=[
            (TimeUnit.WORKING_DAYS.value, _("ngày làm việc")),
            (TimeUnit.CALENDAR_DAYS.value, _("ngày (theo lịch)")),
            (TimeUnit.SAME_DAY.value, _("trong ngày")),
            (TimeUnit.WORKING_HOURS.value, _("giờ làm việc")),
        ],
        default=TimeUnit.WORKING_DAYS.value,
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default="none"
    )
    post_allowed = models.BooleanField(
        _("nhận hồ sơ qua bưu chính công ích"),
        default=False,
        help_text=_("Người dân được gửi hồ sơ qua dịch vụ bưu chính công ích."),
    )
    applicants = models.CharField(_("đối tượng thực hiện"), max_length=255, blank=True)
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_document = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    sets_required = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    is_interop = models.BooleanField(_("liên thông"), default=False)
    interop_level = models.ForeignKey(
        AgencyLevel,
        verbose_name=_("liên thông lên cấp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Folded to lower-case ASCII and padded with spaces (catalog.search.padded), for search:
    # name, code and fields; and the name alone, for ranking.
    search_text = models.TextField(editable=False, default="")
    search_name = models.TextField(editable=False, default="")
    # The name's Vietnamese order (catalog.text.sort_key), compared code point by code point.
    sort_key = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=models.Q(status="published"),
                name="one_published_version_per_procedure",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="version_status_idx")]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")

    def __str__(self):
        return f"{self.procedure.code} v{self.number} – {self.name}"

    @property
    def processing_hours(self) -> Decimal:
        from motcua.workcalendar.calendar import processing_hours

        return processing_hours(self.processing_time, self.time_unit)

    def clean(self):
        if self.time_unit == TimeUnit.CALENDAR_DAYS and self.processing_time != int(
            self.processing_time
        ):
            raise ValidationError(
                {"processing_time": _("Thời hạn tính theo ngày lịch phải là số nguyên.")}
            )
        if self.time_unit != TimeUnit.SAME_DAY and self.processing_time <= 0:
            raise ValidationError(
                {
                    "processing_time": _(
                        "Thời hạn giải quyết phải lớn hơn 0 (hoặc chọn “trong ngày”)."
                    )
                }
            )
        if self.is_interop and not self.interop_level_id:
            raise ValidationError(
                {"interop_level": _("Thủ tục liên thông phải chọn cấp liên thông tới.")}
            )

    def refresh_search_text(self, field_names: list[str]) -> None:
        """Fill the columns search and sorting read (``search_text``, ``search_name``,
        ``sort_key``) from the name, the code and ``field_names``."""
        self.search_text = (
            " "
            + " ".join(fold(part) for part in [self.name, self.procedure.code, *field_names])
            + " "
        )
        self.search_name = f" {fold(self.name)} "
        self.sort_key = sort_key(self.name)

    @property
    def channels(self) -> list[tuple[int, str]]:
        """How a dossier may be handed in (SPEC §4, ``KenhThucHien``): at the desk always,
        online when the online level allows it, by public post when the procedure allows it."""
        from motcua.dossiers.models import Channel

        found = [Channel.DESK]
        if self.accepts_online:
            found.append(Channel.ONLINE)
        if self.post_allowed:
            found.append(Channel.POST)
        return [(c.value, c.label) for c in found]

    @property
    def accepts_online(self) -> bool:
        """Online submission: a procedure of level "một phần" or "toàn trình" (ND 42/2022)."""
        return self.online_level in (OnlineLevel.PARTIAL, OnlineLevel.FULL)

    @property
    def processing_time_display(self) -> str:
        if self.time_unit == TimeUnit.SAME_DAY:
            return str(_("Trong ngày làm việc (nhận sau 15 giờ: trả ngày làm việc tiếp theo)"))
        amount = self.processing_time.normalize()
        amount_text = f"{amount:f}".replace(".", ",")
        return f"{amount_text} {self.get_time_unit_display()}"


def form_upload_to(document: "RequiredDocument", filename: str) -> str:
    """Forms are kept with their version, under a random name with the extension of what
    they are (``catalog.formfiles`` names the upload so): forms/1.001193/v2/<uuid>.docx."""
    import uuid
    from pathlib import PurePath

    version = document.version
    code = "".join(c for c in version.procedure.code if c.isalnum() or c in ".-_") or "tt"
    extension = PurePath(filename).suffix.lower()
    return f"forms/{code}/v{version.number}/{uuid.uuid4().hex}{extension}"


class RequiredDocument(models.Model):
    """A document the applicant must submit (thành phần hồ sơ), with how many originals and
    copies, and optionally the blank form to fill in (mẫu đơn, tờ khai) and a sample of it
    filled in (mẫu đã điền sẵn), both files kept with the version: a new version gets its own
    copies, a superseded one keeps its own."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    is_optional = models.BooleanField(_("nộp khi có"), default=False)
    form_file = models.FileField(
        _("mẫu đơn, tờ khai"),
        upload_to=form_upload_to,
        max_length=255,
        blank=True,
        help_text=_("Tệp DOCX hoặc PDF."),
    )
    form_name = models.CharField(_("tên mẫu"), max_length=255, blank=True)
    sample_file = models.FileField(
        _("mẫu đã điền sẵn"),
        upload_to=form_upload_to,
        max_length=255,
        blank=True,
        help_text=_("Một bản khai mẫu để người dân tham khảo (DOCX hoặc PDF)."),
    )

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name

    def clean(self):
        if self.originals == 0 and self.copies == 0:
            raise ValidationError(_("Mỗi giấy tờ cần ít nhất một bản chính hoặc một bản sao."))


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) of a procedure, in đồng, with when it is paid."""

    class PaidWhen(models.TextChoices):
        ON_SUBMISSION = "before", _("Khi nộp hồ sơ")
        ON_RESULT = "after", _("Khi nhận kết quả")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    description = models.CharField(_("nội dung"), max_length=500)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    paid_when = models.CharField(
        _("thời điểm nộp"), max_length=10, choices=PaidWhen.choices, default="before"
    )
    exemptions = models.CharField(_("miễn, giảm"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return f"{self.description}: {self.amount_display}"

    @property
    def amount_display(self) -> str:
        from motcua.catalog.templatetags.money import vnd

        return vnd(self.amount)


class ProcessStep(models.Model):
    """A step of the internal process (quy trình nội bộ): who handles it (a role in a unit of
    the given function), what it does and its time budget in working hours."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("nội dung công việc"), max_length=500)
    role = models.CharField(_("người thực hiện"), max_length=20, choices=Role.choices)
    unit_function = models.SlugField(
        _("chức năng đơn vị"),
        max_length=40,
        blank=True,
        help_text=_("Để trống nếu là bộ phận một cửa hoặc lãnh đạo cơ quan."),
    )
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="step_order_unique")
        ]
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")

    def __str__(self):
        return f"{self.order}. {self.name}"
