"""A phone number or an e-mail address as a citizen types it, made into the one form we store
and compare (``0912345678``, ``an@example.vn``)."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.services.receipt import PHONE_RE, phone_clean

INVALID = _("Nhập số điện thoại (ví dụ 0912345678) hoặc địa chỉ thư điện tử.")


@dataclass(frozen=True)
class Identifier:
    medium: str  # "sms" or "email" (Notification.Medium)
    value: str

    @property
    def field(self) -> str:
        """The profile's column that holds it."""
        return "phone" if self.medium == "sms" else "email"

    def masked(self) -> str:
        """For pages: enough to recognise it, not to read it over a shoulder."""
        if self.medium == "sms":
            return f"{self.value[:3]}•••••{self.value[-3:]}"
        local, _, domain = self.value.partition("@")
        return f"{local[:1]}•••@{domain}"

    def counter_name(self) -> str:
        """A rate-limit counter's name for it (hashed: counters are not personal data)."""
        return hashlib.sha256(self.value.encode()).hexdigest()[:40]


def identifier_parse(raw: str) -> Identifier:
    """The identifier in ``raw``, or ``ValidationError`` with a Vietnamese message."""
    text = (raw or "").strip()
    if "\x00" in text or len(text) > 254:
        raise ValidationError(INVALID)
    if "@" in text:
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ.")) from None
        return Identifier("email", email)
    phone = phone_clean(text).replace("-", "")
    if not PHONE_RE.match(phone):
        raise ValidationError(INVALID)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    return Identifier("sms", phone)
