"""SPEC §12.2: personal access tokens. ``create_user_token`` prints one (its last word); an
officer creates and revokes their own on their profile page; a token acts as its officer with
the staff pages' permissions; a revoked token — or a locked account, or one that is no longer
staff — stops working at once; a citizen gets none; only a hash is stored."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from motcua.agencies.models import Membership
from motcua.api.models import ApiKey, UserToken
from motcua.api.revocation import CredentialCache
from motcua.api.services import user_token_create, user_token_revoke

PAGE = "/can-bo/tai-khoan/"


def inbox(client, token):
    return client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {token}"})


def create(*args) -> str:
    out = StringIO()
    call_command("create_user_token", *args, stdout=out)
    return out.getvalue()


# --- the command ---------------------------------------------------------------------------


def test_the_command_prints_a_token_as_its_last_word_and_keeps_only_its_hash(client, desk_officer):
    printed = create("alice", "--name", "Điện thoại")
    raw = printed.split()[-1]
    assert raw.startswith("mcu_") and len(raw) > 40
    token = UserToken.objects.get()
    assert (token.user, token.name, token.prefix) == (desk_officer, "Điện thoại", raw[:12])
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(v) for v in UserToken.objects.values().get().values()]
    assert not any(raw in value for value in stored)  # the token itself is nowhere
    assert inbox(client, raw).status_code == 200


def test_a_citizen_gets_no_staff_token(client, citizen):
    with pytest.raises(CommandError, match="tài khoản cán bộ"):
        create("dan")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        create("nobody")
    assert not UserToken.objects.exists()
    # A token made for them behind the services' back acts as no one.
    raw = UserToken.issue(user=citizen, name="lậu")[1]
    assert inbox(client, raw).status_code == 401


# --- acting as the officer, and stopping at once ----------------------------------------


def test_a_revoked_token_is_refused_on_the_very_next_request(client, desk_officer):
    token, raw = user_token_create(user=desk_officer, name="Điện thoại")
    other = user_token_create(user=desk_officer, name="Máy tính bảng")[1]
    assert inbox(client, raw).status_code == 200  # this process now keeps the token
    assert user_token_revoke(token=token) is True
    refused = inbox(client, raw)
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Bearer"
    assert inbox(client, other).status_code == 200  # only that one
    assert user_token_revoke(token=token) is False  # already revoked


def test_every_process_forgets_a_revoked_token_at_once(desk_officer):
    """Two processes' caches: the revocation tells neither, yet both refuse next time."""
    token, _ = user_token_create(user=desk_officer)

    def load():
        found = UserToken.objects.filter(pk=token.pk, revoked_at__isnull=True).first()
        return found.user_id if found else None

    process_a, process_b = CredentialCache(seconds=60), CredentialCache(seconds=60)
    assert process_a.get(token.token_hash, load) == desk_officer.pk
    assert process_b.get(token.token_hash, load) == desk_officer.pk
    user_token_revoke(token=token)
    assert process_a.get(token.token_hash, load) is None
    assert process_b.get(token.token_hash, load) is None


def test_a_locked_account_or_a_withdrawn_role_stops_its_token_at_once(client, desk_officer):
    raw = user_token_create(user=desk_officer)[1]
    assert inbox(client, raw).status_code == 200
    desk_officer.is_active = False
    desk_officer.save()
    assert inbox(client, raw).status_code == 401
    desk_officer.is_active = True
    desk_officer.save()
    assert inbox(client, raw).status_code == 200
    Membership.objects.filter(user=desk_officer).delete()  # no longer staff: a citizen now
    assert inbox(client, raw).status_code == 401


def test_a_token_and_a_key_are_told_apart(client, desk_officer, commune):
    key = ApiKey.issue(name="Cổng", agency=commune)[1]
    raw = user_token_create(user=desk_officer)[1]
    for wrong in ("mcu_" + raw[4:-1], key[:-1], "mc_" + raw[4:], "mcu_" + key[3:]):
        assert inbox(client, wrong).status_code == 401
    assert inbox(client, key).status_code == 200 and inbox(client, raw).status_code == 200


def test_the_last_use_is_noted(client, desk_officer):
    token, raw = user_token_create(user=desk_officer)
    assert token.last_used_at is None
    inbox(client, raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- the profile page ------------------------------------------------------------------------


def test_an_officer_creates_a_token_shown_once_and_listed_by_its_prefix(client, desk_officer):
    client.force_login(desk_officer)
    shown = client.post(PAGE, {"name": "Điện thoại Android"})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    token = UserToken.objects.get(user=desk_officer)
    raw = shown.context["created"]
    assert raw in shown.text and token.token_hash == UserToken.hash(raw)
    assert inbox(client, raw).status_code == 200
    again = client.get(PAGE)
    assert raw not in again.text  # once only
    assert "Điện thoại Android" in again.text and f"{token.prefix}…" in again.text
    assert client.get("/can-bo/").text.count(PAGE) == 1  # linked from the staff home


def test_an_officer_revokes_their_own_tokens_only(client, desk_officer, specialist):
    mine, raw = user_token_create(user=desk_officer, name="Của tôi")
    theirs, their_raw = user_token_create(user=specialist, name="Của Bob")
    client.force_login(desk_officer)
    assert "Của Bob" not in client.get(PAGE).text
    assert client.post(f"{PAGE}{theirs.pk}/thu-hoi/").status_code == 404
    assert client.get(f"{PAGE}{mine.pk}/thu-hoi/").status_code == 405  # a change is a POST
    response = client.post(f"{PAGE}{mine.pk}/thu-hoi/", follow=True)
    assert "Đã thu hồi" in response.text
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert inbox(client, raw).status_code == 401 and inbox(client, their_raw).status_code == 200


def test_a_citizen_is_told_and_can_make_no_token_on_the_page(client, citizen):
    client.force_login(citizen)
    page = client.get(PAGE)
    assert "tài khoản cán bộ" in page.text and 'name="name"' not in page.text
    client.post(PAGE, {"name": "x"})
    assert not UserToken.objects.exists()


def test_the_page_asks_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_bad_name_is_refused_with_its_message(client, desk_officer):
    client.force_login(desk_officer)
    response = client.post(PAGE, {"name": "x" * 101})
    assert response.status_code == 200 and response.context["created"] is None
    assert not UserToken.objects.exists()


# --- revoking by command and in the admin (effective at once) --------------------------

TOKEN_ADMIN = "/quan-tri/api/usertoken/"


def revoke(*args) -> str:
    out = StringIO()
    call_command("revoke_user_token", *args, stdout=out)
    return out.getvalue()


def test_the_command_revokes_a_token_at_once_by_prefix_or_whole_token(client, desk_officer):
    phone, phone_raw = user_token_create(user=desk_officer, name="Điện thoại")
    _script, script_raw = user_token_create(user=desk_officer, name="Tập lệnh")
    assert inbox(client, phone_raw).status_code == 200  # this process keeps the token
    assert "Đã thu hồi" in revoke(f"{phone.prefix}…")
    assert inbox(client, phone_raw).status_code == 401  # the very next request
    assert inbox(client, script_raw).status_code == 200  # the other one still works
    assert "Đã thu hồi" in revoke(script_raw)
    assert inbox(client, script_raw).status_code == 401
    assert "từ trước" in revoke(phone.prefix)


def test_the_command_revokes_every_token_of_an_account_only_when_told(client, desk_officer):
    raws = [user_token_create(user=desk_officer, name=n)[1] for n in ("A", "B")]
    with pytest.raises(CommandError, match="2 mã"):
        revoke("alice")
    assert [inbox(client, raw).status_code for raw in raws] == [200, 200]
    with pytest.raises(CommandError, match="Không có mã"):
        revoke("mcu_nothing")
    assert revoke("alice", "--all").count("Đã thu hồi") == 2
    assert [inbox(client, raw).status_code for raw in raws] == [401, 401]


def test_an_agency_administrator_revokes_tokens_of_their_accounts_only_at_once(
    client, commune_admin, desk_officer, other_agency_officer
):
    mine, mine_raw = user_token_create(user=desk_officer, name="Điện thoại của Alice")
    theirs, theirs_raw = user_token_create(user=other_agency_officer, name="Của Charlie")
    assert inbox(client, mine_raw).status_code == 200
    client.force_login(commune_admin)
    listing = client.get(TOKEN_ADMIN)
    assert "Điện thoại của Alice" in listing.text and "Của Charlie" not in listing.text
    assert client.get(f"{TOKEN_ADMIN}{theirs.pk}/change/").status_code == 404
    response = client.post(
        TOKEN_ADMIN,
        {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )
    assert "Đã thu hồi 1 mã" in response.text
    client.logout()
    assert inbox(client, mine_raw).status_code == 401
    assert inbox(client, theirs_raw).status_code == 200


def test_a_superuser_revokes_any_token_in_the_admin(client, admin_user, other_agency_officer):
    token, _raw = user_token_create(user=other_agency_officer, name="Của Charlie")
    client.force_login(admin_user)
    client.post(TOKEN_ADMIN, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_officers_cannot_reach_tokens_in_the_admin(client, desk_officer):
    user_token_create(user=desk_officer, name="Điện thoại")
    client.force_login(desk_officer)
    assert client.get(TOKEN_ADMIN).status_code in (302, 403, 404)
