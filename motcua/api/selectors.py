"""Reads of the API app."""

from django.db.models import Q, QuerySet

from motcua.api.models import ApiKey


def api_keys_matching(*, text: str) -> QuerySet[ApiKey]:
    """Keys named exactly ``text``, or whose prefix it is (as the admin lists them, with or
    without the trailing “…”), or the whole key itself."""
    text = text.strip().rstrip("…")
    if not text:
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("agency").filter(
        Q(name=text) | Q(prefix=text) | Q(key_hash=ApiKey.hash(text))
    )
