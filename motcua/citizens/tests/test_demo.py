import pytest

from motcua.citizens.demo import DEMO_CITIZEN, demo_citizen_load
from motcua.citizens.models import CitizenProfile
from motcua.citizens.selectors import is_citizen_account

from .conftest import logged_in_as, password_login

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_is_made_once_and_logs_in_with_the_demo_password(client):
    demo_citizen_load(password="Motcua@2026")
    demo_citizen_load(password="Motcua@2026")
    profile = CitizenProfile.objects.get()
    assert (profile.phone, profile.id_number) == (DEMO_CITIZEN["phone"], DEMO_CITIZEN["id_number"])
    password_login(client, DEMO_CITIZEN["email"], "Motcua@2026")
    assert logged_in_as(client) == profile.user and is_citizen_account(profile.user)
