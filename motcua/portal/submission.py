"""The "Nộp trực tuyến" button of a procedure's page, and nothing more: where a citizen starts
submitting a procedure version online.

The page that receives online dossiers is another part's (issue 10 item 3); it is found by its
URL name ``portal:submit_start``, with the procedure version's id as its one argument (a
dossier is made for the version the citizen read). Until that page exists the procedure page
shows no button and offers the desk channels only (at the desk, by post), never a link that
goes nowhere.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Channel

SUBMIT_URL_NAME = "portal:submit_start"


def online_submit_url(version: ProcedureVersion) -> str | None:
    """The address that starts ``version``'s online submission, or None: when its online level
    does not allow it (``accepts_online``), or while no page answers to ``SUBMIT_URL_NAME``."""
    if not version.accepts_online:
        return None
    try:
        return reverse(SUBMIT_URL_NAME, args=[version.pk])
    except NoReverseMatch:
        return None


def channels_offered(version: ProcedureVersion, submit_url: str | None) -> list[tuple[int, str]]:
    """``version.channels`` as the page offers them: online only with somewhere to submit."""
    return [
        (value, label)
        for value, label in version.channels
        if value != Channel.ONLINE or submit_url is not None
    ]
