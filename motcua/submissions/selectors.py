"""Reading online submissions: what a citizen may send where, their drafts, and their
online dossiers waiting for them. Who may see a dossier is ``dossiers.access``."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineLevel, ProcedureVersion
from motcua.dossiers import access
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import Applicant
from motcua.submissions.models import Draft


def applicant_prefill(user) -> Applicant | None:
    """The applicant's details known from ``user``'s citizen profile, to start a new draft
    with; None when there is no profile."""
    from motcua.citizens.models import CitizenProfile
    from motcua.citizens.selectors import applicant_for

    if not CitizenProfile.objects.filter(user=user).exists():
        return None
    return applicant_for(user)


def accepts_online(version: ProcedureVersion) -> bool:
    """A procedure of online level "một phần" or "toàn trình" (ND 42/2022) may be submitted
    online; one of level "trực tiếp" may not."""
    return version.online_level in (OnlineLevel.PARTIAL, OnlineLevel.FULL)


def version_for_submission(*, version_id: int) -> ProcedureVersion | None:
    """The version to submit when a citizen starts from version ``version_id``: that one
    while it applies, else the version of its procedure that applies now; None when none
    does or the procedure is not submitted online."""
    procedure_id = (
        ProcedureVersion.objects.filter(pk=version_id)
        .values_list("procedure_id", flat=True)
        .first()
    )
    if procedure_id is None:
        return None
    current = (
        ProcedureVersion.objects.filter(
            procedure_id=procedure_id, status=ProcedureVersion.Status.PUBLISHED
        )
        .select_related("procedure")
        .order_by("-pk")
        .first()
    )
    return current if current is not None and accepts_online(current) else None


def agencies_for_submission(*, version: ProcedureVersion) -> list[Agency]:
    """The agencies a citizen may send ``version``'s procedure to: the active agencies of its
    levels that have a one-stop desk, from the top level down, by name. (One small function
    so that the catalog's own rule of who handles a procedure can replace it.)"""
    levels = [level.pk for level in version.agency_levels.all()]
    return list(
        Agency.objects.filter(is_active=True, level_id__in=levels, desks__isnull=False)
        .distinct()
        .select_related("level")
        .order_by("level__rank", "name")
    )


def drafts_of(*, user) -> QuerySet[Draft]:
    """``user``'s drafts not yet submitted, the latest worked on first."""
    return (
        Draft.objects.filter(user=user, submitted_at__isnull=True)
        .select_related("procedure_version__procedure", "agency")
        .order_by("-updated_at", "-pk")
    )


def draft_get(*, user, uid) -> Draft | None:
    """One of ``user``'s drafts not yet submitted (anyone else's: None, the page says 404)."""
    return drafts_of(user=user).filter(uid=uid).first()


def awaiting_completion_of(*, user) -> QuerySet[Dossier]:
    """``user``'s online dossiers the desk asked them to complete."""
    actor = access.actor_for_user(user)
    return (
        access.dossiers_visible(actor)
        .filter(status=Status.SUBMITTED, completion_requested_at__isnull=False)
        .select_related("procedure_version", "deciding_agency")
        .order_by("completion_requested_at")
    )


def citizen_dossier_get(*, actor, ref: str) -> Dossier | None:
    """One of the citizen's own dossiers by its code or its uid — the uid keeps working
    after the desk accepted it and gave it a code, since the citizen's pages and messages
    named it so before; None for anyone else's."""
    if not isinstance(actor, access.Citizen):
        return None
    try:
        by_ref = Q(uid=uuid.UUID(hex=ref))
    except ValueError:
        by_ref = Q(code=ref)
    return (
        access.dossiers_visible(actor)
        .filter(by_ref)
        .select_related(
            "procedure_version__procedure", "receiving_desk", "receiving_agency", "deciding_agency"
        )
        .first()
    )
