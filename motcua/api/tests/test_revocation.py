"""SPEC §12.2: a revoked API key stops working at once, on every server process; revoking is
a command and an admin action."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.api.models import ApiKey
from motcua.api.revocation import CredentialCache
from motcua.api.services import api_key_revoke
from motcua.api.tests.test_dossier_api import body, post

ROOT = Path(__file__).resolve().parents[3]
ADMIN = "/quan-tri/api/apikey/"


@pytest.fixture
def issued(commune, desk_officer, levels):
    from motcua.dossiers.tests.factories import four_step_procedure

    four_step_procedure()
    return ApiKey.issue(name="Cổng tỉnh", agency=commune)


def test_a_revoked_key_is_refused_on_the_very_next_request(client, issued, commune):
    key, raw = issued
    assert post(client, raw, body(commune)).status_code == 201  # this process keeps the key
    run(key.prefix)  # in this process, which is not told: it reads the signal
    assert post(client, raw, body(commune), idem="after").status_code == 401


def test_every_process_forgets_a_revoked_key_at_once(issued):
    """Two processes, each with its own cache of keys: the revocation tells neither, yet the
    next look-up in both refuses the key."""
    key, _ = issued

    def load():
        return ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).first()

    process_a, process_b = CredentialCache(seconds=60), CredentialCache(seconds=60)
    assert process_a.get(key.key_hash, load) == key
    assert process_b.get(key.key_hash, load) == key
    api_key_revoke(key=key)
    assert process_a.get(key.key_hash, load) is None
    assert process_b.get(key.key_hash, load) is None


def test_a_key_read_just_before_its_revocation_is_not_kept(issued):
    """One thread reads the key, the key is revoked and another thread already sees that,
    then the first thread stores what it read: the next request must still refuse it."""
    key, _ = issued
    cache = CredentialCache(seconds=60)

    def fresh():
        return ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).first()

    def read_then_revoked_meanwhile():
        still_valid = fresh()
        api_key_revoke(key=key)
        assert cache.get(key.key_hash, fresh) is None  # another thread, after the revocation
        return still_valid

    cache.get(key.key_hash, read_then_revoked_meanwhile)
    assert cache.get(key.key_hash, fresh) is None


def test_a_key_is_kept_while_nothing_is_revoked(issued):
    key, _ = issued
    cache = CredentialCache(seconds=60)
    cache.get(key.key_hash, lambda: key)
    assert cache.get(key.key_hash, lambda: None) == key  # not loaded again


REQUEST_IN_ANOTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.test import Client
from motcua.dossiers.tests.factories import PDF
from motcua.api.tests.test_dossier_api import body
from motcua.agencies.models import Agency

client, key = Client(), sys.argv[1]
commune = Agency.objects.get(code=sys.argv[2])
def status(idem):
    return client.post("/api/v1/dossiers", json.dumps(body(commune)),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem}).status_code
print(status("first"), flush=True)
sys.stdin.readline()  # the test revokes the key now
print(status("second"), flush=True)
"""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second process needs a database on disk"
)
@pytest.mark.django_db(transaction=True)
def test_a_server_process_refuses_a_key_revoked_by_the_command(issued, commune):
    key, raw = issued
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    env = {
        **os.environ,
        "MOTCUA_DEBUG": "1",
        "MOTCUA_DATABASE_URL": url,
        "MOTCUA_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    server = subprocess.Popen(
        [sys.executable, "-c", REQUEST_IN_ANOTHER_PROCESS, raw, commune.code],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout.readline().strip() == "201"
    revoke = subprocess.run(
        [sys.executable, "manage.py", "revoke_api_key", key.prefix],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert revoke.returncode == 0, revoke.stderr
    server.stdin.write("\n")
    server.stdin.flush()
    assert server.stdout.readline().strip() == "401"
    server.wait(30)


# --- the command ---------------------------------------------------------------------------


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("revoke_api_key", *args, stdout=out)
    return out.getvalue()


def test_the_command_revokes_by_prefix_name_or_whole_key(commune):
    by_prefix, _ = ApiKey.issue(name="Cổng A", agency=commune)
    by_name, _ = ApiKey.issue(name="Cổng B", agency=commune)
    whole, raw = ApiKey.issue(name="Cổng C", agency=commune)
    assert "Đã thu hồi" in run(f"{by_prefix.prefix}…")
    assert "Đã thu hồi" in run("Cổng B")
    assert "Đã thu hồi" in run(raw)
    for key in (by_prefix, by_name, whole):
        key.refresh_from_db()
        assert key.revoked_at is not None
    assert "từ trước" in run("Cổng B")


def test_an_ambiguous_or_unknown_key_revokes_nothing(commune, other_commune):
    ApiKey.issue(name="Cổng", agency=commune)
    ApiKey.issue(name="Cổng", agency=other_commune)
    with pytest.raises(CommandError, match="2 khóa"):
        run("Cổng")
    with pytest.raises(CommandError, match="Không có khóa"):
        run("mc_nothing")
    assert not ApiKey.objects.filter(revoked_at__isnull=False).exists()


# --- the admin ---------------------------------------------------------------------------


def revoke_in_admin(client, *keys):
    return client.post(
        ADMIN, {"action": "revoke", "_selected_action": [k.pk for k in keys]}, follow=True
    )


def test_an_agency_administrator_revokes_the_keys_of_their_agency_only(
    client, commune_admin, commune, other_commune
):
    mine, _ = ApiKey.issue(name="Cổng xã", agency=commune)
    theirs, _ = ApiKey.issue(name="Cổng xã khác", agency=other_commune)
    client.force_login(commune_admin)
    listing = client.get(ADMIN)
    assert "Cổng xã khác" not in listing.text and "Cổng xã" in listing.text
    assert client.get(f"{ADMIN}{theirs.pk}/change/").status_code == 404  # not theirs to see
    response = revoke_in_admin(client, mine, theirs)
    assert "Đã thu hồi 1 khóa" in response.text
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_a_superuser_revokes_any_key(client, admin_user, other_commune):
    theirs, _ = ApiKey.issue(name="Cổng xã khác", agency=other_commune)
    client.force_login(admin_user)
    revoke_in_admin(client, theirs)
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


def test_officers_cannot_reach_api_keys(client, desk_officer, commune):
    key, _ = ApiKey.issue(name="Cổng xã", agency=commune)
    client.force_login(desk_officer)
    revoke_in_admin(client, key)
    key.refresh_from_db()
    assert key.revoked_at is None


def test_keys_are_not_added_or_deleted_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(f"{ADMIN}add/").status_code == 403
    assert json.dumps("delete_selected") not in client.get(ADMIN).text
