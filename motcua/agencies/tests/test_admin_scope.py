"""An agency's own administrator manages only their agencies in the admin."""

from motcua.workcalendar.models import CalendarOverride


def test_commune_admin_sees_only_own_agency(client, commune_admin, commune, other_commune):
    client.force_login(commune_admin)
    response = client.get("/quan-tri/agencies/agency/")
    assert response.status_code == 200
    assert commune.name in response.text and other_commune.name not in response.text
    url = f"/quan-tri/agencies/agency/{other_commune.pk}/change/"
    assert client.get(url).status_code == 404  # not in their queryset


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


def test_commune_admin_manages_only_own_staff(client, commune_admin, desk_officer,
                                              other_agency_officer, admin_user):  # fmt: skip
    client.force_login(commune_admin)
    listing = client.get("/quan-tri/auth/user/")
    assert listing.status_code == 200
    assert "alice" in listing.text
    assert "charlie" not in listing.text and "root" not in listing.text
    assert client.get(f"/quan-tri/auth/user/{other_agency_officer.pk}/change/").status_code == 404
    page = client.get(f"/quan-tri/auth/user/{desk_officer.pk}/change/")
    assert page.status_code == 200
    assert "is_superuser" not in page.text and "user_permissions" not in page.text


def test_commune_admin_creates_an_account_and_assigns_it_in_own_commune(
    client, commune_admin, commune, other_commune
):
    from django.contrib.auth import get_user_model

    from motcua.agencies.models import Membership

    client.force_login(commune_admin)
    response = client.post("/quan-tri/auth/user/add/", {
        "username": "moi", "password1": "Mk-rat-dai-2026!", "password2": "Mk-rat-dai-2026!",
        "usable_password": "true", "home_agency": commune.pk, "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="moi")
    assert response.status_code == 302 and not user.is_superuser and not user.is_staff
    change = f"/quan-tri/auth/user/{user.pk}/change/"
    page = client.get(change)
    assert page.status_code == 200
    assert other_commune.name not in page.text  # cannot be picked in the membership inline
    data = {
        "username": "moi", "last_name": "Trần", "first_name": "Mới", "email": "",
        "is_active": "on", "home_agency": commune.pk,
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-agency": str(other_commune.pk), "memberships-0-role": "agency_leader",
    }  # fmt: skip
    assert client.post(change, data).status_code == 200  # refused: not one of their agencies
    assert not Membership.objects.filter(user=user).exists()
    data["memberships-0-agency"] = str(commune.pk)
    response = client.post(change, data, follow=True)
    assert "đang chờ xác nhận" in response.text  # a role that reads dossiers waits
    assert not Membership.objects.filter(user=user).exists()
    assert user.membership_requests.get(status="pending").agency == commune
    data["memberships-0-role"] = "administrator"  # one that reads none is given at once
    assert client.post(change, data).status_code == 302
    assert Membership.objects.get(user=user).agency == commune
