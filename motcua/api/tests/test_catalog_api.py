import pytest

from motcua.catalog.tests.factories import procedure_record, publish


@pytest.fixture
def catalog(levels):
    publish(
        procedure_record("1.001193", "Đăng ký khai sinh"),
        procedure_record("1.004884", "Đăng ký lại khai sinh"),
    )


def test_procedures_search_has_the_contract_fields(client, catalog):
    body = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["code"] == "1.001193"
    assert {
        "code",
        "name",
        "field",
        "agency_levels",
        "processing_days",
        "online_level",
        "fee",
    } <= set(first)
    assert first["fee"] == 8000 and first["agency_levels"] == ["xa"]


def test_procedure_detail_has_documents_and_steps(client, catalog):
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["documents"][0]["name"] == "Tờ khai"
    assert [s["order"] for s in body["steps"]] == [1, 2, 3]


def test_unknown_procedure_is_404(client, catalog):
    assert client.get("/api/v1/procedures/0.0").status_code == 404


def test_agency_tree(client, commune):
    body = client.get("/api/v1/agencies").json()
    assert body[0]["code"] == "000.00.00.H99"
    assert body[0]["children"][0]["code"] == commune.code


@pytest.mark.django_db
def test_openapi_document_lists_the_contract_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/agencies",
        "/api/v1/calendar/due",
    ]:
        assert path in paths
    assert client.get("/api/v1/docs").status_code == 200
