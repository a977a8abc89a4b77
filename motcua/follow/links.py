"""Signed links that stand for a proof that the person holds the dossier (the receipt's QR
code, a verification value, the message sent to their phone): the rating link of the
"result returned" message, and the forms of a page shown after verification.

Each is signed with ``SECRET_KEY`` and a salt of its own (one kind of link is never taken
for another), carries its time of signing and expires (``django.core.signing`` with
``max_age``): a rating link after ``RATING_LINK_DAYS``, a form after
``FOLLOW_FORM_MINUTES``. A rating link names the dossier by its id, which keeps it short
enough for an SMS.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

RATING_SALT = "motcua.follow.rating"
FORM_SALT = "motcua.follow.form"


def _sign(salt: str, value: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(value)


def _unsign(salt: str, token: str, max_age: timedelta) -> str | None:
    try:
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except (signing.BadSignature, ValueError):  # SignatureExpired is a BadSignature
        return None


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


# --- the rating link of the "result returned" message ----------------------------------


def rating_token(dossier_id: int) -> str:
    return _sign(RATING_SALT, str(dossier_id))


def rating_dossier_id(token: str) -> int | None:
    value = _unsign(RATING_SALT, token, timedelta(days=settings.RATING_LINK_DAYS))
    return int(value) if value and value.isdigit() else None


def rating_url(dossier_id: int) -> str:
    return _absolute(reverse("follow:rate", args=[rating_token(dossier_id)]))


# --- forms on a page shown after verification (the look-up page, the kiosk) ------------


def form_token(uid: uuid.UUID) -> str:
    return _sign(FORM_SALT, uid.hex)


def form_dossier_uid(token: str) -> uuid.UUID | None:
    value = _unsign(FORM_SALT, token, timedelta(minutes=settings.FOLLOW_FORM_MINUTES))
    try:
        return uuid.UUID(hex=value) if value else None
    except ValueError:
        return None
