"""Who may see a feedback (PAKN) and act on it: the one access module of feedback. Pages and
services ask these functions with an explicit actor (``Officer``, ``SYSTEM``… of
``motcua.dossiers.access``) — never None.

Seeing (``feedback_scope``):
- a leader of the agency the feedback was routed to (lãnh đạo cơ quan): all of its feedback;
- the officer it is assigned to: that feedback, while it is theirs;
- a superuser (the deployment's overseers): all, read-only;
- anyone else — another officer of the agency, another agency, an administrator, a citizen,
  a peer system — nothing (404).

Acting (``RULES``, against ``relations``): the leader assigns (and re-assigns) an open one to
an officer of the agency; the assignee — or the leader — answers it; the leader closes an
answered one and publishes its question and answer on the procedure's page.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.actors import SystemActor
from motcua.agencies.models import Role
from motcua.dossiers.access import (
    SYSTEM as SYSTEM,
)
from motcua.dossiers.access import (
    Actor,
    Anonymous,
    Citizen,
    Officer,
    PeerSystem,
)
from motcua.dossiers.access import (
    request_actor as request_actor,
)
from motcua.feedback.models import Feedback

_NOTHING = Q(pk__in=[])
S = Feedback.State


class Relation(enum.StrEnum):
    LEADER = "leader"  # a leader of the agency that answers
    ASSIGNEE = "assignee"  # the officer it is assigned to
    OVERSEER = "overseer"  # a superuser: reads only


class Action(enum.StrEnum):
    ASSIGN = "assign"
    ANSWER = "answer"
    CLOSE = "close"
    PUBLISH = "publish"


@dataclass(frozen=True)
class Rule:
    who: frozenset[Relation]
    states: frozenset[str]


RULES: dict[Action, Rule] = {
    Action.ASSIGN: Rule(frozenset({Relation.LEADER}), frozenset({S.RECEIVED, S.ASSIGNED})),
    Action.ANSWER: Rule(frozenset({Relation.ASSIGNEE, Relation.LEADER}), frozenset({S.ASSIGNED})),
    Action.CLOSE: Rule(frozenset({Relation.LEADER}), frozenset({S.ANSWERED})),
    Action.PUBLISH: Rule(frozenset({Relation.LEADER}), frozenset({S.ANSWERED, S.CLOSED})),
}

FORBIDDEN = _("Bạn không có quyền thực hiện thao tác này với phản ánh.")
WRONG_STATE = _("Không thể làm việc này khi phản ánh đang ở tình trạng “%(state)s”.")


def _check(actor) -> None:
    if not isinstance(actor, Officer | Citizen | PeerSystem | SystemActor | Anonymous):
        raise TypeError(f"Cần một tác nhân (Officer, SYSTEM…), không phải {actor!r}")


def _led(actor: Officer) -> set[int]:
    return actor.ids(Role.AGENCY_LEADER, "agency_id")


# --- seeing ------------------------------------------------------------------------------


def feedback_scope(actor: Actor) -> Q:
    """The feedback ``actor`` may see, as a filter."""
    _check(actor)
    if isinstance(actor, SystemActor):
        return Q()
    if not isinstance(actor, Officer):
        return _NOTHING
    if actor.user.is_superuser:
        return Q()
    q = Q(assignee=actor.user)
    if led := _led(actor):
        q |= Q(agency_id__in=led)
    return q


def feedback_visible(actor: Actor) -> QuerySet[Feedback]:
    return Feedback.objects.filter(feedback_scope(actor))


def feedback_get_visible(actor: Actor, *, code: str) -> Feedback | None:
    """One feedback by its code if ``actor`` may see it, else None (the caller answers 404)."""
    return (
        feedback_visible(actor)
        .select_related(
            "agency", "procedure__current_version", "about_agency", "dossier", "assignee"
        )
        .filter(code=code)
        .first()
    )


# --- acting ------------------------------------------------------------------------------


def relations(actor: Actor, feedback: Feedback) -> frozenset[Relation]:
    """How ``actor`` stands to ``feedback`` now (see ``Relation``)."""
    _check(actor)
    if not isinstance(actor, Officer):  # the system reads all and acts on none
        return frozenset()
    found = set()
    if actor.user.is_superuser:
        found.add(Relation.OVERSEER)
    if feedback.agency_id in _led(actor):
        found.add(Relation.LEADER)
    if feedback.assignee_id is not None and feedback.assignee_id == actor.user.pk:
        found.add(Relation.ASSIGNEE)
    return frozenset(found)


def may(actor: Actor, action: Action | str, feedback: Feedback) -> None:
    """Raise unless ``actor`` may do ``action`` now: ``PermissionDenied`` when they do not
    stand to it as ``RULES`` says, ``ValidationError`` when its state does not allow it."""
    rule = RULES[Action(action)]
    if not rule.who & relations(actor, feedback):
        raise PermissionDenied(FORBIDDEN)
    if feedback.state not in rule.states:
        raise ValidationError(WRONG_STATE % {"state": feedback.get_state_display()})


def allowed_actions(actor: Actor, feedback: Feedback) -> list[Action]:
    """What ``actor`` may do now (the page's forms), in ``RULES``' order."""
    allowed = []
    for action in RULES:
        try:
            may(actor, action, feedback)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


def assignable_officers(feedback: Feedback) -> QuerySet:
    """The officers a leader may give ``feedback`` to: the active people with a post in its
    agency (administrators manage settings, not work), by name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__agency_id=feedback.agency_id,
            memberships__role__in=[r for r in Role.values if r != Role.ADMINISTRATOR],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
