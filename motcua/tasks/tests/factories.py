"""Helpers to give tasks and act on them as the named actors."""

from datetime import datetime

from motcua.agencies.models import Agency, Role, Unit
from motcua.dossiers.access import actor_for_user
from motcua.dossiers.files import IncomingFile
from motcua.tasks.models import Task
from motcua.tasks.services import Assignment, task_assign
from motcua.workcalendar.calendar import VN_TZ


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def key(target: Unit | Agency) -> str:
    return f"u:{target.pk}" if isinstance(target, Unit) else f"a:{target.pk}"


def as_actor(user):
    return actor_for_user(user)


def assign(
    leader,
    *,
    lead,
    coordinating=(),
    days=5,
    title="Rà soát thủ tục hành chính niêm yết tại Bộ phận một cửa",
    agency=None,
    files=(),
    **extra,
) -> Task:
    agency = agency or leader.memberships.get(role=Role.AGENCY_LEADER).agency
    return task_assign(
        actor=as_actor(leader),
        agency=agency,
        assignment=Assignment(
            title=title,
            working_days=days,
            lead=key(lead),
            coordinating=[key(c) for c in coordinating],
            files=[IncomingFile(name, content) for name, content in files],
            **extra,
        ),
    )
