"""Inputs that used to give a 500 (issue "Hardening", item 9) get a 4xx naming the field, the
same on SQLite and PostgreSQL; decimals come back as numbers."""

import json

import pytest

from motcua.api.models import ApiKey
from motcua.api.tests.conftest import dossier_body
from motcua.api.tests.test_errors import assert_error_shape
from motcua.dossiers.models import Dossier, ReceiptKey

URL = "/api/v1/dossiers"
DUE = "/api/v1/calendar/due"


def post(client, key, data, idem="k-1"):
    return client.post(
        URL,
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": idem},
    )


def _set(data: dict, path: str, value) -> dict:
    """``data`` with the field at the dotted ``path`` (``documents.0.name``) set to ``value``."""
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[last] = value
    return data


# --- paging -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_offset_far_past_the_end_is_an_empty_page(client):
    response = client.get("/api/v1/procedures", {"offset": 1_000_000, "limit": 200})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("offset", ["100000000000000000000", "1000001", "-1", "1e20"])
def test_an_offset_no_database_can_count_to_is_422(client, offset):
    body = assert_error_shape(client.get("/api/v1/procedures", {"offset": offset}), 422)
    assert set(body["errors"]) == {"offset"}


# --- the calendar's years -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start",
    [
        "9999-12-30T10:00:00+07:00",
        "0001-01-01T10:00:00+07:00",
        "1900-01-03T10:00:00+07:00",  # local mean time, +07:06:30, in the zone's history
        "1975-06-02T10:00:00+07:00",  # +08:00 in the zone's history until 13 June 1975
        "2101-01-03T10:00:00+07:00",
    ],
)
def test_a_start_outside_1976_to_2100_is_422(client, start):
    body = assert_error_shape(client.get(DUE, {"start": start, "days": 1}), 422)
    assert set(body["errors"]) == {"start"}
    assert "1976" in body["errors"]["start"] and "2100" in body["errors"]["start"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("unit", "days"), [("working_days", 30), ("calendar_days", 30), ("working_hours", 300)]
)
def test_a_due_time_past_2100_is_422(client, unit, days):
    params = {"start": "2100-12-20T10:00:00+07:00", "days": days, "unit": unit}
    body = assert_error_shape(client.get(DUE, params), 422)
    assert set(body["errors"]) == {"days"}


@pytest.mark.django_db
def test_the_first_days_of_the_calendar_answer_in_rfc_3339_with_plus_seven(client):
    response = client.get(DUE, {"start": "1976-01-05T01:00:00Z", "days": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["start"] == "1976-01-05T08:00:00+07:00"
    assert data["due_at"] == "1976-01-06T08:00:00+07:00"
    assert data["days"] == 1


@pytest.mark.django_db
def test_unit_is_passed_as_a_plain_string(client):
    params = {"start": "2026-11-09T10:00:00+07:00", "days": "2", "unit": "calendar_days"}
    data = client.get(DUE, params).json()
    assert data["time_unit"] == "calendar_days" and data["due_at"] == "2026-11-11T17:00:00+07:00"
    half = client.get(DUE, {"start": "2026-11-09T10:00:00+07:00", "days": "0.5"}).json()
    assert half["days"] == 0.5


# --- decimals are numbers -------------------------------------------------------------------


def test_processing_days_and_budget_hours_are_json_numbers(client, api_world):
    listed = client.get("/api/v1/procedures").json()["results"][0]
    assert listed["processing_days"] == 3 and isinstance(listed["processing_days"], int)
    detail = client.get(f"/api/v1/procedures/{api_world['procedure']}").json()
    assert [step["budget_hours"] for step in detail["steps"]] == [2, 12, 4, 2]


# --- strings that no column can hold ------------------------------------------------------

#: Each field of the body and its column's length.
LENGTHS = [
    ("procedure", 40),
    ("agency", 40),
    ("applicant.name", 255),
    ("applicant.id_number", 20),
    ("applicant.phone", 20),
    ("applicant.email", 254),
    ("applicant.address", 500),
    ("documents.0.name", 500),
    ("documents.0.filename", 255),
]


@pytest.mark.parametrize(("field", "length"), LENGTHS)
def test_a_string_longer_than_its_column_is_422_naming_it(client, api_world, field, length):
    data = _set(dossier_body(api_world["agency"]), field, "9" * (length + 1))
    body = assert_error_shape(post(client, api_world["key"], data), 422)
    assert body["errors"] == {field: f"Dài quá {length} ký tự."}
    assert Dossier.objects.count() == 1  # the world's own


@pytest.mark.parametrize("field", [field for field, _ in LENGTHS])
def test_a_nul_byte_is_422_naming_the_field(client, api_world, field):
    data = dossier_body(api_world["agency"])
    value = "Nguyễn\x00Văn" if field != "applicant.email" else "a\x00@b.vn"
    body = assert_error_shape(post(client, api_world["key"], _set(data, field, value)), 422)
    assert set(body["errors"]) == {field} and "NUL" in body["errors"][field]
    assert Dossier.objects.count() == 1


def test_strings_at_their_columns_length_are_stored_whole(client, api_world):
    data = dossier_body(api_world["agency"])
    data["applicant"].update(name="N" * 255, address="Đ" * 500, email="a" * 244 + "@motcua.vn")
    data["documents"][0].update(name="T" * 500, filename="f" * 251 + ".pdf")
    response = post(client, api_world["key"], data)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.applicant_name == "N" * 255 and dossier.applicant_address == "Đ" * 500
    assert len(dossier.applicant_email) == 254
    assert dossier.documents.get().name == "T" * 500
    assert dossier.attachments.get().original_name == "f" * 251 + ".pdf"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/procedures/{}", {}),
        ("/api/v1/dossiers/{}", {}),
        ("/api/v1/public/dossiers/{}", {"verify": "5678"}),
    ],
)
def test_a_nul_byte_or_an_overlong_code_in_a_path_is_422(client, api_world, path, params):
    headers = {"Authorization": f"Bearer {api_world['key']}"}
    for code in ("1.001\x00193", "9" * 61):
        response = client.get(path.format(code), params, headers=headers)
        assert set(assert_error_shape(response, 422)["errors"]) == {"code"}


def test_a_received_at_outside_the_calendar_is_422(client, api_world):
    data = dossier_body(api_world["agency"], received_at="1900-01-03T10:00:00+07:00")
    body = assert_error_shape(post(client, api_world["key"], data), 422)
    assert set(body["errors"]) == {"received_at"}


# --- the idempotency key --------------------------------------------------------------------


def test_an_idempotency_key_longer_than_its_column_is_refused_not_cut(client, api_world):
    key, agency = api_world["key"], api_world["agency"]
    long_key = "k" * 201
    body = assert_error_shape(post(client, key, dossier_body(agency), idem=long_key), 422)
    assert body["errors"] == {"Idempotency-Key": "Dài quá 200 ký tự."}
    assert not ReceiptKey.objects.exists()
    # Two keys that differ only after the 200th character are two submissions, never one.
    first = post(client, key, dossier_body(agency), idem="k" * 200)
    assert first.status_code == 201
    assert ReceiptKey.objects.get().key == "k" * 200
    other = post(client, key, dossier_body(agency), idem="k" * 199 + "j")
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]


def test_a_reused_idempotency_key_names_the_header(client, api_world):
    key, agency = api_world["key"], api_world["agency"]
    assert post(client, key, dossier_body(agency)).status_code == 201
    body = assert_error_shape(post(client, key, dossier_body(agency, channel=3)), 422)
    assert set(body["errors"]) == {"Idempotency-Key"}


# --- a province key and its commune's dossier -----------------------------------------------


def test_a_province_key_that_creates_a_communes_dossier_reads_it_back(client, api_world, province):
    province_key = ApiKey.issue(name="Cổng tỉnh", agency=province)[1]
    created = post(client, province_key, dossier_body(api_world["agency"]))
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    response = client.get(f"{URL}/{code}", headers={"Authorization": f"Bearer {province_key}"})
    assert response.status_code == 200
    assert response.json()["code"] == code
