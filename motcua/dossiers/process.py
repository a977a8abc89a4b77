"""Where a dossier stands in its procedure's internal process (quy trình nội bộ).

A published procedure version has ordered steps, each held by a role (in a unit of a given
function, at the desk, or the agency's leader). The *decision step* is the last step not held
by the desk: finishing it means the result is ready; a desk step after it only returns the
result.
"""

from __future__ import annotations

from motcua.agencies.models import Role, Unit
from motcua.catalog.models import ProcedureVersion, ProcessStep

_facts: dict[int, tuple[list[ProcessStep], int]] = {}


def version_facts_clear() -> None:
    _facts.clear()


def version_facts(version: ProcedureVersion) -> tuple[list[ProcessStep], int]:
    """Steps (in order) and total fee of a version, kept per process when it is published:
    a published version never changes (a change is a new version)."""
    if version.status != ProcedureVersion.Status.PUBLISHED or version.pk not in _facts:
        facts = (list(version.steps.order_by("order")), sum(f.amount for f in version.fees.all()))
        if version.status != ProcedureVersion.Status.PUBLISHED:
            return facts
        _facts[version.pk] = facts
    return _facts[version.pk]


def steps_of(dossier) -> list[ProcessStep]:
    return version_facts(dossier.procedure_version)[0]


def _position(dossier) -> int:
    """Index of the current step in the version's steps; -1 when the dossier is at none."""
    if not dossier.current_step_id:
        return -1
    orders = [s.order for s in steps_of(dossier)]
    order = dossier.current_step.order
    return orders.index(order) if order in orders else -1


def decision_index(steps: list[ProcessStep]) -> int:
    """Index of the decision step: the last step not held by the desk (-1: none)."""
    for index in range(len(steps) - 1, -1, -1):
        if steps[index].role != Role.DESK_OFFICER:
            return index
    return -1


def next_step(dossier) -> ProcessStep | None:
    steps, position = steps_of(dossier), _position(dossier)
    return steps[position + 1] if 0 <= position + 1 < len(steps) else None


def previous_step(dossier) -> ProcessStep | None:
    position = _position(dossier)
    return steps_of(dossier)[position - 1] if position > 0 else None


def return_step(dossier) -> ProcessStep | None:
    """The desk step after the decision step, where the result waits to be returned."""
    steps = steps_of(dossier)
    index = decision_index(steps)
    return steps[index + 1] if 0 <= index + 1 < len(steps) else None


def is_at_decision_step(dossier) -> bool:
    """True when finishing the current step makes the result ready: it is the decision
    step, or the process has no step after this one but desk steps."""
    steps, position = steps_of(dossier), _position(dossier)
    return position >= 0 and position >= decision_index(steps)


def is_before_decision_step(dossier) -> bool:
    """True when the current step hands over to another processing step."""
    position = _position(dossier)
    return position >= 0 and not is_at_decision_step(dossier)


def decision_by_leader(dossier) -> bool:
    return dossier.current_role == Role.AGENCY_LEADER


def unit_for(step: ProcessStep, agency) -> Unit | None:
    """The unit of ``agency`` that handles ``step``: the one of the step's function, else the
    agency's first unit; None for desk and leader steps."""
    if step.role not in (Role.SPECIALIST, Role.UNIT_HEAD):
        return None
    units = list(Unit.objects.filter(agency=agency).order_by("pk"))
    for unit in units:
        if step.unit_function and unit.function == step.unit_function:
            return unit
    return units[0] if units else None


def enter_step(dossier, step: ProcessStep | None, *, at, calendar=None) -> None:
    """Put ``dossier`` at ``step`` from ``at`` (None: at no step, e.g. once finished): who
    holds it, and the step's due time (``deadlines.step_due_at``). Unassigned."""
    from motcua.dossiers import deadlines

    dossier.current_step = step
    dossier.current_assignee = None
    if step is None:
        dossier.current_role, dossier.current_unit = "", None
        dossier.step_started_at = dossier.step_due_at = None
        return
    dossier.current_role = step.role
    dossier.current_unit = unit_for(step, dossier.deciding_agency)
    dossier.step_started_at = at
    dossier.step_due_at = deadlines.step_due_at(
        step=step,
        start=at,
        calendar=calendar or deadlines.calendar_of(dossier),
        dossier_due_at=dossier.due_at,
        time_unit=dossier.procedure_version.time_unit,
    )
