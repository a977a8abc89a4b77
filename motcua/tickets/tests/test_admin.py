"""The desk floor in the admin: desks, queue services and counters, each agency's
administrator on their own rows only."""

import pytest

from motcua.agencies.models import Desk
from motcua.tickets.models import Counter, Service
from motcua.tickets.tests.factories import floor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def floors(floor, other_agency_officer):
    return floor, floor_for(Desk.objects.get(agency__code="000.02.31.H99"))


@pytest.mark.parametrize("model", ["agencies/desk", "tickets/service", "tickets/counter"])
def test_the_superuser_lists_every_desk_service_and_counter(client, admin_user, floors, model):
    client.force_login(admin_user)
    page = client.get(f"/quan-tri/{model}/")
    assert page.status_code == 200
    assert page.text.count("UBND xã An Bình") and page.text.count("UBND xã Bình Minh")


@pytest.mark.parametrize("model", ["agencies/desk", "tickets/service", "tickets/counter"])
def test_a_commune_administrator_sees_only_their_own(client, commune_admin, floors, model):
    _mine, theirs = floors
    client.force_login(commune_admin)
    page = client.get(f"/quan-tri/{model}/")
    assert page.status_code == 200
    assert "UBND xã An Bình" in page.text and "UBND xã Bình Minh" not in page.text
    other = {"agencies/desk": theirs.desk, "tickets/service": theirs.civil,
             "tickets/counter": theirs.both}[model]  # fmt: skip
    assert client.get(f"/quan-tri/{model}/{other.pk}/change/").status_code == 404


def test_the_admin_index_names_them_in_vietnamese(client, commune_admin, floor):
    client.force_login(commune_admin)
    index = client.get("/quan-tri/").text
    for label in ("Bộ phận một cửa", "Dịch vụ xếp hàng", "Quầy"):
        assert label in index


def _counter_form(desk, number, services):
    return {"desk": desk.pk, "number": number, "name": "", "is_active": "on",
            "services": [s.pk for s in services]}  # fmt: skip


def test_a_commune_administrator_adds_a_counter_to_their_desk(client, commune_admin, floors):
    mine, theirs = floors
    client.force_login(commune_admin)
    added = client.post("/quan-tri/tickets/counter/add/", _counter_form(mine.desk, 4, [mine.land]))
    assert added.status_code == 302
    assert list(Counter.objects.get(desk=mine.desk, number=4).services.all()) == [mine.land]
    # Another agency's desk or service cannot be picked.
    for data in (_counter_form(theirs.desk, 5, [theirs.land]),
                 _counter_form(mine.desk, 6, [theirs.land])):  # fmt: skip
        assert client.post("/quan-tri/tickets/counter/add/", data).status_code == 200
    assert not Counter.objects.filter(number__in=[5, 6]).exists()


def test_a_counter_serves_only_services_of_its_own_desk(client, admin_user, floors):
    mine, theirs = floors
    client.force_login(admin_user)
    data = _counter_form(mine.desk, 7, [theirs.land])
    refused = client.post("/quan-tri/tickets/counter/add/", data)
    assert refused.status_code == 200 and "không thuộc bộ phận của quầy" in refused.text
    assert not Counter.objects.filter(number=7).exists()


def test_a_commune_administrator_adds_a_service(client, commune_admin, floors):
    mine, theirs = floors
    client.force_login(commune_admin)
    data = {"desk": mine.desk.pk, "code": "chung-thuc", "name": "Chứng thực",
            "average_minutes": 5, "order": 3, "bookable": "on", "is_active": "on"}  # fmt: skip
    assert client.post("/quan-tri/tickets/service/add/", data).status_code == 302
    assert Service.objects.get(code="chung-thuc").desk == mine.desk
    data.update(desk=theirs.desk.pk, code="khac")
    assert client.post("/quan-tri/tickets/service/add/", data).status_code == 200
    assert not Service.objects.filter(code="khac").exists()
