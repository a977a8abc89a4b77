import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CitizenProfile(models.Model):
    """What makes an account a citizen's, and what pre-fills their forms.

    ``phone`` and ``email`` are the account's log-in identifiers: written only once proved
    (a one-time code sent there, or the identity provider's verified claim), and each belongs
    to one account. ``vneid_verified``: the name and ID number came from the identity provider
    (SPEC §11's "VNeID-verified account"); the citizen cannot change them then."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile"
    )
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    id_number = models.CharField(_("số định danh cá nhân (CCCD)"), max_length=12, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), max_length=254, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    vneid_verified = models.BooleanField(_("đã xác thực qua VNeID"), default=False)
    vneid_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="citizen_phone_unique"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="citizen_email_unique"
            ),
            # An ID number vouched for by the identity provider names one account (linking
            # by it is then unambiguous); one merely typed in does not claim anything.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(vneid_verified=True) & ~Q(id_number=""),
                name="citizen_verified_id_unique",
            ),
        ]
        verbose_name = _("hồ sơ công dân")
        verbose_name_plural = _("hồ sơ công dân")

    def __str__(self):
        return self.full_name or self.phone or self.email or str(self.user_id)


class OidcIdentity(models.Model):
    """An account at an OpenID Connect provider (``issuer``, ``subject``) linked to a
    citizen's account: logging in there logs into this account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


class OneTimeCode(models.Model):
    """A 6-digit code sent to a phone or e-mail address, kept only as an HMAC (``codes.py``).
    Its ``uid`` is held by the browser session that asked for it, so a code works only
    there; it expires, allows a few wrong tries, and is used once."""

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", _("Đăng ký hoặc đăng nhập")
        RESET = "reset", _("Đặt lại mật khẩu")
        CONTACT = "contact", _("Đổi số điện thoại hoặc thư điện tử")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    medium = models.CharField(max_length=10)  # Notification.Medium: sms or email
    identifier = models.CharField(max_length=254)
    #: The account the code is for: who asked to change their contact; the account found for
    #: a password reset (none: the code was never sent and no value matches it).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.purpose} {self.identifier}"
