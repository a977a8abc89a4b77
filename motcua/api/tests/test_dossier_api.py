import base64
import json

import pytest
from django.core.management import call_command

from motcua.api.models import ApiKey
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, four_step_procedure

URL = "/api/v1/dossiers"


@pytest.fixture(autouse=True)
def _today(clock):
    """The bodies below were received on 9/11/2026; the API is called the next morning."""
    from motcua.dossiers.tests.factories import vn

    clock(vn(2026, 11, 10, 9))


@pytest.fixture
def key(commune, desk_officer, levels):
    four_step_procedure()
    return ApiKey.issue(name="Cổng tỉnh", agency=commune)[1]


def body(commune, **overrides):
    data = {
        "procedure": "1.001193",
        "agency": commune.code,
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


def post(client, key, data, idem="abc-1"):
    return client.post(
        URL,
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
    )


def test_peer_system_creates_a_dossier(client, key, commune):
    response = post(client, key, body(commune))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == f"{commune.code}-261109-0001"
    assert data["dvcqg_status"] == 2 and data["due_at"] == "2026-11-12T10:00:00+07:00"
    assert Dossier.objects.get().attachments.count() == 1


def test_same_idempotency_key_gives_the_same_dossier(client, key, commune):
    first = post(client, key, body(commune)).json()
    again = post(client, key, body(commune))
    assert again.status_code == 200 and again.json()["code"] == first["code"]
    assert Dossier.objects.count() == 1
    other = post(client, key, body(commune), idem="abc-2")
    assert other.status_code == 201 and Dossier.objects.count() == 2


def test_reusing_a_key_for_another_body_is_refused(client, key, commune):
    post(client, key, body(commune))
    response = post(client, key, body(commune, channel=3))
    assert response.status_code == 422 and Dossier.objects.count() == 1


def test_validation_errors_are_422_per_field_and_store_nothing(client, key, commune):
    bad = body(
        commune,
        procedure="0.000",
        applicant={"name": "", "id_number": "12"},
        documents=[{"name": "x", "filename": "x.pdf", "content_base64": "@@@"}],
    )
    response = post(client, key, bad)
    assert response.status_code == 422
    assert "procedure" in response.json()["errors"]
    assert not Dossier.objects.exists()
    bad = body(commune, applicant={"name": "", "id_number": "12"})
    errors = post(client, key, bad, idem="k2").json()["errors"]
    assert set(errors) >= {"applicant.name", "applicant.id_number"}
    # Numbers are JSON numbers: "2", true or 1.0 are not a channel or an applicant type.
    for loose in ("2", True, 1.0):
        loose_body = body(commune, channel=loose)
        loose_body["applicant"]["type"] = loose
        errors = post(client, key, loose_body, idem="k2").json()["errors"]
        assert set(errors) == {"channel", "applicant.type"}, loose
    assert not Dossier.objects.exists()
    # After a refusal, the same key may carry the corrected request.
    assert post(client, key, body(commune), idem="k2").status_code == 201


def test_a_procedure_republished_while_cached_receives_with_the_new_version(client, key, commune):
    first = post(client, key, body(commune))  # this process now keeps version 1
    assert first.status_code == 201
    four_step_procedure(days="5")  # version 2 supersedes it (as if in another process)
    second = post(client, key, body(commune), idem="abc-2")
    assert second.status_code == 201, second.content
    dossier = Dossier.objects.get(code=second.json()["code"])
    assert dossier.procedure_version.number == 2
    # A retry of the first request still gets its dossier, received under version 1.
    again = post(client, key, body(commune))
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 2


def test_a_retry_refused_by_new_rules_still_gets_its_dossier(client, key, commune):
    first = post(client, key, body(commune)).json()
    from motcua.catalog.models import Procedure

    Procedure.objects.get(code="1.001193").versions.update(status="superseded")
    again = post(client, key, body(commune))
    assert again.status_code == 200 and again.json()["code"] == first["code"]
    assert post(client, key, body(commune), idem="new").status_code == 422


def test_missing_or_wrong_key_is_401(client, key, commune):
    response = client.post(
        URL,
        json.dumps(body(commune)),
        content_type="application/json",
        headers={"Idempotency-Key": "x"},
    )
    assert response.status_code == 401
    assert post(client, "mc_wrong", body(commune)).status_code == 401


def test_key_of_another_agency_cannot_file_here(client, key, commune, other_commune):
    other_key = ApiKey.issue(name="Xã khác", agency=other_commune)[1]
    response = post(client, other_key, body(commune))
    assert response.status_code == 422 and "agency" in response.json()["errors"]


def test_get_dossier_with_history_for_the_same_agency_only(client, key, commune, other_commune):
    code = post(client, key, body(commune)).json()["code"]
    response = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["history"][0]["action"] == "receive"
    other_key = ApiKey.issue(name="Xã khác", agency=other_commune)[1]
    response = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {other_key}"})
    assert response.status_code == 404


def test_public_status_has_no_personal_data(client, key, commune):
    code = post(client, key, body(commune)).json()["code"]
    response = client.get(f"/api/v1/public/dossiers/{code}", {"verify": "4567"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lê Văn Cường" not in text and "0901234567" not in text
    assert response.json()["dvcqg_status"] == 2
    wrong = client.get(f"/api/v1/public/dossiers/{code}", {"verify": "0000"})
    missing = client.get("/api/v1/public/dossiers/nope", {"verify": "4567"})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json()


def test_create_api_key_prints_a_key_that_is_stored_hashed(commune, capsys):
    call_command("create_api_key", "Cổng quốc gia", "--agency", commune.code)
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("mc_")
    assert ApiKey.objects.get().key_hash == ApiKey.hash(raw)
    assert not ApiKey.objects.filter(key_hash=raw).exists()


def test_times_are_given_in_vietnam_time(client, key, commune):
    code = post(client, key, body(commune)).json()["code"]
    public = client.get(f"/api/v1/public/dossiers/{code}", {"verify": "4567"}).json()
    assert public["due_at"] == "2026-11-12T10:00:00+07:00"
    full = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {key}"}).json()
    assert full["received_at"] == "2026-11-09T10:00:00+07:00"
    assert full["history"][0]["at"].endswith("+07:00")


def test_a_revoked_key_stops_working(client, key, commune, monkeypatch):
    from django.utils import timezone

    from motcua.api import auth

    assert post(client, key, body(commune)).status_code == 201
    ApiKey.objects.update(revoked_at=timezone.now())
    monkeypatch.setattr(auth._keys._entries, "seconds", 0)  # as a minute later
    assert post(client, key, body(commune), idem="after").status_code == 401


def test_only_a_migration_key_files_a_dossier_received_long_ago(client, key, commune, capsys):
    old = body(commune, received_at="2026-09-01T10:00:00+07:00")
    refused = post(client, key, old, idem="old-1")
    assert refused.status_code == 422 and "30 ngày" in refused.json()["errors"]["received_at"]
    call_command("create_api_key", "Chuyển dữ liệu", "--agency", commune.code, "--migration")
    migration_key = capsys.readouterr().out.strip()
    accepted = post(client, migration_key, old, idem="old-1")
    assert accepted.status_code == 201 and accepted.json()["code"].endswith("-260901-0001")
