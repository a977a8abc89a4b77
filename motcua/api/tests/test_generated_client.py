"""The API as an integrator's generated client sees it: openapi-python-client builds a client
from /api/v1/openapi.json, and every operation is called with it, its answers (errors
included) read back into the client's own models."""

import importlib
import subprocess
import sys
from datetime import datetime

import httpx
import pytest

from motcua.api.tests.conftest import dossier_body
from motcua.workcalendar.calendar import VN_TZ

PACKAGE = "motcua_api_client"
OPERATIONS = {
    "procedures",
    "procedure",
    "agencies",
    "calendar_due",
    "dossier_create",
    "dossier_get",
    "dossier_public",
    "inbox",
    "dossier_action",
    "dossier_form",
}


@pytest.fixture
def generated(client, tmp_path):
    """The generated package, importable for this test only."""
    document = tmp_path / "openapi.json"
    document.write_bytes(client.get("/api/v1/openapi.json").content)
    config = tmp_path / "config.yaml"
    config.write_text(
        "post_hooks: []\n"  # no formatter run on the generated code
        # PDF papers read as files (the tool's own setting for binary answers, docs/api.md)
        "content_type_overrides:\n  application/pdf: application/octet-stream\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _in_process(wsgi_app) -> dict:
    """The client's httpx arguments to reach the project in this process and transaction."""
    return {"transport": httpx.WSGITransport(app=wsgi_app)}


def test_a_generated_client_makes_every_call(generated, api_world, wsgi_app):
    root = generated("client")
    models = generated("models")
    base = {
        "base_url": "http://testserver",
        "raise_on_unexpected_status": True,  # an undocumented status would raise
        "httpx_args": _in_process(wsgi_app),
    }
    anonymous = root.Client(**base)
    peer = root.AuthenticatedClient(token=api_world["key"], **base)
    officer = root.AuthenticatedClient(token=api_world["token"], **base)
    modules = {
        name: generated(f"api.{tag}.{name}")
        for tag, names in {
            "catalog": ["procedures", "procedure"],
            "agencies": ["agencies"],
            "calendar": ["calendar_due"],
            "dossiers": ["dossier_create", "dossier_get", "dossier_public"],
            "staff": ["inbox", "dossier_action", "dossier_form"],
        }.items()
        for name in names
    }
    assert set(modules) == OPERATIONS
    called = set()

    def call(name, client, **kwargs):
        called.add(name)
        return modules[name].sync_detailed(client=client, **kwargs)

    page = call("procedures", anonymous, q="khai sinh", limit=10).parsed
    assert page.count == 1 and page.results[0].processing_days == 3
    detail = call("procedure", anonymous, code=api_world["procedure"]).parsed
    assert [step.budget_hours for step in detail.steps] == [2, 12, 4, 2]
    tree = call("agencies", anonymous).parsed
    assert tree[0].children[0].code == api_world["agency"]

    due = call(
        "calendar_due",
        anonymous,
        start=datetime(2026, 11, 9, 10, tzinfo=VN_TZ),
        days=2,
        unit=models.CalendarDueUnit.CALENDAR_DAYS,
        agency=api_world["agency"],
    ).parsed
    assert due.due_at == datetime(2026, 11, 11, 17, tzinfo=VN_TZ)
    assert due.due_at.utcoffset().total_seconds() == 7 * 3600 and due.days == 2

    body = models.DossierIn.from_dict(dossier_body(api_world["agency"]))
    created = call("dossier_create", peer, body=body, idempotency_key="client-1")
    assert created.status_code == 201
    code = created.parsed.code
    again = call("dossier_create", peer, body=body, idempotency_key="client-1")
    assert again.status_code == 200 and again.parsed.code == code
    fetched = call("dossier_get", peer, code=code).parsed
    assert fetched.code == code and fetched.history[0].action == "receive"
    public = call("dossier_public", anonymous, code=code, verify="4567").parsed
    assert public.code == code and public.procedure

    # Error answers are read into the one documented error model.
    bad = models.DossierIn.from_dict(dossier_body("no-such-agency"))
    refused = call("dossier_create", peer, body=bad, idempotency_key="client-2")
    assert refused.status_code == 422 and isinstance(refused.parsed, models.ErrorOut)
    assert set(refused.parsed.errors.additional_properties) == {"agency"}
    missing = call("dossier_public", anonymous, code="X-1", verify="0000")
    assert missing.status_code == 404 and isinstance(missing.parsed, models.ErrorOut)
    out_of_range = call(
        "calendar_due", anonymous, start=datetime(1900, 1, 3, 10, tzinfo=VN_TZ), days=1
    )
    assert out_of_range.status_code == 422
    assert set(out_of_range.parsed.errors.additional_properties) == {"start"}
    unauthorised = call("dossier_get", anonymous, code=code)
    assert unauthorised.status_code == 401 and isinstance(unauthorised.parsed, models.ErrorOut)

    # The staff API with the desk officer's personal token (SPEC §12.2).
    box = call("inbox", officer, box=models.InboxBox.UNIT).parsed
    assert box.count == 2 and [i.code for i in box.items] == [code, api_world["dossier"]]
    mine = call("dossier_get", officer, code=api_world["dossier"]).parsed
    assert "forward" in mine.allowed_actions and mine.step == 1 and mine.assignee is None
    action = models.ActionIn(action=models.ActionInAction.FORWARD, version=mine.version)
    done = call("dossier_action", officer, code=api_world["dossier"], body=action)
    assert done.status_code == 200 and done.parsed.version == mine.version + 1
    stale = call("dossier_action", officer, code=api_world["dossier"], body=action)
    assert stale.status_code == 409 and isinstance(stale.parsed, models.ErrorOut)
    action.version = done.parsed.version  # the desk passed it on: no longer theirs to forward
    refused = call("dossier_action", officer, code=api_world["dossier"], body=action)
    assert refused.status_code == 422 and refused.parsed.detail
    forms = models.DossierFormForm
    paper = call("dossier_form", officer, code=api_world["dossier"], form=forms.VALUE_0)
    assert paper.status_code == 200 and paper.parsed.payload.read().startswith(b"%PDF")
    missing = call("dossier_form", officer, code=api_world["dossier"], form=forms.VALUE_3)
    assert missing.status_code == 404 and isinstance(missing.parsed, models.ErrorOut)

    assert called == OPERATIONS
