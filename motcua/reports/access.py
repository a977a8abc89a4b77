"""Who sees which figures (SPEC §3, §12.5): an agency's leaders see their agency and every
agency below it; a superuser every agency; nobody else any (they get 404). The actor is
``dossiers.access``' own (``Officer`` …), never None."""

from __future__ import annotations

from motcua.agencies.models import Agency, Role
from motcua.agencies.selectors import agency_subtree_ids
from motcua.dossiers.access import Actor, Officer


def led_agency_ids(actor: Actor) -> set[int]:
    """The agencies whose figures ``actor`` may see: below each agency they lead."""
    if not isinstance(actor, Officer):
        return set()
    if actor.user.is_superuser:
        return set(Agency.objects.values_list("pk", flat=True))
    roots = actor.ids(Role.AGENCY_LEADER, "agency_id")
    return agency_subtree_ids(*roots) if roots else set()


def may_view(actor: Actor) -> bool:
    return bool(led_agency_ids(actor))


def subtree_for(actor: Actor, agency: Agency) -> frozenset[int] | None:
    """``agency`` and every agency below it, if ``actor`` may see its figures; else None."""
    if agency.pk not in led_agency_ids(actor):
        return None
    return frozenset(agency_subtree_ids(agency.pk))


def home_agency(actor: Actor) -> Agency | None:
    """The highest agency ``actor`` leads (the dashboard's default)."""
    if not isinstance(actor, Officer):
        return None
    if actor.user.is_superuser:
        ids = Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True)
    else:
        ids = actor.ids(Role.AGENCY_LEADER, "agency_id")
    return (
        Agency.objects.filter(pk__in=ids)
        .select_related("level")
        .order_by("level__rank", "pk")
        .first()
    )
