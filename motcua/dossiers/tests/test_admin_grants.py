"""An agency administrator cannot read dossiers in two steps — make an account, give it a
leader's role, log in as it (hardening issue, item 5): the role waits for a leader's
confirmation and gives no access until then."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from motcua.agencies.models import Membership, MembershipRequest, Role
from motcua.dossiers.tests.factories import receive

User = get_user_model()
PASSWORD = "Mk-rat-dai-2026!"


def _log_in(client, username):
    """Through the staff log-in page, as the administrator would."""
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.text


def _two_steps(client, commune_admin, commune):
    """What the administrator does in the admin: a new account, then a leader's role."""
    client.force_login(commune_admin)
    created = client.post("/quan-tri/auth/user/add/", {
        "username": "tay.trong", "password1": PASSWORD, "password2": PASSWORD,
        "usable_password": "true", "home_agency": commune.pk,
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })  # fmt: skip
    assert created.status_code == 302
    second = User.objects.get(username="tay.trong")
    granted = client.post("/quan-tri/agencies/membership/add/", {
        "user": second.pk, "agency": commune.pk, "role": Role.AGENCY_LEADER, "unit": "",
        "desk": "", "title": "", "phone": "",
    }, follow=True)  # fmt: skip
    assert "đang chờ xác nhận" in granted.text  # told in Vietnamese
    client.logout()
    return second


def test_the_second_account_reads_no_dossier_until_a_leader_confirms(
    client, commune_admin, commune, leader, desk, version
):
    dossier = receive(desk, version)  # decided by the commune
    second = _two_steps(client, commune_admin, commune)
    assert not Membership.objects.filter(user=second).exists()
    _log_in(client, "tay.trong")
    assert client.get(reverse("dossiers:detail", args=[dossier.ref])).status_code == 404
    assert dossier.code not in client.get(reverse("dossiers:inbox")).text
    client.logout()

    client.force_login(leader)
    pending = MembershipRequest.objects.get(user=second)
    page = client.get(reverse("agencies:membership_requests"))
    assert "tay.trong" in page.text
    client.post(reverse("agencies:membership_requests"),
                {"request": pending.pk, "decision": "confirm"})  # fmt: skip
    client.logout()

    _log_in(client, "tay.trong")
    assert client.get(reverse("dossiers:detail", args=[dossier.ref])).status_code == 200
