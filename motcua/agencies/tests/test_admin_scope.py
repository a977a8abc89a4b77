"""An agency's own administrator manages only their agencies in the admin."""

from motcua.workcalendar.models import CalendarOverride


def test_commune_admin_sees_only_own_agency(client, commune_admin, commune, other_commune):
    client.force_login(commune_admin)
    response = client.get("/quan-tri/agencies/agency/")
    assert response.status_code == 200
    assert commune.name in response.text and other_commune.name not in response.text
    url = f"/quan-tri/agencies/agency/{other_commune.pk}/change/"
    assert client.get(url).status_code == 302  # not in their queryset: back to the list


def test_commune_admin_cannot_set_a_deployment_wide_day(client, commune_admin, commune):
    client.force_login(commune_admin)
    data = {"date": "2026-12-01", "kind": "day_off", "reason": "Bão", "agency": ""}
    response = client.post("/quan-tri/workcalendar/calendaroverride/add/", data)
    assert response.status_code == 200  # the form comes back with an error
    assert not CalendarOverride.objects.exists()
    data["agency"] = commune.pk
    response = client.post("/quan-tri/workcalendar/calendaroverride/add/", data)
    assert response.status_code == 302
    assert CalendarOverride.objects.get().agency == commune


def test_commune_admin_cannot_pick_another_agency(client, commune_admin, other_commune):
    client.force_login(commune_admin)
    data = {"date": "2026-12-01", "kind": "day_off", "reason": "x", "agency": other_commune.pk}
    client.post("/quan-tri/workcalendar/calendaroverride/add/", data)
    assert not CalendarOverride.objects.exists()


def test_commune_admin_cannot_edit_the_catalog(client, commune_admin):
    client.force_login(commune_admin)
    assert client.get("/quan-tri/catalog/procedure/").status_code == 403
