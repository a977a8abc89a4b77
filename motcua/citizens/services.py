"""Citizens' accounts: one-time codes, sign-up and log-in, the profile, passwords, and the
link to an OpenID Connect identity (VNeID).

Rules kept here:
- A code is 6 digits, kept as an HMAC, valid ``CITIZEN_CODE_MINUTES``, used once, and
  allows ``CITIZEN_CODE_TRIES`` wrong tries: each try is counted by one atomic UPDATE
  before the comparison, outside any transaction, so racing requests never get more tries
  and a wrong try is never rolled back.
- The same answer whether a phone or e-mail has an account or not: a sign-in code is sent
  either way (typing it in creates the account when there is none); a password-reset code is
  sent only to an account, but the page and its answers are the same (the stored code then
  matches nothing).
- A citizen's account is never a staff account: it is made here, with a profile and no
  membership; accounts with a membership or the admin's flags are never found, linked or
  logged into from here (``selectors.citizen_by_identifier``, ``oidc_sign_in``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua import clock
from motcua.citizens import codes
from motcua.citizens.identifiers import Identifier, identifier_parse
from motcua.citizens.messages import code_message_put
from motcua.citizens.models import CitizenProfile, OidcIdentity, OneTimeCode
from motcua.citizens.selectors import citizen_by_identifier, contact_taken, is_staff_account
from motcua.dossiers.services import Applicant, applicant_errors

User = get_user_model()
Purpose = OneTimeCode.Purpose


class CodeRefused(Exception):
    """The code typed in does not open anything; ``str(error)`` says why, in Vietnamese."""


# --- one-time codes --------------------------------------------------------------------------


@transaction.atomic
def code_send(*, identifier: Identifier, purpose: str, user=None) -> OneTimeCode:
    """A new code for ``identifier``, sent through the outbox; returns it (its ``uid`` goes
    into the asking browser's session, never the code). ``user``: the citizen changing their
    contact (CONTACT). A password reset for a phone or e-mail without an account stores a code
    that matches nothing and sends nothing."""
    now = clock.now()
    OneTimeCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    if purpose == Purpose.RESET:
        user = citizen_by_identifier(identifier)
    elif purpose == Purpose.CONTACT and user is None:
        raise ValueError("a contact change needs the citizen's account")
    row = OneTimeCode(
        uid=uuid.uuid4(),
        purpose=purpose,
        medium=identifier.medium,
        identifier=identifier.value,
        user=user,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.CITIZEN_CODE_MINUTES),
    )
    send = not (purpose == Purpose.RESET and user is None)
    code = codes.code_new()
    row.code_hash = codes.code_hash(row.uid, code) if send else codes.code_unguessable_hash()
    row.save()
    if send:
        code_message_put(
            uid=row.uid,
            code=code,
            purpose=purpose,
            medium=identifier.medium,
            recipient=identifier.value,
        )
    return row


def code_check(*, uid, purpose: str, code: str) -> OneTimeCode:
    """Count one try of ``code`` against the code ``uid``; the code's row if it matches,
    else ``CodeRefused``. Call outside a transaction: a wrong try must stay counted."""
    now = clock.now()
    limit = settings.CITIZEN_CODE_TRIES
    live = OneTimeCode.objects.filter(
        uid=uid, purpose=purpose, used_at__isnull=True, expires_at__gt=now, attempts__lt=limit
    )
    took_a_try = live.update(attempts=F("attempts") + 1)
    row = OneTimeCode.objects.filter(uid=uid, purpose=purpose).first()
    if row is None:
        raise CodeRefused(_("Không có mã nào đang chờ. Hãy yêu cầu gửi mã."))
    if not took_a_try:
        if row.used_at is not None:
            raise CodeRefused(_("Mã này đã được dùng. Hãy yêu cầu mã mới."))
        if row.expires_at <= now:
            raise CodeRefused(_("Mã đã hết hạn. Hãy yêu cầu mã mới."))
        raise CodeRefused(_("Bạn đã nhập sai quá nhiều lần. Hãy yêu cầu mã mới."))
    if not codes.code_matches(row.uid, code, row.code_hash):
        left = limit - row.attempts
        if left <= 0:
            raise CodeRefused(_("Mã không đúng. Mã này đã hết lượt thử; hãy yêu cầu mã mới."))
        raise CodeRefused(
            ngettext(
                "Mã không đúng. Bạn còn %(left)d lần thử.",
                "Mã không đúng. Bạn còn %(left)d lần thử.",
                left,
            )
            % {"left": left}
        )
    return row


def _code_use(row: OneTimeCode) -> None:
    """Mark the code used, once: of two requests racing with the right code, one wins."""
    if not OneTimeCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now()):
        raise CodeRefused(_("Mã này đã được dùng. Hãy yêu cầu mã mới."))


# --- accounts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    user: object
    created: bool


def _name_parts(full_name: str) -> tuple[str, str]:
    """(first_name, last_name) for Django's user: the given name is the last word."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1][:150], " ".join(words[:-1])[:150]


def _new_username() -> str:
    return f"congdan-{uuid.uuid4().hex[:16]}"


def citizen_create(*, full_name: str = "", identifier: Identifier | None = None) -> object:
    """A new citizen's account: a generated username, no usable password (they log in by
    code until they choose one), never staff, and its profile."""
    first, last = _name_parts(full_name)
    user = User(username=_new_username(), first_name=first, last_name=last)
    user.set_unusable_password()
    user.save()
    profile = CitizenProfile(user=user, full_name=full_name.strip()[:255])
    if identifier is not None:
        setattr(profile, identifier.field, identifier.value)
    profile.save()
    return user


def citizen_sign_in_by_code(*, uid, code: str, full_name: str = "") -> SignIn:
    """The account of the phone or e-mail the code ``uid`` was sent to, made now if there is
    none (with ``full_name`` from the sign-up form). An existing account's name is kept."""
    row = code_check(uid=uid, purpose=Purpose.SIGN_IN, code=code)
    identifier = Identifier(row.medium, row.identifier)
    with transaction.atomic():
        _code_use(row)
        user = citizen_by_identifier(identifier)
        if user is not None:
            profile = CitizenProfile.objects.get(user=user)
            if not profile.full_name and full_name.strip():
                _profile_name_set(profile, full_name)
            return SignIn(user, created=False)
        if CitizenProfile.objects.filter(**{identifier.field: identifier.value}).exists():
            # Held by a locked (inactive) account: not opened, and not taken over.
            raise CodeRefused(_("Tài khoản này đang bị khóa. Vui lòng liên hệ cơ quan."))
        try:
            with transaction.atomic():
                user = citizen_create(full_name=full_name, identifier=identifier)
        except IntegrityError:  # made meanwhile by another request with another code
            user = citizen_by_identifier(identifier)
            if user is None:
                raise
            return SignIn(user, created=False)
        return SignIn(user, created=True)


def _profile_name_set(profile: CitizenProfile, full_name: str) -> None:
    profile.full_name = full_name.strip()[:255]
    profile.save(update_fields=["full_name"])
    user = profile.user
    user.first_name, user.last_name = _name_parts(profile.full_name)
    user.save(update_fields=["first_name", "last_name"])


_PROFILE_FIELDS = {
    "applicant.name": "full_name",
    "applicant.id_number": "id_number",
    "applicant.address": "address",
}


@transaction.atomic
def citizen_profile_update(*, user, full_name: str, id_number: str, address: str) -> None:
    """Save the profile: a name is required; an ID number, when given, is checked as the
    receipt checks it (12 digits); the name and ID number vouched for by VNeID stay as they
    are. Nothing is saved when anything is wrong."""
    profile = CitizenProfile.objects.select_for_update().select_related("user").get(user=user)
    full_name, id_number, address = full_name.strip(), id_number.strip(), address.strip()
    errors = {}
    if profile.vneid_verified and (full_name, id_number) != (profile.full_name, profile.id_number):
        errors["full_name"] = _(
            "Họ tên và số định danh đã được xác thực qua VNeID nên không sửa được ở đây."
        )
    # The receipt's own checks; an ID number may be left for later (then not checked).
    checked = applicant_errors(
        Applicant(name=full_name, id_number=id_number or "0" * 12, address=address)
    )
    for key, field in _PROFILE_FIELDS.items():
        if key in checked:
            errors.setdefault(field, checked[key])
    if errors:
        raise ValidationError(errors)
    profile.id_number, profile.address = id_number, address
    profile.save(update_fields=["id_number", "address"])
    if full_name != profile.full_name:
        _profile_name_set(profile, full_name)


def _password_check(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@transaction.atomic
def citizen_password_set(*, user, password: str, current_password: str = "") -> None:
    """Choose or change the password (Django's validators); an account that already has one
    must give it (a session left open is not enough to take the account)."""
    if user.has_usable_password() and not user.check_password(current_password):
        raise ValidationError({"current_password": _("Mật khẩu hiện tại không đúng.")})
    _password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def citizen_password_reset(*, uid, code: str, password: str) -> object:
    """A new password for the account the reset code ``uid`` was sent to; returns the user.
    The password is checked before the code, so a weak password costs no try."""
    row = OneTimeCode.objects.filter(uid=uid, purpose=Purpose.RESET).first()
    _password_check(password, row.user if row else None)
    row = code_check(uid=uid, purpose=Purpose.RESET, code=code)
    with transaction.atomic():
        _code_use(row)
        user = User.objects.select_for_update().get(pk=row.user_id)
        if not user.is_active or is_staff_account(user):
            raise CodeRefused(_("Tài khoản này đang bị khóa. Vui lòng liên hệ cơ quan."))
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def citizen_contact_set(*, user, uid, code: str) -> Identifier:
    """Replace the account's phone (or e-mail) by the one the code ``uid`` was sent to —
    unless another account logs in with it."""
    row = code_check(uid=uid, purpose=Purpose.CONTACT, code=code)
    if row.user_id != user.pk:
        raise CodeRefused(_("Không có mã nào đang chờ. Hãy yêu cầu gửi mã."))
    identifier = Identifier(row.medium, row.identifier)
    with transaction.atomic():
        _code_use(row)
        if contact_taken(identifier, by_other_than=user):
            raise ValidationError(
                _("Số điện thoại hoặc thư điện tử này đã gắn với một tài khoản khác.")
            )
        CitizenProfile.objects.filter(user=user).update(**{identifier.field: identifier.value})
    return identifier


# --- OpenID Connect (VNeID) ----------------------------------------------------------------------


@dataclass(frozen=True)
class OidcClaims:
    """What the identity provider says about the person, by our names (``oidc.py`` reads
    them by the configured claim names). ``phone``/``email`` only when the provider marks
    them verified; ``id_number`` only when it is a valid CCCD."""

    subject: str
    full_name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class OidcRefused(Exception):
    """The identity cannot log in here; ``str(error)`` says why, in Vietnamese."""


def _oidc_candidates(claims: OidcClaims) -> set[int]:
    """Citizen accounts the identity is the same person as: a verified ID number (vouched
    for by an identity provider before), or a phone or e-mail verified on both sides. Staff
    and locked accounts are never among them."""
    found = set()
    if claims.id_number:
        for profile in CitizenProfile.objects.select_related("user").filter(
            vneid_verified=True, id_number=claims.id_number, user__is_active=True
        ):
            if not is_staff_account(profile.user):
                found.add(profile.user_id)
    for medium, value in (("sms", claims.phone), ("email", claims.email)):
        if value:
            user = citizen_by_identifier(Identifier(medium, value))
            if user is not None:
                found.add(user.pk)
    return found


@transaction.atomic
def oidc_sign_in(*, issuer: str, claims: OidcClaims, current_user=None) -> SignIn:
    """The citizen account for the provider's identity (``issuer``, ``claims.subject``):

    1. the account it is linked to;
    2. else, when a citizen is logged in (the profile's "link VNeID"), theirs;
    3. else the one account it matches (``_oidc_candidates``): several → refused;
    4. else a new account.
    Never a staff account. The provider's name and ID number then fill the profile and mark
    it VNeID-verified; its verified phone and e-mail fill empty ones not used elsewhere."""
    if current_user is not None and is_staff_account(current_user):
        raise OidcRefused(_("Tài khoản cán bộ không đăng nhập ở trang công dân."))
    linked = (
        OidcIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=claims.subject)
        .first()
    )
    created = False
    if linked is not None:
        user = linked.user
        if current_user is not None and current_user.pk != user.pk:
            raise OidcRefused(_("Tài khoản VNeID này đã liên kết với một tài khoản khác."))
        if not user.is_active or is_staff_account(user):
            raise OidcRefused(_("Tài khoản này đang bị khóa. Vui lòng liên hệ cơ quan."))
    else:
        if current_user is not None:
            user = current_user
            if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
                raise OidcRefused(_("Tài khoản này đã liên kết với một tài khoản VNeID khác."))
        else:
            candidates = _oidc_candidates(claims)
            if len(candidates) > 1:
                raise OidcRefused(
                    _(
                        "Thông tin từ VNeID khớp với nhiều tài khoản. Hãy đăng nhập bằng mã "
                        "vào tài khoản muốn dùng, rồi bấm “Liên kết VNeID” ở trang Tài khoản."
                    )
                )
            if candidates:
                user = User.objects.get(pk=candidates.pop())
            else:
                user, created = citizen_create(full_name=claims.full_name), True
        linked = OidcIdentity.objects.create(user=user, issuer=issuer, subject=claims.subject)
    _profile_from_claims(user, claims)
    linked.last_login_at = clock.now()
    linked.save(update_fields=["last_login_at"])
    return SignIn(user, created=created)


def _profile_from_claims(user, claims: OidcClaims) -> None:
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    if claims.id_number:
        if profile.vneid_verified and profile.id_number and profile.id_number != claims.id_number:
            raise OidcRefused(_("Số định danh từ VNeID khác với số đã xác thực của tài khoản."))
        if (
            CitizenProfile.objects.filter(vneid_verified=True, id_number=claims.id_number)
            .exclude(user=user)
            .exists()
        ):
            raise OidcRefused(_("Số định danh này đã thuộc một tài khoản khác."))
        profile.id_number = claims.id_number
        profile.vneid_verified = True
        profile.vneid_verified_at = clock.now()
        if claims.full_name:
            profile.full_name = claims.full_name[:255]
    elif claims.full_name and not profile.full_name:
        profile.full_name = claims.full_name[:255]
    if claims.address and not profile.address:
        profile.address = claims.address[:500]
    for medium, value in (("sms", claims.phone), ("email", claims.email)):
        identifier = Identifier(medium, value)
        free = value and not contact_taken(identifier, by_other_than=user)
        if free and not getattr(profile, identifier.field):
            setattr(profile, identifier.field, value)
    profile.save()
    first, last = _name_parts(profile.full_name)
    if (user.first_name, user.last_name) != (first, last):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


def oidc_claims_clean(raw: dict, *, names: dict[str, str]) -> OidcClaims:
    """Our ``OidcClaims`` from the provider's claims, read by the configured ``names``
    (field → claim). A phone or e-mail counts only when the provider marks it verified
    (``phone_number_verified``, ``email_verified``); an ID number only when it is 12 digits."""

    def text(field: str) -> str:
        value = raw.get(names.get(field, ""), "")
        if isinstance(value, dict):  # OIDC's structured address
            value = value.get("formatted", "")
        return str(value).strip() if value is not None else ""

    def verified(field: str, flag: str, medium: str) -> str:
        if raw.get(flag) is not True:
            return ""
        try:
            found = identifier_parse(text(field))
        except ValidationError:
            return ""
        return found.value if found.medium == medium else ""

    id_number = text("id_number")
    checked = applicant_errors(Applicant(name="x", id_number=id_number))
    return OidcClaims(
        subject=str(raw["sub"]),
        full_name=text("full_name")[:255],
        id_number="" if "applicant.id_number" in checked else id_number,
        phone=verified("phone", "phone_number_verified", "sms"),
        email=verified("email", "email_verified", "email"),
        address=text("address")[:500],
    )
