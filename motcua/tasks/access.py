"""Who may see a task and who may act on it: the one access module of tasks. Pages, files,
the leader's page and the services ask these functions, with an explicit actor (the same
``Officer``, ``SYSTEM``… as dossiers, ``motcua.dossiers.access``) — never None.

Seeing (``task_scope``):
- a leader of the assigning agency (lãnh đạo cơ quan): every task of their agency;
- a head of unit or a specialist: the tasks given to their unit, as lead or coordinating;
- a leader of an agency below that was given a task as a whole agency: that task;
- a superuser (the deployment's overseers): every task, read-only;
- anyone else — another unit, an administrator, a citizen, a peer system — nothing (404).

Acting (``RULES``, against ``relations``): the lead unit's people report progress, report
the task done and ask for more time; a coordinating unit's people report their part; the
leader who assigned the task grants or refuses more time (another leader of the agency only
once the assigner no longer leads it, so a task is never left without a decider). Only open
tasks take any action.

Assigning: a leader of an agency, to units of that agency and to agencies below it
(``selectors.assignable_for``).

The leader's page (``may_view_board``): any officer of the agency (a membership other than
administrator) may open it, read-only, so it can be shared inside the agency.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.actors import SystemActor
from motcua.agencies.models import Membership, Role
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
    actor_for_user as actor_for_user,
)
from motcua.dossiers.access import (
    request_actor as request_actor,
)
from motcua.tasks.models import Task, TaskAssignee, TaskExtension

_NOTHING = Q(pk__in=[])


class Relation(enum.StrEnum):
    ASSIGNER = "assigner"  # decides extension requests
    LEADER = "leader"  # a leader of the assigning agency
    LEAD = "lead"  # answers for the lead unit
    COORDINATING = "coordinating"  # answers for a coordinating unit
    OVERSEER = "overseer"  # a superuser: reads only


class Action(enum.StrEnum):
    REPORT = "report"
    COMPLETE = "complete"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"


@dataclass(frozen=True)
class Rule:
    who: frozenset[Relation]
    #: Whether an extension request must be waiting (True), must not be (False), or either
    #: (None).
    pending: bool | None = None


RULES: dict[Action, Rule] = {
    Action.REPORT: Rule(who=frozenset({Relation.LEAD, Relation.COORDINATING})),
    Action.COMPLETE: Rule(who=frozenset({Relation.LEAD})),
    Action.REQUEST_EXTENSION: Rule(who=frozenset({Relation.LEAD}), pending=False),
    Action.DECIDE_EXTENSION: Rule(who=frozenset({Relation.ASSIGNER}), pending=True),
}

FORBIDDEN = _("Bạn không có quyền thực hiện thao tác này với nhiệm vụ.")
CLOSED = _("Nhiệm vụ đã hoàn thành: không nhận thêm báo cáo hay đề nghị.")
PENDING_ALREADY = _("Đã có một đề nghị gia hạn đang chờ lãnh đạo quyết định.")
NO_PENDING = _("Không có đề nghị gia hạn nào đang chờ quyết định.")


def _check(actor) -> None:
    if not isinstance(actor, Officer | Citizen | PeerSystem | SystemActor | Anonymous):
        raise TypeError(f"Cần một tác nhân (Officer, SYSTEM…), không phải {actor!r}")


def _unit_ids(actor: Officer) -> set[int]:
    return actor.ids(Role.SPECIALIST, "unit_id") | actor.ids(Role.UNIT_HEAD, "unit_id")


def _led_agency_ids(actor: Officer) -> set[int]:
    return actor.ids(Role.AGENCY_LEADER, "agency_id")


# --- seeing ------------------------------------------------------------------------------


def task_scope(actor: Actor) -> Q:
    """The tasks ``actor`` may see, as a filter (each branch one index)."""
    _check(actor)
    if isinstance(actor, SystemActor):
        return Q()
    if not isinstance(actor, Officer):
        return _NOTHING
    if actor.user.is_superuser:
        return Q()
    q = _NOTHING
    if led := _led_agency_ids(actor):
        q |= Q(agency_id__in=led)
        q |= Q(
            Exists(
                TaskAssignee.objects.filter(
                    task=OuterRef("pk"), unit__isnull=True, agency_id__in=led
                )
            )
        )
    if units := _unit_ids(actor):
        q |= Q(Exists(TaskAssignee.objects.filter(task=OuterRef("pk"), unit_id__in=units)))
    return q


def tasks_visible(actor: Actor) -> QuerySet[Task]:
    return Task.objects.filter(task_scope(actor))


def task_get_visible(actor: Actor, *, ref: str) -> Task | None:
    """One task by its reference (its uid in hex) if ``actor`` may see it, else None (the
    caller answers 404)."""
    try:
        uid = Task._meta.get_field("uid").to_python(ref)
    except ValidationError:
        return None
    return (
        tasks_visible(actor)
        .select_related("agency", "assigned_by")
        .prefetch_related("assignees__unit", "assignees__agency")
        .filter(uid=uid)
        .first()
    )


# --- acting ------------------------------------------------------------------------------


def belongs_to(actor: Actor, assignee: TaskAssignee) -> bool:
    """Whether ``actor`` answers for ``assignee``: a specialist or head of its unit, or, for
    an agency given the task as a whole, one of its leaders."""
    if not isinstance(actor, Officer):
        return False
    if assignee.unit_id:
        return assignee.unit_id in _unit_ids(actor)
    return assignee.agency_id in _led_agency_ids(actor)


def _assigner_still_leads(task: Task) -> bool:
    return Membership.objects.filter(
        user_id=task.assigned_by_id, agency_id=task.agency_id, role=Role.AGENCY_LEADER
    ).exists()


def relations(actor: Actor, task: Task) -> frozenset[Relation]:
    """How ``actor`` stands to ``task`` now (see ``Relation``)."""
    _check(actor)
    if not isinstance(actor, Officer):  # the system reads every task but acts on none
        return frozenset()
    found = set()
    if actor.user.is_superuser:
        found.add(Relation.OVERSEER)
    if task.agency_id in _led_agency_ids(actor):
        found.add(Relation.LEADER)
        if actor.user.pk == task.assigned_by_id or not _assigner_still_leads(task):
            found.add(Relation.ASSIGNER)
    for assignee in task.assignees.all():
        if belongs_to(actor, assignee):
            lead = assignee.role == TaskAssignee.Role.LEAD
            found.add(Relation.LEAD if lead else Relation.COORDINATING)
    return frozenset(found)


def pending_extension(task: Task) -> TaskExtension | None:
    return task.extensions.filter(state=TaskExtension.State.PENDING).first()


def may(actor: Actor, action: Action | str, task: Task, *, pending: bool | None = None) -> None:
    """Raise unless ``actor`` may do ``action`` on ``task`` now: ``PermissionDenied`` when
    they do not stand to it as ``RULES`` says, ``ValidationError`` when the task is done or
    an extension request is (or is not) waiting. ``pending``: whether one waits, if known."""
    rule = RULES[Action(action)]
    if not rule.who & relations(actor, task):
        raise PermissionDenied(FORBIDDEN)
    if not task.is_open:
        raise ValidationError(CLOSED)
    if rule.pending is not None:
        waiting = pending if pending is not None else pending_extension(task) is not None
        if waiting and not rule.pending:
            raise ValidationError(PENDING_ALREADY)
        if rule.pending and not waiting:
            raise ValidationError(NO_PENDING)


def allowed_actions(actor: Actor, task: Task, *, pending: bool) -> list[Action]:
    """What ``actor`` may do on ``task`` now (the page's forms), in ``RULES``' order."""
    allowed = []
    for action in RULES:
        try:
            may(actor, action, task, pending=pending)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(action)
    return allowed


# --- assigning and the leader's page -------------------------------------------------------


def assigning_agency_ids(actor: Actor) -> set[int]:
    """The agencies ``actor`` may assign tasks in: those they lead."""
    _check(actor)
    if not isinstance(actor, Officer):
        return set()
    return _led_agency_ids(actor)


def may_assign(actor: Actor, agency) -> bool:
    """A task is given by a person (its history names them): a leader of ``agency``."""
    return agency.pk in assigning_agency_ids(actor)


def may_view_board(actor: Actor, agency) -> bool:
    """The leaders' pages of ``agency``: any officer of it (administrators manage settings,
    not work, and are left out), a superuser, the system."""
    _check(actor)
    if isinstance(actor, SystemActor):
        return True
    if not isinstance(actor, Officer):
        return False
    if actor.user.is_superuser:
        return True
    return any(g.agency_id == agency.pk and g.role != Role.ADMINISTRATOR for g in actor.grants)


def board_agency_ids(actor: Actor) -> set[int]:
    """The agencies whose leaders' pages ``actor`` may open (their own, administrators
    aside)."""
    if not isinstance(actor, Officer):
        return set()
    return {g.agency_id for g in actor.grants if g.role != Role.ADMINISTRATOR}
