"""Who calls the API: a peer system with its API key (``mc_…``), or an officer with a personal
access token (``mcu_…``, SPEC §12.2), both as ``Authorization: Bearer …``.

Both are kept by each process for a minute (``CredentialCache``) and forgotten by every
process as soon as any credential is revoked (the revocation signal, read on each request):
a revoked key or token stops working at once. A token then acts as its user exactly as the
staff pages do: the account and its memberships are read on every request, so a locked
account or a withdrawn role counts at once too.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja.security import HttpBearer

from motcua.api.models import ApiKey, UserToken
from motcua.api.revocation import CredentialCache
from motcua.dossiers import access

#: API key hash → the key; personal token hash → its user's id.
_keys: CredentialCache[ApiKey] = CredentialCache(seconds=60)
_tokens: CredentialCache[int] = CredentialCache(seconds=60)


def _active_key(digest: str) -> ApiKey | None:
    key = ApiKey.objects.select_related("agency").filter(key_hash=digest, revoked_at__isnull=True)
    key = key.first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def _active_token_user(digest: str) -> int | None:
    row = (
        UserToken.objects.filter(token_hash=digest, revoked_at__isnull=True)
        .values_list("pk", "user_id")
        .first()
    )
    if row is None:
        return None
    UserToken.objects.filter(pk=row[0]).update(last_used_at=timezone.now())
    return row[1]


def api_key_for(raw: str) -> ApiKey | None:
    digest = ApiKey.hash(raw)
    return _keys.get(digest, lambda: _active_key(digest))


def officer_for_token(raw: str) -> access.Officer | None:
    """The officer a personal token acts as, or None (unknown or revoked token, locked
    account, or an account that is no longer staff)."""
    digest = UserToken.hash(raw)
    user_id = _tokens.get(digest, lambda: _active_token_user(digest))
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    actor = access.actor_for_user(user)
    return actor if isinstance(actor, access.Officer) else None


class ApiKeyAuth(HttpBearer):
    """A peer system's API key only; ``request.auth`` is the ``ApiKey``."""

    def authenticate(self, request, token):
        if token.startswith(UserToken.PREFIX):
            return None
        return api_key_for(token)


class StaffAuth(HttpBearer):
    """An officer's personal token or a peer system's API key; ``request.auth`` is the actor
    (``access.Officer`` or ``access.PeerSystem``), which every access rule is asked with."""

    def authenticate(self, request, token):
        if token.startswith(UserToken.PREFIX):
            return officer_for_token(token)
        key = api_key_for(token)
        return access.actor_for_api_key(key) if key is not None else None
