"""Who sees what (SPEC §3): an officer sees only the agencies they belong to."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from motcua.agencies.models import (
    AccountEvent,
    Agency,
    Desk,
    Membership,
    MembershipRequest,
    Role,
)
from motcua.catalog.text import sort_key
from motcua.ttlcache import TTLCache


def user_is_administrator(*, user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Role.ADMINISTRATOR).exists()


def agencies_visible_to(*, user) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(memberships__user=user).distinct()


def agency_get_for_user(*, user, code: str) -> Agency | None:
    return (
        agencies_visible_to(user=user).select_related("level", "parent").filter(code=code).first()
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("agency", "unit", "desk")


def agency_tree() -> list[dict]:
    """Every active agency as a nested tree, in one query; siblings by level, then in
    Vietnamese order of their names (Đ after D)."""
    agencies = sorted(
        Agency.objects.filter(is_active=True).select_related("level"),
        key=lambda a: (a.level.rank, sort_key(a.name)),
    )
    nodes = {a.pk: {"agency": a, "children": []} for a in agencies}
    roots = []
    for agency in agencies:
        node = nodes[agency.pk]
        parent = nodes.get(agency.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def agency_public_get(*, code: str) -> Agency | None:
    """An active agency for its public page, with its desks and office hours."""
    return (
        Agency.objects.filter(code=code, is_active=True)
        .select_related("level", "parent")
        .prefetch_related("desks", "office_hours")
        .first()
    )


def agencies_administered_by(*, user) -> QuerySet[Agency]:
    """Agencies where ``user`` is an administrator, with every agency below them."""
    if user.is_superuser:
        return Agency.objects.all()
    roots = Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).values_list(
        "agency_id", flat=True
    )
    return Agency.objects.filter(pk__in=agency_subtree_ids(*roots))


def agency_subtree_ids(*roots: int) -> set[int]:
    """The ids of ``roots`` and of every agency below them (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(roots)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def agency_province(agency: Agency) -> Agency:
    """The top of ``agency``'s tree: its province (or ministry), however many levels lie
    between (tỉnh → xã, tỉnh → huyện → xã)."""
    top = agency
    seen = {top.pk}
    while top.parent_id is not None and top.parent_id not in seen:
        top = Agency.objects.select_related("parent").get(pk=top.parent_id)
        seen.add(top.pk)
    return top


def deciding_agencies_for(*, agency: Agency) -> list[Agency]:
    """The agencies a desk of ``agency`` may receive dossiers for: any active agency of its
    province, whatever the level (ND 118/2025: receipt regardless of administrative
    boundary within the province). ``agency`` itself first."""
    province = agency_province(agency)
    others = (
        Agency.objects.filter(pk__in=agency_subtree_ids(province.pk), is_active=True)
        .exclude(pk=agency.pk)
        .select_related("level")
        .order_by("level__rank", "name")
    )
    return [agency, *others]


def accounts_managed_by(*, user) -> QuerySet:
    """The accounts ``user`` may see and edit as an administrator: a superuser, every one; an
    agency's administrator, those homed in or working in their agencies, but never a superuser
    and never one that also works in an agency they do not administer."""
    User = get_user_model()
    if user.is_superuser:
        return User.objects.all()
    scope = agencies_administered_by(user=user)
    inside = Membership.objects.filter(agency__in=scope).values("user_id")
    elsewhere = Membership.objects.exclude(agency__in=scope).values("user_id")
    return (
        User.objects.filter(is_superuser=False)
        .filter(Q(account_home__agency__in=scope) | Q(pk__in=inside))
        .exclude(pk__in=elsewhere)
    )


def account_events_visible_to(*, user) -> QuerySet[AccountEvent]:
    """The account and role log: a superuser reads all of it, an administrator the rows of
    their own agencies."""
    events = AccountEvent.objects.all()
    if user.is_superuser:
        return events
    return events.filter(agency__in=agencies_administered_by(user=user))


def person_name(user) -> str:
    """A person's name in Vietnamese order (họ, tên đệm, tên): Django's get_full_name puts
    the given name first."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.username


_desks: TTLCache[Desk] = TTLCache(seconds=60)


def intake_desk(*, agency_code: str) -> Desk | None:
    """The desk where a dossier sent to agency ``agency_code`` by a peer system is received
    (its first desk), with its agency; kept for a minute per process."""
    return _desks.get(
        agency_code,
        lambda: (
            Desk.objects.select_related("agency")
            .filter(agency__code=agency_code)
            .order_by("pk")
            .first()
        ),
    )


def membership_requests_to_decide(*, user) -> QuerySet[MembershipRequest]:
    """The pending roles ``user`` may confirm or refuse: a superuser, every one; a leader,
    those in the agencies they lead; never one they asked for or that is their own."""
    if not user.is_authenticated:
        return MembershipRequest.objects.none()
    pending = (
        MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING)
        .exclude(requested_by=user)
        .exclude(user=user)
        .select_related("user", "agency", "unit", "desk", "requested_by")
    )
    if user.is_superuser:
        return pending
    led = Membership.objects.filter(user=user, role=Role.AGENCY_LEADER).values("agency_id")
    return pending.filter(agency_id__in=led)
