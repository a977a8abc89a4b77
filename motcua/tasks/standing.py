"""Where a task stands against its deadline, judged to the minute (SPEC §6): done on time
(early or on time), done late (finished after the deadline), open (not yet due) or overdue
(open past its deadline). Described once as a Python function for one task and as database
filters for counting many; a test checks that both agree."""

import enum
from datetime import datetime

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.workcalendar.calendar import Outcome, deadline_outcome


class Standing(enum.StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN = "open"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    Standing.DONE_ON_TIME: _("Hoàn thành đúng hạn"),
    Standing.DONE_LATE: _("Hoàn thành trễ hạn"),
    Standing.OPEN: _("Đang thực hiện, trong hạn"),
    Standing.OVERDUE: _("Quá hạn, chưa hoàn thành"),
}


def standing_of(task, *, now: datetime) -> Standing:
    if task.finished_at is not None:
        late = deadline_outcome(task.finished_at, task.due_at) is Outcome.LATE
        return Standing.DONE_LATE if late else Standing.DONE_ON_TIME
    return Standing.OVERDUE if task.due_at < now else Standing.OPEN


def standing_q(standing: Standing, *, now: datetime, prefix: str = "") -> Q:
    """The tasks in ``standing`` at ``now``, as a filter (``prefix`` "task__" from a related
    model)."""
    p = prefix
    done = Q(**{f"{p}finished_at__isnull": False})
    late = Q(**{f"{p}finished_at__gt": F(f"{p}due_at")})
    if standing is Standing.DONE_ON_TIME:
        return done & ~late
    if standing is Standing.DONE_LATE:
        return done & late
    still_open = Q(**{f"{p}finished_at__isnull": True})
    if standing is Standing.OVERDUE:
        return still_open & Q(**{f"{p}due_at__lt": now})
    return still_open & Q(**{f"{p}due_at__gte": now})
