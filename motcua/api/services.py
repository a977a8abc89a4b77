"""Writes of the API app: revoking an API key (the command and the admin call the same), and
officers' personal access tokens (SPEC §12.2: the command and the profile page call these)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.api.models import ApiKey, UserToken
from motcua.api.revocation import credentials_revoked
from motcua.dossiers import access

#: An officer's tokens in use at once (a phone, a tablet, a script…): enough, and bounded.
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> bool:
    """Revoke ``key`` at once on every process; False if it was already revoked."""
    revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        credentials_revoked()
    key.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def user_token_errors(*, user, name: str) -> dict[str, str]:
    """Why ``user`` may not have a new token named ``name`` (empty when they may): only an
    active staff account (an officer, as the staff pages see them) gets one."""
    errors = {}
    if not user.is_active:
        errors["user"] = _("Tài khoản đã bị khóa, không tạo được mã truy cập.")
    elif not isinstance(access.actor_for_user(user), access.Officer):
        errors["user"] = _(
            "Chỉ tài khoản cán bộ mới có mã truy cập API; tài khoản của người dân thì không."
        )
    elif user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        errors["user"] = _(
            "Bạn đã có %(n)d mã đang dùng: thu hồi mã không còn dùng trước khi tạo mã mới."
        ) % {"n": MAX_ACTIVE_TOKENS}
    max_length = UserToken._meta.get_field("name").max_length
    if len(name) > max_length:
        errors["name"] = _("Tên dài quá %(n)d ký tự.") % {"n": max_length}
    elif "\x00" in name:
        errors["name"] = _("Tên không được chứa ký tự NUL.")
    return errors


@transaction.atomic
def user_token_create(*, user, name: str = "") -> tuple[UserToken, str]:
    """A new personal access token for the officer ``user``: the row and the token itself,
    which is shown once (only its SHA-256 is kept). Raises ``ValidationError`` for a citizen's
    or a locked account."""
    name = name.strip() or _("Mã truy cập")
    if errors := user_token_errors(user=user, name=name):
        raise ValidationError(errors)
    return UserToken.issue(user=user, name=name)


@transaction.atomic
def user_token_revoke(*, token: UserToken) -> bool:
    """Revoke ``token`` at once on every process; False if it was already revoked."""
    revoked = UserToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        credentials_revoked()
    token.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)
