"""Reads of the API app."""

from django.db.models import F, Q, QuerySet

from motcua.api.models import ApiKey, UserToken


def api_keys_matching(*, text: str) -> QuerySet[ApiKey]:
    """Keys named exactly ``text``, or whose prefix it is (as the admin lists them, with or
    without the trailing “…”), or the whole key itself."""
    text = text.strip().rstrip("…")
    if not text:
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("agency").filter(
        Q(name=text) | Q(prefix=text) | Q(key_hash=ApiKey.hash(text))
    )


def user_tokens_of(*, user) -> QuerySet[UserToken]:
    """``user``'s own personal tokens, in use first, newest first."""
    return UserToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def user_tokens_matching(*, text: str) -> QuerySet[UserToken]:
    """Personal tokens whose prefix ``text`` is (as the admin lists them, with or without the
    trailing “…”), or the whole token itself, or every token of the account named ``text``."""
    text = text.strip().rstrip("…")
    if not text:
        return UserToken.objects.none()
    return (
        UserToken.objects.select_related("user")
        .filter(Q(prefix=text) | Q(token_hash=UserToken.hash(text)) | Q(user__username=text))
        .order_by("user__username", "-created_at", "-pk")
    )
