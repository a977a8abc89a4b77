"""Who may see a dossier and who may act on it (SPEC §3): the one access module.

Every page, API endpoint, file download and paper asks these functions, with an explicit
actor — an officer with their memberships, a citizen, a peer system's key, or the system
itself; never None. What each actor may *do* is the transition table's ``who`` column
(``transitions.TABLE``) matched against ``relations(actor, dossier)``.

Seeing (``dossier_scope``):
- a desk officer: dossiers received at their desk;
- a specialist or head of unit: dossiers at a step of their unit, or assigned to them;
- an agency leader: dossiers their agency decides;
- any officer: dossiers they acted on before (the trace names them);
- a superuser: every dossier, each read of personal data recorded (``PersonalDataRead``);
- an administrator: none — they manage settings, not dossiers;
- a citizen: their own (submitted from their account), and acts on them as ``APPLICANT``
  (completing an online dossier the desk sent back);
- a peer system: dossiers received or decided by its key's agency or an agency below it.
Anyone else gets 404, never a hint that the dossier exists.
"""

from __future__ import annotations

import functools
import operator
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.actors import SYSTEM as SYSTEM
from motcua.actors import SystemActor
from motcua.agencies.models import Membership, Role
from motcua.agencies.selectors import agency_subtree_ids, person_name
from motcua.dossiers.codes import code_spellings
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Dossier,
    DossierEvent,
    PersonalDataRead,
    Status,
)
from motcua.dossiers.transitions import TABLE, Action, Relation, transition_check
from motcua.ttlcache import TTLCache


class Grant(NamedTuple):
    """One membership, as the access rules read it."""

    role: str
    agency_id: int
    unit_id: int | None
    desk_id: int | None


@dataclass(frozen=True, eq=False)
class Officer:
    """Staff: a user with memberships (or a superuser)."""

    user: object
    grants: tuple[Grant, ...]

    @property
    def name(self) -> str:
        return person_name(self.user)

    def ids(self, role: str, attr: str) -> set[int]:
        return {getattr(g, attr) for g in self.grants if g.role == role and getattr(g, attr)}


@dataclass(frozen=True, eq=False)
class Citizen:
    """A citizen's or business's own account (never staff)."""

    user: object

    @property
    def name(self) -> str:
        return person_name(self.user)


@dataclass(frozen=True, eq=False)
class PeerSystem:
    """Another system (a Motcua instance, the national portal) through its API key."""

    key_id: int
    name: str
    agency_id: int
    #: The key's agency and every agency below it.
    agency_ids: frozenset[int]
    may_backdate: bool = False


@dataclass(frozen=True, eq=False)
class Anonymous:
    name: str = ""


Actor = Officer | Citizen | PeerSystem | SystemActor | Anonymous
ANONYMOUS = Anonymous()

_NOTHING = Q(pk__in=[])


def actor_for_user(user) -> Officer | Citizen | Anonymous:
    """The actor a logged-in user is: an officer when they hold a membership or are staff,
    else a citizen."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    grants = tuple(
        Grant(*row)
        for row in Membership.objects.filter(user=user).values_list(
            "role", "agency_id", "unit_id", "desk_id"
        )
    )
    if grants or user.is_staff or user.is_superuser:
        return Officer(user=user, grants=grants)
    return Citizen(user=user)


def request_actor(request) -> Officer | Citizen | Anonymous:
    """``actor_for_user(request.user)``, worked out once per request."""
    if not hasattr(request, "_motcua_actor"):
        request._motcua_actor = actor_for_user(request.user)
    return request._motcua_actor


#: The agencies below a key's agency change rarely: kept for a minute per process.
_subtrees: TTLCache[frozenset[int]] = TTLCache(seconds=60)


def actor_for_api_key(key) -> PeerSystem:
    return PeerSystem(
        key_id=key.pk,
        name=key.name,
        agency_id=key.agency_id,
        agency_ids=_subtrees.get(
            key.agency_id, lambda: frozenset(agency_subtree_ids(key.agency_id))
        ),
        may_backdate=key.is_migration,
    )


def actor_user(actor: Actor):
    """The user account behind ``actor`` (for the trace's ``actor`` column), or None."""
    return getattr(actor, "user", None)


def actor_name(actor: Actor) -> str:
    if isinstance(actor, PeerSystem):
        return f"Hệ thống {actor.name}"
    return actor.name


def _check(actor) -> None:
    if not isinstance(actor, Officer | Citizen | PeerSystem | SystemActor | Anonymous):
        raise TypeError(f"Cần một tác nhân (Officer, Citizen, PeerSystem…), không phải {actor!r}")


# --- seeing ------------------------------------------------------------------------------


def _handled_before(user) -> Q:
    return Q(Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), actor=user)))


def dossier_scope(actor: Actor) -> Q:
    """The dossiers ``actor`` may see, as a filter."""
    _check(actor)
    if isinstance(actor, SystemActor):
        return Q()
    if isinstance(actor, Anonymous):
        return _NOTHING
    if isinstance(actor, Citizen):
        return Q(applicant_user=actor.user)
    if isinstance(actor, PeerSystem):
        return Q(receiving_agency_id__in=actor.agency_ids) | Q(
            deciding_agency_id__in=actor.agency_ids
        )
    if actor.user.is_superuser:
        return Q()
    return _handling_scope(actor)


def _handling_scope(actor: Officer) -> Q:
    """The dossiers ``actor`` handles or handled, by their posts (superuser or not)."""
    q = Q(current_assignee=actor.user) | _handled_before(actor.user)
    if desks := actor.ids(Role.DESK_OFFICER, "desk_id"):
        q |= Q(receiving_desk_id__in=desks)
    units = actor.ids(Role.SPECIALIST, "unit_id") | actor.ids(Role.UNIT_HEAD, "unit_id")
    if units:
        q |= Q(current_unit_id__in=units)
    if led := actor.ids(Role.AGENCY_LEADER, "agency_id"):
        q |= Q(deciding_agency_id__in=led)
    return q


def dossiers_visible(actor: Actor) -> QuerySet[Dossier]:
    return Dossier.objects.filter(dossier_scope(actor))


def dossier_get_visible(actor: Actor, *, ref: str) -> Dossier | None:
    """One dossier by its code (or its uid, before it has a code) if ``actor`` may see it,
    else None (the caller answers 404)."""
    return (
        dossiers_visible(actor)
        .select_related(
            "procedure_version__procedure",
            "receiving_desk",
            "receiving_agency",
            "deciding_agency",
            "current_step",
            "current_unit",
            "current_assignee",
        )
        .filter(_by_ref(ref))
        .first()
    )


def _by_ref(ref: str) -> Q:
    """A code names a received dossier; 32 hex digits name one not yet received (a code is
    never 32 hex digits: it carries its agency's dotted code and dashes)."""
    try:
        return Q(uid=uuid.UUID(hex=ref), code__isnull=True)
    except ValueError:
        return Q(code__in=code_spellings(ref))


def waiting_at_posts(actor: Actor) -> Q:
    """Dossiers waiting at one of ``actor``'s posts — their desk (at a desk step, waiting
    for the applicant, or submitted online), their unit's step, their agency's leader step
    or a proposal of form 04 waiting for their agency's leader to issue it — the "my unit"
    inbox. Each branch matches one partial inbox index."""
    if not isinstance(actor, Officer):
        return _NOTHING
    desks = actor.ids(Role.DESK_OFFICER, "desk_id")
    units = actor.ids(Role.SPECIALIST, "unit_id") | actor.ids(Role.UNIT_HEAD, "unit_id")
    led = actor.ids(Role.AGENCY_LEADER, "agency_id")
    at_desk = Q(current_role=Role.DESK_OFFICER) | Q(
        status__in=[Status.WAITING_APPLICANT, Status.SUBMITTED]
    )
    branches = [
        # current_unit is set only at a specialist's or head of unit's step
        Q(current_unit_id__in=units) if units else None,
        (at_desk & Q(receiving_desk_id__in=desks)) if desks else None,
        Q(current_role=Role.AGENCY_LEADER, deciding_agency_id__in=led) if led else None,
        Q(
            extension_proposed_at__isnull=False,
            extended_at__isnull=True,
            status__in=OPEN_STATUSES,
            deciding_agency_id__in=led,
        )
        if led
        else None,
    ]
    return functools.reduce(operator.or_, [b for b in branches if b is not None], _NOTHING)


def assigned_to(actor: Actor) -> Q:
    """The "mine" inbox: dossiers whose current step is assigned to ``actor``."""
    if not isinstance(actor, Officer):
        return _NOTHING
    return Q(current_assignee=actor.user)


def reads_are_recorded(actor: Actor, dossier: Dossier) -> bool:
    """A superuser who does not handle the dossier reads it as an overseer: recorded."""
    return (
        isinstance(actor, Officer)
        and actor.user.is_superuser
        and not Dossier.objects.filter(_handling_scope(actor), pk=dossier.pk).exists()
    )


def personal_data_read(actor: Actor, dossier: Dossier, *, what: str) -> None:
    """Record the read when ``reads_are_recorded`` (SPEC §3, ND 13/2023)."""
    if reads_are_recorded(actor, dossier):
        PersonalDataRead.objects.create(dossier=dossier, user=actor.user, what=what[:40])


def personal_data_read_many(actor: Actor, dossiers, *, what: str) -> None:
    """``personal_data_read`` for a list (a page of the register, a chunk of its CSV): one
    query for which of them the superuser handles, one insert for the others."""
    if not (isinstance(actor, Officer) and actor.user.is_superuser):
        return
    ids = [d.pk for d in dossiers]
    handled = set(
        Dossier.objects.filter(_handling_scope(actor), pk__in=ids).values_list("pk", flat=True)
    )
    PersonalDataRead.objects.bulk_create(
        PersonalDataRead(dossier_id=pk, user=actor.user, what=what[:40])
        for pk in ids
        if pk not in handled
    )


def desk_notices_visible(actor: Actor) -> Q:
    """Forms 02 and 03 given at a desk: seen by that desk's officers."""
    if not isinstance(actor, Officer):
        return _NOTHING
    return Q(desk_id__in=actor.ids(Role.DESK_OFFICER, "desk_id"))


# --- acting ------------------------------------------------------------------------------


def relations(actor: Actor, dossier: Dossier) -> frozenset[Relation]:
    """How ``actor`` stands to ``dossier`` now (see ``Relation``)."""
    _check(actor)
    if isinstance(actor, SystemActor):
        return frozenset(Relation)
    if isinstance(actor, Citizen):
        mine = dossier.applicant_user_id is not None and dossier.applicant_user_id == actor.user.pk
        return frozenset({Relation.APPLICANT}) if mine else frozenset()
    if not isinstance(actor, Officer):
        return frozenset()
    found = set()
    uid = actor.user.pk
    for g in actor.grants:
        if g.role == Role.DESK_OFFICER and g.desk_id == dossier.receiving_desk_id:
            found.add(Relation.DESK)
        if g.role == Role.AGENCY_LEADER and g.agency_id == dossier.deciding_agency_id:
            found.add(Relation.LEADER)
        if g.role == Role.UNIT_HEAD and g.unit_id and g.unit_id == dossier.current_unit_id:
            found.add(Relation.UNIT_HEAD)
        if _may_claim(g, dossier):
            found.add(Relation.CLAIMANT)
        if _holds_post(g, dossier) and dossier.current_assignee_id in (None, uid):
            found.add(Relation.HOLDER)
    if dossier.current_assignee_id is not None and dossier.current_assignee_id == uid:
        found.add(Relation.HOLDER)
    return frozenset(found)


def _holds_post(g: Grant, dossier: Dossier) -> bool:
    """The membership ``g`` is the post that holds the dossier's current step."""
    if not dossier.current_role or g.role != dossier.current_role:
        return False
    if g.role == Role.DESK_OFFICER:
        return g.desk_id == dossier.receiving_desk_id
    if g.role == Role.AGENCY_LEADER:
        return g.agency_id == dossier.deciding_agency_id
    return g.unit_id is not None and g.unit_id == dossier.current_unit_id


def _may_claim(g: Grant, dossier: Dossier) -> bool:
    """A specialist of the unit at its specialists' step, which nobody holds yet."""
    return (
        g.role == Role.SPECIALIST
        and dossier.current_role == Role.SPECIALIST
        and g.unit_id is not None
        and g.unit_id == dossier.current_unit_id
        and dossier.current_assignee_id is None
    )


def assigns_others(actor: Actor, dossier: Dossier) -> bool:
    """May give the current step to any officer of its unit (the head of unit, the system);
    a claimant takes it only for themselves."""
    return Relation.UNIT_HEAD in relations(actor, dossier)


def step_officers(dossier: Dossier) -> QuerySet:
    """The officers a unit's current step may be assigned to: the active specialists and
    heads of that unit, by name (none at a step of no unit)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if dossier.current_unit_id is None:
        return users.none()
    return (
        users.filter(
            is_active=True,
            memberships__unit_id=dossier.current_unit_id,
            memberships__role__in=[Role.SPECIALIST, Role.UNIT_HEAD],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


FORBIDDEN = _("Bạn không có quyền thực hiện thao tác này với hồ sơ.")


def may(actor: Actor, action: str, dossier: Dossier) -> None:
    """Raise unless ``actor`` may do ``action`` on ``dossier`` now: the table must allow it
    from the dossier's status (``TransitionRefused``) and ``actor`` must stand to the dossier
    as the row's ``who`` says (``PermissionDenied``)."""
    rule = transition_check(action, dossier)
    if not rule.who & relations(actor, dossier):
        raise PermissionDenied(FORBIDDEN)


def allowed_actions(actor: Actor, dossier: Dossier) -> list[Action]:
    """What ``actor`` may do on ``dossier`` now, in the table's order (the page's buttons,
    the API's ``allowed_actions``)."""
    mine = relations(actor, dossier)
    if not mine:
        return []
    allowed = []
    for (action, status), rule in TABLE.items():
        if status != dossier.status or not (rule.who & mine) or action in allowed:
            continue
        if rule.guard is None or rule.guard.holds(dossier):
            allowed.append(action)
    return allowed


# --- the electronic result ----------------------------------------------------------------


def result_downloadable(actor: Actor, dossier: Dossier) -> bool:
    """The applicant downloads their electronic result from their own pages once it was
    returned (``results.electronic_result``); staff download it as any file of a dossier
    they see. Anyone else: no (the page answers 404)."""
    _check(actor)
    if Relation.APPLICANT not in relations(actor, dossier):
        return False
    from motcua.dossiers.results import electronic_result

    return electronic_result(dossier) is not None


# --- receiving ---------------------------------------------------------------------------


def may_receive_at(actor: Actor, desk) -> bool:
    """Receive a dossier at ``desk``: its own desk officers; a peer system for its key's
    agency or any agency below it; the system."""
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, PeerSystem):
        return desk.agency_id in actor.agency_ids
    return isinstance(actor, Officer) and desk.pk in actor.ids(Role.DESK_OFFICER, "desk_id")


def may_submit_to(actor: Actor, desk) -> bool:
    """Submit a dossier online to ``desk`` for it to accept: a citizen from their account, and
    whoever may receive there (a desk officer entering a postal dossier, a peer system)."""
    return isinstance(actor, Citizen) or may_receive_at(actor, desk)


def desk_of(actor: Actor):
    """The desk where ``actor`` receives dossiers, or None when they are not a desk
    officer."""
    if not isinstance(actor, Officer):
        return None
    from motcua.agencies.models import Desk

    desks = sorted(actor.ids(Role.DESK_OFFICER, "desk_id"))
    return Desk.objects.select_related("agency").filter(pk__in=desks[:1]).first()
