import pytest

from conftest import _staff
from motcua.agencies.models import Role, Unit


@pytest.fixture
def tu_phap(specialist):
    """The specialist's (bob's) and the unit head's (hung's) unit."""
    return specialist.memberships.get().unit


@pytest.fixture
def dia_chinh(commune):
    return Unit.objects.create(
        agency=commune, code="dia-chinh", name="Địa chính - Xây dựng", function="dia-chinh"
    )


@pytest.fixture
def coordinator(dia_chinh, commune):
    """son: the specialist of Địa chính, the coordinating unit of the tasks below."""
    return _staff("son", commune, Role.SPECIALIST, unit=dia_chinh)


@pytest.fixture
def people(desk_officer, specialist, unit_head, leader, commune_admin, admin_user, citizen,
           other_agency_officer, coordinator):  # fmt: skip
    users = [desk_officer, specialist, unit_head, leader, commune_admin, admin_user, citizen,
             other_agency_officer, coordinator]  # fmt: skip
    for user in users:
        user.email = f"{user.username}@xa.example"
        user.save(update_fields=["email"])
    return {u.username: u for u in users}
