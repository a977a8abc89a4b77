"""Reads about citizens' accounts: who is a citizen, their profile as an applicant, their
dossiers."""

from __future__ import annotations

import dataclasses

from django.db.models import Q

from motcua.agencies.models import Membership
from motcua.citizens.identifiers import Identifier
from motcua.citizens.models import CitizenProfile
from motcua.dossiers import access
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant


def is_staff_account(user) -> bool:
    """Staff: a membership in an agency, or the admin's flags. Such an account never logs in
    on the citizens' side, and never becomes a citizen's (the same test as
    ``access.actor_for_user``)."""
    return bool(user.is_staff or user.is_superuser or Membership.objects.filter(user=user).exists())


def is_citizen_account(user) -> bool:
    """A citizen's account: made on the citizens' side (it has a ``CitizenProfile``) and not
    staff. Only these log in there; the staff log-in refuses them."""
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    # one query: a profile, and no membership
    return CitizenProfile.objects.filter(user=user, user__memberships__isnull=True).exists()


def citizen_by_identifier(identifier: Identifier):
    """The active citizen account whose verified phone or e-mail is ``identifier``, or None."""
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(**{identifier.field: identifier.value}, user__is_active=True)
        .first()
    )
    if profile is None or is_staff_account(profile.user):
        return None
    return profile.user


def profile_of(user) -> CitizenProfile:
    return CitizenProfile.objects.get(user=user)


def applicant_for(user) -> Applicant:
    """The citizen's profile as the applicant of a dossier (type 1, a citizen): what the
    submission form starts from. An account without a profile gives an empty applicant."""
    profile = CitizenProfile.objects.filter(user=user).first() or CitizenProfile()
    return Applicant(
        name=profile.full_name,
        id_number=profile.id_number,
        type=1,
        phone=profile.phone,
        email=profile.email,
        address=profile.address,
    )


def profile_initial(user) -> dict:
    """The citizen's profile as a form's ``initial``: the applicant's fields by the names of
    ``dossiers.services.Applicant`` (``name``, ``id_number``, ``type``, ``phone``, ``email``,
    ``address``). Empty for anyone without a citizen's profile (an officer, the anonymous
    visitor): their forms start blank."""
    if user is None or not user.is_authenticated or not is_citizen_account(user):
        return {}
    return dataclasses.asdict(applicant_for(user), dict_factory=_without_authorised)


def _without_authorised(items) -> dict:
    """An applicant's own fields (a citizen applies for themselves; whom they authorise is
    said on the form)."""
    return {key: value for key, value in items if not key.startswith("authorised_")}


def citizen_dossiers(*, actor: access.Actor, offset: int = 0, limit: int = 50) -> list[Dossier]:
    """The citizen's own dossiers (``access.dossier_scope``: submitted from their account),
    newest first, read through the applicant's partial index."""
    return list(
        access.dossiers_visible(actor)
        .filter(applicant_user__isnull=False)
        .select_related("procedure_version__procedure", "receiving_agency")
        .order_by("-submitted_at", "-pk")[offset : offset + limit]
    )


def citizen_dossier_count(*, actor: access.Actor) -> int:
    return access.dossiers_visible(actor).filter(applicant_user__isnull=False).count()


def citizen_dossier_get(*, actor: access.Actor, ref: str) -> Dossier | None:
    """One of the citizen's own dossiers by its code (or uid before it has one); None for
    anyone else's, and for one that does not exist (the same 404)."""
    return access.dossier_get_visible(actor, ref=ref)


def contact_taken(identifier: Identifier, *, by_other_than) -> bool:
    """Whether another account already logs in with ``identifier``."""
    return (
        CitizenProfile.objects.filter(**{identifier.field: identifier.value})
        .filter(~Q(user=by_other_than))
        .exists()
    )
