"""Writes of the API app: revoking an API key (the command and the admin call the same)."""

from django.db import transaction
from django.utils import timezone

from motcua.api.models import ApiKey
from motcua.api.revocation import credentials_revoked


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
