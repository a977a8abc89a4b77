"""Log-in through an OpenID Connect provider (VNeID), against a small provider these tests start
on 127.0.0.1 (``oidc_provider.py``): configured by settings only, off when not configured;
tokens that fail any check are refused; an identity links to an existing citizen by a
verified phone, e-mail or ID number, and never to a staff account."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from motcua.citizens.models import CitizenProfile, OidcIdentity

from .conftest import logged_in_as

pytestmark = pytest.mark.django_db
User = get_user_model()

PERSON = {
    "sub": "vneid-0001",
    "name": "Phạm Văn Bình",
    "cccd": "079123456780",
    "phone_number": "0912111222",
    "phone_number_verified": True,
    "email": "binh@example.vn",
    "email_verified": True,
    "address": {"formatted": "Thôn 3, xã Khe Sanh"},
}


def oidc_login(client, *, tamper_callback=None):
    """The browser's round trip: our start page → the provider → our callback."""
    start = client.get(reverse("citizens:oidc_start"))
    assert start.status_code == 302, start.status_code
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    query = parse_qs(back.query)
    if tamper_callback:
        query = tamper_callback(query)
    return client.get(back.path, {k: v[0] for k, v in query.items()})


@pytest.mark.parametrize(
    "discovery, client_id", [("", ""), ("http://127.0.0.1:9/x", ""), ("", "motcua")]
)
def test_off_unless_configured(client, db, settings, discovery, client_id):
    settings.OIDC_DISCOVERY_URL = discovery
    settings.OIDC_CLIENT_ID = client_id
    assert "Đăng nhập bằng VNeID" not in client.get(reverse("citizens:login")).text
    assert client.get(reverse("citizens:oidc_start")).status_code == 404
    assert client.get(reverse("citizens:oidc_callback")).status_code == 404


def test_the_button_shows_when_configured(client, oidc_provider):
    assert "Đăng nhập bằng VNeID" in client.get(reverse("citizens:login")).text


def test_the_start_asks_for_a_code_with_pkce_and_a_nonce(client, oidc_provider):
    start = client.get(reverse("citizens:oidc_start"))
    query = parse_qs(urlparse(start["Location"]).query)
    assert start["Location"].startswith(oidc_provider.issuer + "/authorize")
    assert query["response_type"] == ["code"] and query["client_id"] == ["motcua-test"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()


def test_a_first_log_in_makes_a_vneid_verified_citizen(client, oidc_provider):
    oidc_provider.person = dict(PERSON)
    response = oidc_login(client)
    assert response.status_code == 302 and response["Location"] == reverse("citizens:profile")
    user = logged_in_as(client)
    profile = user.citizen_profile
    assert profile.vneid_verified and profile.vneid_verified_at is not None
    assert (profile.full_name, profile.id_number) == ("Phạm Văn Bình", "079123456780")
    assert (profile.phone, profile.email) == ("0912111222", "binh@example.vn")
    assert profile.address == "Thôn 3, xã Khe Sanh"
    assert not user.is_staff and not user.memberships.exists()
    identity = OidcIdentity.objects.get()
    assert (identity.issuer, identity.subject) == (oidc_provider.issuer, "vneid-0001")
    # the next time, the same account
    again = Client()
    assert oidc_login(again)["Location"] == reverse("citizens:dossiers")
    assert logged_in_as(again) == user and User.objects.count() == 1


def test_unverified_contacts_and_a_bad_id_number_are_not_taken(client, oidc_provider):
    oidc_provider.person = {
        **PERSON,
        "cccd": "79123456780",
        "phone_number_verified": False,
        "email_verified": "true",  # a string is not the boolean true
    }
    oidc_login(client)
    profile = logged_in_as(client).citizen_profile
    assert (profile.phone, profile.email, profile.id_number) == ("", "", "")
    assert not profile.vneid_verified


def test_an_identity_links_to_the_citizen_with_that_verified_phone(client, oidc_provider, citizen):
    oidc_provider.person = {**PERSON, "phone_number": "0912000001", "email": "x@example.vn"}
    oidc_login(client)
    assert logged_in_as(client) == citizen
    profile = CitizenProfile.objects.get(user=citizen)
    assert profile.vneid_verified and profile.id_number == "079123456780"
    assert profile.full_name == "Phạm Văn Bình"  # the provider's name wins once verified
    assert profile.email == "dan@example.vn"  # an existing contact is kept


def test_an_unverified_phone_does_not_link(client, oidc_provider, citizen):
    oidc_provider.person = {
        **PERSON,
        "phone_number": "0912000001",
        "phone_number_verified": False,
        "email_verified": False,
    }
    oidc_login(client)
    user = logged_in_as(client)
    assert user != citizen and user.citizen_profile.phone == ""


def test_an_identity_links_to_the_account_with_that_verified_id_number(
    client, oidc_provider, citizen
):
    CitizenProfile.objects.filter(user=citizen).update(
        id_number="079123456780", vneid_verified=True
    )
    oidc_provider.person = {
        "sub": "portal-sso-77",
        "cccd": "079123456780",
        "name": "Nguyễn Dân",
    }
    oidc_login(client)
    assert logged_in_as(client) == citizen


def test_an_id_number_merely_typed_in_does_not_link(client, oidc_provider, citizen):
    """Someone who typed another person's ID number into their profile does not receive that
    person's VNeID log-in."""
    CitizenProfile.objects.filter(user=citizen).update(id_number="079123456780")
    oidc_provider.person = {"sub": "vneid-0001", "cccd": "079123456780", "name": "Bình"}
    oidc_login(client)
    assert logged_in_as(client) != citizen


def test_never_into_a_staff_account(client, oidc_provider, desk_officer):
    desk_officer.email = "binh@example.vn"
    desk_officer.save()
    oidc_provider.person = dict(PERSON)
    oidc_login(client)
    user = logged_in_as(client)
    assert user != desk_officer and user.citizen_profile.vneid_verified
    assert not OidcIdentity.objects.filter(user=desk_officer).exists()


def test_a_staff_session_cannot_link_vneid(client, oidc_provider, desk_officer):
    client.force_login(desk_officer)
    assert client.get(reverse("citizens:oidc_start")).status_code == 403
    assert client.get(reverse("citizens:oidc_callback")).status_code == 403
    assert not OidcIdentity.objects.exists()


def test_the_service_itself_never_links_an_identity_to_staff(desk_officer):
    from motcua.citizens.services import OidcClaims, OidcRefused, oidc_sign_in

    with pytest.raises(OidcRefused):
        oidc_sign_in(
            issuer="https://sso", claims=OidcClaims(subject="s"), current_user=desk_officer
        )
    assert not OidcIdentity.objects.exists()


def test_two_matching_accounts_are_refused(client, oidc_provider, citizen, other_citizen):
    oidc_provider.person = {**PERSON, "phone_number": "0912000001", "email": "em@example.vn"}
    response = oidc_login(client)
    assert response.status_code == 403 and "nhiều tài khoản" in response.text
    assert logged_in_as(client) is None and not OidcIdentity.objects.exists()


def test_a_logged_in_citizen_links_vneid_from_the_profile(client, oidc_provider, citizen):
    client.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    assert "Liên kết VNeID" in client.get(reverse("citizens:profile")).text
    oidc_provider.person = {"sub": "vneid-0009", "cccd": "079123456781", "name": "Nguyễn Dân"}
    response = oidc_login(client)
    assert response["Location"] == reverse("citizens:profile")
    assert OidcIdentity.objects.get().user == citizen
    assert CitizenProfile.objects.get(user=citizen).vneid_verified


def test_an_identity_linked_to_one_citizen_does_not_link_to_another(
    client, oidc_provider, citizen, other_citizen
):
    oidc_provider.person = {"sub": "vneid-0009", "cccd": "079123456781", "name": "Dân"}
    first = Client()
    first.force_login(citizen, backend="motcua.citizens.backends.CitizenBackend")
    oidc_login(first)
    client.force_login(other_citizen, backend="motcua.citizens.backends.CitizenBackend")
    response = oidc_login(client)
    assert response.status_code == 403 and "tài khoản khác" in response.text
    assert OidcIdentity.objects.get().user == citizen


@pytest.mark.parametrize("tamper", ["key", "aud", "iss", "expired", "nonce"])
def test_a_token_that_fails_a_check_logs_nobody_in(client, oidc_provider, tamper):
    oidc_provider.person = dict(PERSON)
    oidc_provider.tamper = tamper
    response = oidc_login(client)
    assert response.status_code == 400 and "Không hoàn tất" in response.text
    assert logged_in_as(client) is None and not CitizenProfile.objects.exists()


def test_a_callback_with_a_forged_state_is_refused(client, oidc_provider):
    oidc_provider.person = dict(PERSON)
    response = oidc_login(client, tamper_callback=lambda q: {**q, "state": ["forged"]})
    assert response.status_code == 400 and logged_in_as(client) is None


def test_a_callback_in_another_browser_is_refused(client, oidc_provider):
    """A code handed to someone else's browser (log-in CSRF) finds no state there."""
    oidc_provider.person = dict(PERSON)
    start = client.get(reverse("citizens:oidc_start"))
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    victim = Client()
    url = urlparse(back.headers["Location"])
    response = victim.get(f"{url.path}?{url.query}")
    assert response.status_code == 400 and logged_in_as(victim) is None


def test_the_provider_refusing_is_said_plainly(client, oidc_provider):
    response = oidc_login(
        client, tamper_callback=lambda q: {"state": q["state"], "error": ["access_denied"]}
    )
    assert response.status_code == 400 and logged_in_as(client) is None


def test_userinfo_for_another_person_is_refused(client, oidc_provider):
    oidc_provider.person = dict(PERSON)
    oidc_provider.userinfo_extra = {"sub": "someone-else"}
    response = oidc_login(client)
    assert response.status_code == 400 and logged_in_as(client) is None


def test_claims_only_in_userinfo_are_read(client, oidc_provider):
    oidc_provider.person = {"sub": "vneid-0002"}
    oidc_provider.userinfo_extra = {
        "sub": "vneid-0002",
        "name": "Lò Thị Mai",
        "cccd": "011122233344",
    }
    oidc_login(client)
    profile = logged_in_as(client).citizen_profile
    assert (profile.full_name, profile.id_number) == ("Lò Thị Mai", "011122233344")


def test_claim_names_come_from_settings(client, oidc_provider, settings):
    settings.OIDC_CLAIM_ID_NUMBER = "so_dinh_danh"
    settings.OIDC_CLAIM_NAME = "ho_ten"
    oidc_provider.person = {"sub": "vneid-0003", "so_dinh_danh": "001099012345", "ho_ten": "Mai"}
    oidc_login(client)
    profile = logged_in_as(client).citizen_profile
    assert (profile.full_name, profile.id_number) == ("Mai", "001099012345")


def test_a_provider_that_cannot_be_reached_is_said_plainly(client, db, settings):
    from motcua.citizens import oidc

    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = "x"
    oidc._client.cache_clear()
    response = client.get(reverse("citizens:oidc_start"))
    assert response.status_code == 503 and "Không hoàn tất" in response.text
    oidc._client.cache_clear()


def test_oidc_log_ins_are_limited_per_address(client, oidc_provider, settings):
    settings.CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE = 1
    oidc_provider.person = dict(PERSON)
    client.get(reverse("citizens:oidc_callback"), {"code": "x", "state": "y"})
    response = oidc_login(client)
    assert response.status_code == 429 and logged_in_as(client) is None
