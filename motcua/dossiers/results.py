"""The electronic result online (issue 10, item 6): once the desk has returned a dossier whose
result is electronic (the signed PDF of the decision step), its applicant downloads it — from
their own pages when logged in, or through the signed link of the message sent when it was
returned online — and sees the file's SHA-256, so that any copy can be checked against it.

Who may download is ``access.result_downloadable``; this module says which file it is and
makes and reads the signed link. The link names the dossier by its uid (never its code) and
expires after ``settings.RESULT_LINK_DAYS`` days: a message can be forwarded, and the result
holds personal data. After that, the applicant logs in, or asks the desk.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from motcua import clock
from motcua.dossiers.models import Attachment, Dossier, ResultKind, Status

RESULT_SALT = "motcua.dossiers.result"


def electronic_result(dossier: Dossier) -> Attachment | None:
    """The electronic result the dossier was returned with, or None: none yet (not returned,
    a paper result, no file)."""
    if dossier.status != Status.RETURNED or dossier.result_kind != ResultKind.ELECTRONIC:
        return None
    return dossier.attachments.filter(kind=Attachment.Kind.RESULT).order_by("-pk").first()


def result_token(dossier: Dossier) -> str:
    """``{uid}.{unix time of the domain clock}:{signature}``: its age is read on the same
    clock as everything else (``motcua.clock``)."""
    issued = int(clock.now().timestamp())
    return signing.Signer(salt=RESULT_SALT).sign(f"{dossier.uid.hex}.{issued}")


def result_url(dossier: Dossier) -> str:
    """The signed link to the result's page, for the message (an absolute address)."""
    path = reverse("portal:result_link", args=[result_token(dossier)])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


class LinkExpired(Exception):
    """A genuine link, too old: the page says how to get the result now."""


def dossier_by_result_token(token: str) -> Dossier | None:
    """The dossier a result link names; None for a forged or mangled one; ``LinkExpired``
    when it is older than ``RESULT_LINK_DAYS``."""
    try:
        uid, _dot, issued = signing.Signer(salt=RESULT_SALT).unsign(token).partition(".")
        issued_at = datetime.fromtimestamp(int(issued), tz=UTC)
        dossier = Dossier.objects.select_related("procedure_version").get(uid=uuid.UUID(hex=uid))
    except (signing.BadSignature, ValueError, OverflowError, Dossier.DoesNotExist):
        return None
    if clock.now() - issued_at > timedelta(days=settings.RESULT_LINK_DAYS):
        raise LinkExpired
    return dossier
