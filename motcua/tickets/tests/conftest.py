import pytest

from motcua.dossiers.access import actor_for_user
from motcua.tickets.tests.factories import floor_for


@pytest.fixture
def floor(desk_officer):
    return floor_for(desk_officer.memberships.get().desk)


@pytest.fixture
def alice(desk_officer):
    """The desk officer as an actor."""
    return actor_for_user(desk_officer)
