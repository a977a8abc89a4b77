"""A citizen is never a staff user: a staff account does not log in on the citizens' side, a
citizen's account does not log in on the staff side, no role or admin flag is ever given to a
citizen's account, and each side's pages and header are their own."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from motcua.agencies.models import Role
from motcua.agencies.services import account_update, membership_grant
from motcua.citizens.models import CitizenProfile
from motcua.citizens.selectors import is_citizen_account

from .conftest import enter_code, last_code, logged_in_as, password_login, request_code

pytestmark = pytest.mark.django_db


def staff_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_citizen_cannot_log_in_on_the_staff_side(client, citizen):
    for username in (citizen.username, "citizen:0912000001"):
        response = staff_login(client, username, "pw-dan")
        assert response.status_code == 200 and "tài khoản công dân" in response.text
        assert logged_in_as(client) is None


def test_staff_still_log_in_on_the_staff_side(client, desk_officer):
    assert staff_login(client, "alice", "pw-alice").status_code == 302
    assert logged_in_as(client) == desk_officer


def test_a_staff_account_cannot_log_in_on_the_citizen_side(client, desk_officer):
    desk_officer.email = "alice@example.vn"
    desk_officer.save()
    for identifier in ("alice", "alice@example.vn"):
        response = password_login(client, identifier, "pw-alice")
        assert logged_in_as(client) is None, response.status_code


@pytest.mark.parametrize("made_staff", ["membership", "is_staff", "is_superuser"])
def test_a_citizen_account_made_staff_behind_the_services_back_stops_logging_in_here(
    client, citizen, commune, made_staff
):
    from motcua.agencies.models import Membership

    if made_staff == "membership":
        Membership.objects.create(user=citizen, agency=commune, role=Role.DESK_OFFICER)
    else:
        type(citizen).objects.filter(pk=citizen.pk).update(**{made_staff: True})
    citizen.refresh_from_db()
    assert not is_citizen_account(citizen)
    session = Client()
    session.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    assert session.get(reverse("citizens:dossiers")).status_code == 403
    password_login(client, "0912000001", "pw-dan")
    assert logged_in_as(client) is None
    request_code(client, "0912000001")
    response = enter_code(client, last_code("0912000001"))
    assert response.status_code == 400 and logged_in_as(client) is None
    assert CitizenProfile.objects.filter(phone="0912000001").count() == 1


def test_a_staff_member_signing_up_gets_a_separate_citizen_account(client, desk_officer):
    request_code(client, "0912999999")
    enter_code(client, last_code("0912999999"))
    user = logged_in_as(client)
    assert user != desk_officer and is_citizen_account(user)
    assert not is_citizen_account(desk_officer)


def test_no_role_is_ever_given_to_a_citizen_account(citizen, commune, admin_user):
    with pytest.raises(ValidationError, match="tài khoản công dân"):
        membership_grant(actor=admin_user, user=citizen, agency=commune, role=Role.SPECIALIST)
    assert not citizen.memberships.exists()


def test_no_admin_flag_is_ever_given_to_a_citizen_account(citizen, admin_user):
    citizen.is_staff = True
    with pytest.raises(ValidationError, match="tài khoản công dân"):
        account_update(actor=admin_user, user=citizen)
    citizen.refresh_from_db()
    assert not citizen.is_staff


def test_the_admin_says_why_it_will_not_make_a_citizen_staff(client, citizen, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[citizen.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(is_staff="on", is_active="on", date_joined_0="2026-11-23",
                date_joined_1="09:00:00", **{"memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0"})  # fmt: skip
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    response = client.post(url, data)
    assert response.status_code == 200 and "tài khoản công dân" in response.text
    citizen.refresh_from_db()
    assert not citizen.is_staff


def test_citizen_pages_refuse_a_staff_session(client, desk_officer):
    client.force_login(desk_officer)
    for name in ("citizens:dossiers", "citizens:profile"):
        response = client.get(reverse(name))
        assert response.status_code == 403 and "tài khoản cán bộ" in response.text


def test_citizen_pages_send_visitors_to_the_citizens_log_in(client, db):
    response = client.get(reverse("citizens:dossiers"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("citizens:login") + "?next=/cong-dan/ho-so/")


def test_the_citizens_log_in_page_is_a_setting_other_apps_read(client, db, settings):
    assert reverse(settings.CITIZEN_LOGIN_URL) == "/cong-dan/dang-nhap/"
    settings.CITIZEN_LOGIN_URL = "/elsewhere/"
    response = client.get(reverse("citizens:dossiers") + "?trang=2&x=1")
    assert response["Location"] == "/elsewhere/?next=/cong-dan/ho-so/%3Ftrang%3D2%26x%3D1"


def test_the_header_shows_each_side_its_own_links(client, citizen, desk_officer):
    anonymous = client.get("/").text
    assert "Công dân đăng nhập" in anonymous and "Cán bộ đăng nhập" in anonymous
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    mine = client.get("/").text
    assert "Hồ sơ của tôi" in mine and "Trang cán bộ" not in mine
    staff = Client()
    staff.force_login(desk_officer)
    theirs = staff.get("/").text
    assert "Trang cán bộ" in theirs and "Hồ sơ của tôi" not in theirs
