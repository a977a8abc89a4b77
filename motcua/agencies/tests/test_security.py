import subprocess
import sys

from django.urls import reverse


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_failed_logins_lock_the_account_out(client, desk_officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "alice", "wrong")
    response = login(client, "alice", "pw-alice")  # right password, but locked
    assert response.status_code == 429
    assert "tạm bị khóa" in response.text
    assert "_auth_user_id" not in client.session


def test_correct_login_works(client, desk_officer):
    response = login(client, "alice", "pw-alice")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(desk_officer.pk)


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_production_start_without_secret_key_stops_with_a_clear_message(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_ALLOWED_HOSTS": "x",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "MOTCUA_SECRET_KEY" in result.stderr


def test_production_settings_use_secure_cookies(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "MOTCUA_DEBUG": "0",
        "MOTCUA_ALLOWED_HOSTS": "x",
        "MOTCUA_SECRET_KEY": "k" * 50,
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_api_docs_page_keeps_a_policy_and_json_answers_need_none(client, db):
    docs = client.get("/api/v1/docs")
    assert "default-src 'self'" in docs["Content-Security-Policy"]
    answer = client.get("/api/v1/agencies")
    assert "Content-Security-Policy" not in answer
    assert answer["X-Content-Type-Options"] == "nosniff"
