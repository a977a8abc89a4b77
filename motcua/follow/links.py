"""Signed links that stand for a proof that the person holds the dossier (the receipt's QR
code, a verification value, the message sent to their phone): the electronic result's
download, the rating, and the forms of a page shown after verification.

Each is signed with ``SECRET_KEY`` and a salt of its own (one kind of link is never taken
for another), carries its time of signing and expires (``django.core.signing`` with
``max_age``): a result link after ``RESULT_LINK_DAYS``, a rating link after
``RATING_LINK_DAYS``, a form after ``FOLLOW_FORM_MINUTES``. They name rows by their ids,
which keeps them short enough for an SMS.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

RESULT_SALT = "motcua.follow.result"
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


# --- the electronic result -------------------------------------------------------------


def result_token(attachment_id: int) -> str:
    return _sign(RESULT_SALT, str(attachment_id))


def result_attachment_id(token: str) -> int | None:
    value = _unsign(RESULT_SALT, token, timedelta(days=settings.RESULT_LINK_DAYS))
    return int(value) if value and value.isdigit() else None


def result_path(attachment_id: int) -> str:
    return reverse("follow:result", args=[result_token(attachment_id)])


def result_url(attachment_id: int) -> str:
    """The link of the "result ready" message."""
    return _absolute(result_path(attachment_id))


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
