import pytest

from motcua.dossiers.tests.factories import four_step_procedure


@pytest.fixture
def version(levels):
    """A published 3-working-day procedure (Đăng ký khai sinh): desk → tư pháp → leader →
    desk."""
    return four_step_procedure()


@pytest.fixture
def desk(desk_officer):
    return desk_officer.memberships.get().desk
