from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.Model):
    """A level of government (cấp): tỉnh, huyện, xã, bộ… Levels are data, not code (SPEC §1):
    since 1 July 2025 most provinces have two (tỉnh → xã), older deployments three."""

    code = models.SlugField(_("mã cấp"), max_length=20, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("thứ bậc"), help_text=_("0 là cấp cao nhất; số càng lớn càng gần người dân.")
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("cấp hành chính")
        verbose_name_plural = _("cấp hành chính")

    def __str__(self):
        return self.name


#: How a people's committee is named, and the kinds of administrative unit (longest first).
_COMMITTEE = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")
_UNIT_KINDS = ("thành phố ", "thị trấn ", "thị xã ", "đặc khu ", "phường ", "huyện ", "quận ",
               "tỉnh ", "xã ")  # fmt: skip


def _committee_place(name: str) -> str:
    text = " ".join(name.split())
    for prefix in _COMMITTEE:
        if text.lower().startswith(prefix):
            rest = text[len(prefix) :]
            kind = next((k for k in _UNIT_KINDS if rest.lower().startswith(k)), "")
            return rest[len(kind) :]
    return ""


class Agency(models.Model):
    """A state agency (cơ quan): UBND tỉnh, a Sở, UBND xã… with its official code (the TT
    01/2018 art. 19 format, e.g. ``000.00.31.H12``) used in dossier codes (SPEC §5)."""

    code = models.CharField(_("mã định danh"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    level = models.ForeignKey(
        AgencyLevel, verbose_name=_("cấp"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    place_name = models.CharField(
        _("địa danh"),
        max_length=100,
        blank=True,
        help_text=_(
            "Viết trước ngày, tháng trên giấy tờ (Nghị định 30/2020/NĐ-CP), ví dụ “Khe Sanh”. "
            "Để trống: lấy từ tên ủy ban nhân dân của cơ quan hoặc cấp trên gần nhất."
        ),
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class CodeFormat(models.TextChoices):
        STANDARD = "standard", _("Mã cơ quan-YYMMDD-số thứ tự (0001)")
        NATIONAL = "national", _("Như hệ thống dùng chung quốc gia: …-YYMMDD-AAXXXX")

    dossier_code_format = models.CharField(
        _("dạng mã hồ sơ"), max_length=10, choices=CodeFormat.choices, default="standard"
    )

    class Meta:
        ordering = ["level__rank", "name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.name

    def place(self) -> str:
        """The place name (địa danh) a paper writes before its date — "Khe Sanh, ngày 23
        tháng 11 năm 2026" (ND 30/2020: the administrative unit where the issuing agency
        sits): ``place_name`` when set, else the name of the nearest people's committee, the
        agency itself or one above it, without its kind ("Ủy ban nhân dân xã Khe Sanh" →
        "Khe Sanh"; a Sở → its province's); empty when none is found."""
        agency = self
        while agency is not None:
            if agency.place_name:
                return agency.place_name
            if place := _committee_place(agency.name):
                return place
            agency = agency.parent
        return ""

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Cơ quan không thể là cấp trên của chính nó.")})
            ancestor = ancestor.parent
        if self.parent and self.parent.level.rank > self.level.rank:
            raise ValidationError(
                {
                    "parent": _("Cơ quan cấp trên không thể thuộc cấp thấp hơn (%(level)s).")
                    % {"level": self.parent.level}
                }
            )


class Unit(models.Model):
    """A department of an agency (phòng, ban, bộ phận chuyên môn). ``function`` names what it
    does (``tu-phap``, ``dia-chinh``…) so a procedure's internal steps find the unit that
    handles them in any agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="units"
    )
    code = models.SlugField(_("mã đơn vị"), max_length=40)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    function = models.SlugField(
        _("chức năng"), max_length=40, help_text=_("Khớp với chức năng ghi ở các bước quy trình.")
    )

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_in_agency")
        ]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self):
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class Desk(models.Model):
    """The one-stop desk (Bộ phận tiếp nhận và trả kết quả, TN&TKQ) of an agency, or one of
    the counters of a Public Administration Service Centre."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="desks"
    )
    code = models.SlugField(_("mã bộ phận"), max_length=40)
    name = models.CharField(_("tên bộ phận"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="desk_code_unique_in_agency")
        ]
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")

    def __str__(self):
        return f"{self.name} – {self.agency.short_name or self.agency.name}"


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên thụ lý")
    UNIT_HEAD = "unit_head", _("Lãnh đạo phòng")
    AGENCY_LEADER = "agency_leader", _("Lãnh đạo cơ quan")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


#: The roles that read citizens' dossiers (``dossiers.access``): every role but the
#: administrator's. An agency administrator's grant of one waits for a leader's confirmation.
DOSSIER_READING_ROLES = frozenset(
    {Role.DESK_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER}
)


class Membership(models.Model):
    """A staff member's role in an agency (and optionally a unit or desk). One person may hold
    several, e.g. a commune civil servant who is both desk officer and specialist."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, null=True, blank=True
    )
    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, null=True, blank=True
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        ordering = ["agency", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_one_role_per_agency"
            )
        ]
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")

    def __str__(self):
        return f"{self.user.last_name} {self.user.first_name} – {self.get_role_display()}".strip()

    def clean(self):
        if self.unit_id and self.unit.agency_id != self.agency_id:
            raise ValidationError({"unit": _("Đơn vị phải thuộc cơ quan đã chọn.")})
        if self.desk_id and self.desk.agency_id != self.agency_id:
            raise ValidationError({"desk": _("Bộ phận một cửa phải thuộc cơ quan đã chọn.")})
        if self.role == Role.DESK_OFFICER and not self.desk_id:
            raise ValidationError({"desk": _("Cán bộ một cửa phải được gắn với một bộ phận.")})
        if self.role in (Role.SPECIALIST, Role.UNIT_HEAD) and not self.unit_id:
            raise ValidationError(
                {"unit": _("Chuyên viên và lãnh đạo phòng phải thuộc một đơn vị.")}
            )


class MembershipRequest(models.Model):
    """A role that reads dossiers, given by an agency administrator who is not a superuser:
    it gives no access until someone else confirms it — a leader of that agency (not the
    administrator, not the person) or a superuser — and then becomes a ``Membership``. So an
    administrator cannot read dossiers by making an account and giving it a role."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REFUSED = "refused", _("Không xác nhận")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được giao"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, null=True, blank=True
    )
    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, null=True, blank=True
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("đề nghị lúc"), default=timezone.now)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(status="pending"),
                name="membership_request_one_pending",
            )
        ]
        verbose_name = _("phân công chờ xác nhận")
        verbose_name_plural = _("phân công chờ xác nhận")

    def __str__(self):
        name = f"{self.user.last_name} {self.user.first_name}".strip() or self.user.username
        return f"{name} – {self.get_role_display()} ({self.get_status_display()})"


class AccountHome(models.Model):
    """The agency an account belongs to: the one whose administrator created it. An agency's
    administrator manages the accounts homed in, or working only in, their agencies; an
    account with neither (a home elsewhere, or none) is the superusers' alone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_home",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan quản lý tài khoản"),
        on_delete=models.CASCADE,  # the account is then the superusers' alone
        related_name="homed_accounts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("cơ quan quản lý tài khoản")
        verbose_name_plural = _("cơ quan quản lý tài khoản")

    def __str__(self):
        return f"{self.user_id} → {self.agency}"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Nhật ký tài khoản và phân quyền chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AppendOnlyError("Nhật ký tài khoản và phân quyền không được xóa.")


class AccountEvent(models.Model):
    """One change to a staff account or its roles (ND 13/2023: who gave whom access to what):
    who, when, which account, which agency, the role before and after. Append-only."""

    class Action(models.TextChoices):
        ACCOUNT_CREATED = "account_created", _("Tạo tài khoản")
        PASSWORD_SET = "password_set", _("Đặt lại mật khẩu")
        ACTIVATED = "activated", _("Mở khóa tài khoản")
        DEACTIVATED = "deactivated", _("Khóa tài khoản")
        HOME_CHANGED = "home_changed", _("Đổi cơ quan quản lý tài khoản")
        MEMBERSHIP_GRANTED = "membership_granted", _("Giao vai trò")
        MEMBERSHIP_CHANGED = "membership_changed", _("Sửa phân công")
        MEMBERSHIP_REMOVED = "membership_removed", _("Thu hồi vai trò")
        MEMBERSHIP_REQUESTED = "membership_requested", _("Đề nghị giao vai trò (chờ xác nhận)")
        MEMBERSHIP_REFUSED = "membership_refused", _("Không xác nhận vai trò")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("người thực hiện"), max_length=255)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.PROTECT,
        related_name="account_events",
    )
    account_username = models.CharField(_("tên đăng nhập"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account_events",
    )
    role_before = models.CharField(
        _("vai trò trước"), max_length=20, choices=Role.choices, blank=True
    )
    role_after = models.CharField(_("vai trò sau"), max_length=20, choices=Role.choices, blank=True)
    note = models.TextField(_("chi tiết"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("nhật ký tài khoản và phân quyền")
        verbose_name_plural = _("nhật ký tài khoản và phân quyền")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.account_username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(
                "Nhật ký tài khoản và phân quyền chỉ được ghi thêm, không được sửa."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký tài khoản và phân quyền không được xóa.")
