import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class ApiKey(models.Model):
    """A key for a peer system (another Motcua instance, the national portal, a migration
    tool), bound to one agency. Only its SHA-256 is stored; the key is shown once."""

    name = models.CharField(_("tên hệ thống"), max_length=100)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    #: A data-migration tool may file dossiers received long ago; other keys may not
    #: (SPEC §12: ``received_at`` at most 30 days in the past).
    is_migration = models.BooleanField(_("dùng để chuyển dữ liệu cũ"), default=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, *, name: str, agency: Agency) -> tuple["ApiKey", str]:
        raw = "mc_" + secrets.token_urlsafe(32)
        key = cls.objects.create(name=name, agency=agency, prefix=raw[:10], key_hash=cls.hash(raw))
        return key, raw


class UserToken(models.Model):
    """A personal access token (SPEC §12.2): ``Authorization: Bearer mcu_…`` acts as its
    officer, with exactly the permissions of the staff pages. Only its SHA-256 is stored; the
    token is shown once. Revoked, never deleted (the list shows what was revoked when)."""

    #: Tokens start with it and API keys (``mc_``) never do: the bearer names its table.
    PREFIX = "mcu_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    #: Written when a process loads the token: at most once a minute per process.
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập cá nhân")
        verbose_name_plural = _("mã truy cập cá nhân")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    hash = staticmethod(ApiKey.hash)

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["UserToken", str]:
        """A new token for ``user`` (no checks: ``services.user_token_create`` makes them)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:12], token_hash=cls.hash(raw))
        return token, raw


class RevocationSignal(models.Model):
    """One row whose ``generation`` goes up with every revocation of a credential (API keys,
    personal tokens, SPEC §12.2). Each process reads it on every authenticated request
    and drops the credentials it kept when it changed (``motcua/api/revocation.py``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("tín hiệu thu hồi")
        verbose_name_plural = _("tín hiệu thu hồi")

    def __str__(self):
        return str(self.generation)
