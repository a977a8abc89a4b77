import base64

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from motcua.api.models import ApiKey
from motcua.api.services import user_token_create
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, four_step_procedure, receive


class _InTestTransaction:
    """The project's WSGI application answering in the test's own transaction, as Django's
    test client does: no connection is closed at the start or end of a request."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        # Django's test client connects these again after each of its own requests.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return self.handler(environ, start_response)


@pytest.fixture
def wsgi_app():
    try:
        yield _InTestTransaction()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def dossier_body(agency_code: str, **overrides) -> dict:
    """A dossier a peer system may send, valid in every field."""
    data = {
        "procedure": "1.001193",
        "agency": agency_code,
        "channel": 1,  # received elsewhere and forwarded: received at once (2: §12.3)
        "applicant": {
            "type": 1,
            "name": "Lê Văn Cường",
            "id_number": "036099001122",
            "phone": "0901234567",
            "email": "",
            "address": "Xóm 3",
        },
        "received_at": "2026-11-09T10:00:00+07:00",
        "documents": [
            {
                "name": "Tờ khai",
                "filename": "to-khai.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def api_world(commune, desk_officer, levels):
    """Real codes for the API's parameters: a published procedure, an agency with a desk, its
    key, a dossier of that agency (phone ending 5678) with its papers, and the personal token
    of the desk officer who holds it."""
    version = four_step_procedure()
    key = ApiKey.issue(name="Cổng tỉnh", agency=commune)[1]
    dossier = receive(desk_officer.memberships.get().desk, version)
    return {
        "key": key,
        "token": user_token_create(user=desk_officer, name="Ứng dụng")[1],
        "procedure": version.procedure.code,
        "agency": commune.code,
        "dossier": dossier.code,
        "form": "01",
        "verify": "5678",
    }


def dossier_version(code: str) -> int:
    """The version an officer would read before acting."""
    return Dossier.objects.values_list("version", flat=True).get(code=code)
