"""Dossiers at the moments the public follows them: received, at the specialist's step,
returned. Ratings' and feedback's tests import these fixtures too."""

import pytest

from motcua.dossiers.services import IncomingFile
from motcua.dossiers.tests.factories import PDF, act, four_step_procedure, receive, vn

RIGHT = "5678"  # the last 4 digits of the test applicant's phone


@pytest.fixture
def version(levels):
    return four_step_procedure()


@pytest.fixture
def desk(desk_officer):
    return desk_officer.memberships.get().desk


@pytest.fixture
def received(version, desk, desk_officer, clock):
    """Received Monday 9/11 10:00, due Thursday 12/11 10:00 (3 working days)."""
    clock(vn(2026, 11, 9, 10))
    return receive(desk, version, actor=desk_officer, at=vn(2026, 11, 9, 10))


@pytest.fixture
def at_specialist(received, desk_officer, specialist, leader):
    return act(received, "forward", desk_officer)


@pytest.fixture
def returned(at_specialist, specialist, leader, desk_officer, clock):
    """Approved Tuesday 10/11 and returned Wednesday 11/11, on time."""
    clock(vn(2026, 11, 10, 9))
    dossier = act(at_specialist, "forward", specialist)
    dossier = act(dossier, "approve", leader, result_file=IncomingFile("kq.pdf", PDF))
    clock(vn(2026, 11, 11, 9))
    return act(dossier, "return_result", desk_officer, returned_to="Nguyễn Văn An")
