"""One documented error shape, in Vietnamese, for every error answer of the API (issue
"Hardening", item 11)."""

import json
import re

import pytest
from django.core.cache import cache

from motcua.api.tests.conftest import dossier_body
from motcua.dossiers.models import Dossier

URL = "/api/v1/dossiers"

#: Every Vietnamese sentence has a letter English has not.
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)


def post(client, key, data, idem="k-1", **headers):
    return client.post(
        URL,
        data if isinstance(data, str) else json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem, **headers},
    )


def assert_error_shape(response, status):
    """The documented shape: ``detail``, and ``errors`` (field → message) only when given."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) <= {"detail", "errors"} and VIETNAMESE.search(body["detail"])
    for message in body.get("errors", {}).values():
        assert VIETNAMESE.search(message), message
    return body


# --- the OpenAPI document -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_operation_documents_its_error_answers_with_one_shape(client):
    document = client.get("/api/v1/openapi.json").json()
    expected = {
        ("get", "/api/v1/procedures"): {422},
        ("get", "/api/v1/procedures/{code}"): {404, 422},
        ("get", "/api/v1/agencies"): set(),
        ("get", "/api/v1/calendar/due"): {404, 422},
        ("post", "/api/v1/dossiers"): {400, 401, 413, 422},
        ("get", "/api/v1/dossiers/{code}"): {401, 404, 422},
        ("get", "/api/v1/public/dossiers/{code}"): {404, 422, 429},
    }
    for (method, path), statuses in expected.items():
        responses = document["paths"][path][method]["responses"]
        errors = {int(status) for status in responses if int(status) >= 400}
        assert errors == statuses, (method, path)
        for status in errors:
            schema = responses[str(status)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}
            assert VIETNAMESE.search(responses[str(status)]["description"])
    error = document["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail"]
    assert error["properties"]["errors"]["additionalProperties"] == {"type": "string"}
    retry_after = document["paths"]["/api/v1/public/dossiers/{code}"]["get"]["responses"]["429"]
    assert retry_after["headers"]["Retry-After"]["required"] is True


@pytest.mark.django_db
def test_decimals_are_documented_as_numbers(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["ProcedureOut"]["properties"]["processing_days"]["type"] == "number"
    assert schemas["StepOut"]["properties"]["budget_hours"]["type"] == "number"
    assert schemas["DueOut"]["properties"]["days"]["type"] == "number"


@pytest.mark.django_db
def test_unit_of_calendar_due_is_a_plain_enumeration(client):
    """A generated client can pass it: an inline string enum, not an ``allOf`` wrapper."""
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/calendar/due"]["get"]["parameters"]
    unit = next(p for p in parameters if p["name"] == "unit")
    assert unit["schema"]["type"] == "string"
    assert unit["schema"]["enum"] == ["working_days", "calendar_days", "same_day", "working_hours"]
    days = next(p for p in parameters if p["name"] == "days")
    assert days["schema"] == {
        "type": "number",
        "minimum": 0,
        "maximum": 3650,
        "title": "Days",
        "description": "Thời hạn, từ 0 đến 3650.",
    }


# --- 422: one name per field, Vietnamese only -----------------------------------------------


def test_422_names_body_fields_by_their_json_path_only(client, api_world):
    key, agency = api_world["key"], api_world["agency"]
    # Found by the schema (a number where a code is expected)…
    by_schema = assert_error_shape(post(client, key, dossier_body(agency, agency=5)), 422)
    assert set(by_schema["errors"]) == {"agency"}
    # …or by the receipt (a code of no agency): the same name.
    by_service = assert_error_shape(post(client, key, dossier_body("x"), idem="k-2"), 422)
    assert set(by_service["errors"]) == {"agency"}
    nested = dossier_body(agency, applicant={"name": 5, "id_number": "036099001122"})
    assert set(assert_error_shape(post(client, key, nested, idem="k-3"), 422)["errors"]) == {
        "applicant.name"
    }
    bad_file = dossier_body(
        agency, documents=[{"name": "Tờ khai", "filename": "a.pdf", "content_base64": "QUJD"}]
    )
    errors = assert_error_shape(post(client, key, bad_file, idem="k-4"), 422)["errors"]
    assert set(errors) == {"documents.0.content_base64"}  # not "files.0"
    assert Dossier.objects.count() == 1  # the world's own: nothing was stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-11-09T10:00:00+07:00", "days": 1, "unit": "tuần"}, "unit"),
        ({"start": "2026-11-09T10:00:00+07:00", "days": "NaN"}, "days"),
        ({"start": "2026-11-09T10:00:00+07:00", "days": "-1"}, "days"),
        ({"start": "2026-11-09T10:00:00+07:00", "days": "1.5", "unit": "calendar_days"}, "days"),
        ({"start": "2026-11-09", "days": 1}, "start"),
        ({"start": "2026-11-09T10:00:00", "days": 1}, "start"),
    ],
)
def test_422_messages_are_vietnamese_and_name_the_field(client, params, field):
    body = assert_error_shape(client.get("/api/v1/calendar/due", params), 422)
    assert set(body["errors"]) == {field}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"offset": "abc"}, "offset"),
        ({"offset": "1e20"}, "offset"),
        ({"limit": "0"}, "limit"),
        ({"limit": "201"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"field": "a\x00b"}, "field"),
    ],
)
def test_catalog_paging_and_filters_refuse_in_vietnamese(client, params, field):
    body = assert_error_shape(client.get("/api/v1/procedures", params), 422)
    assert set(body["errors"]) == {field}


def test_a_body_that_is_not_json_is_400_in_vietnamese(client, api_world):
    body = assert_error_shape(post(client, api_world["key"], "{not json"), 400)
    assert "JSON" in body["detail"]


# --- 401, 413, 429 --------------------------------------------------------------------------


def test_401_in_the_same_shape_with_www_authenticate(client, api_world):
    response = post(client, "mc_wrong", dossier_body(api_world["agency"]))
    assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    anonymous = client.get(f"{URL}/{api_world['dossier']}")
    assert_error_shape(anonymous, 401)


def test_a_body_over_the_limit_is_413_and_stores_nothing(client, api_world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    data = dossier_body(api_world["agency"], applicant={"name": "A" * 5000, "id_number": "1"})
    body = assert_error_shape(post(client, api_world["key"], data), 413)
    assert "MB" in body["detail"]
    assert Dossier.objects.count() == 1  # the world's own


def test_429_of_the_public_look_up_says_when_to_come_back(client, api_world, settings):
    cache.clear()
    settings.PUBLIC_LOOKUP_PER_MINUTE = 2
    url = f"/api/v1/public/dossiers/{api_world['dossier']}"
    answers = [client.get(url, {"verify": "0000"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert_error_shape(answers[2], 429)
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert "Retry-After" not in answers[0]
