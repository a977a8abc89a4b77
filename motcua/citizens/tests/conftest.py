import re

import pytest
from django.urls import reverse

from motcua.notifications.models import Notification


def last_code(recipient: str) -> str:
    """The code in the last message sent to ``recipient`` (what the phone shows)."""
    message = Notification.objects.filter(recipient=recipient, kind="citizen_code").latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def request_code(client, identifier: str, **extra):
    return client.post(
        reverse("citizens:login"), {"method": "code", "code-identifier": identifier, **extra}
    )


def enter_code(client, code: str):
    return client.post(reverse("citizens:code"), {"code": code})


def sign_in_by_code(client, identifier: str):
    request_code(client, identifier)
    return enter_code(client, last_code(identifier))


def password_login(client, identifier: str, password: str, **extra):
    return client.post(
        reverse("citizens:login"),
        {"method": "password", "pw-identifier": identifier, "pw-password": password, **extra},
    )


def logged_in_as(client):
    from django.contrib.auth import get_user_model

    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


@pytest.fixture
def oidc_provider(settings):
    """The local OpenID Connect provider, and the settings that point at it."""
    from motcua.citizens import oidc

    from .oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

    provider = Provider().start()
    settings.OIDC_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_CLAIM_ID_NUMBER = "cccd"
    oidc._client.cache_clear()
    yield provider
    provider.stop()
    oidc._client.cache_clear()


@pytest.fixture
def version(levels):
    from motcua.dossiers.tests.factories import four_step_procedure

    return four_step_procedure()


@pytest.fixture
def desk(desk_officer):
    return desk_officer.memberships.get().desk
