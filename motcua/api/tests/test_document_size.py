"""The API takes a document up to the attachment limit and refuses a larger body with 413
(hardening issue, item 6)."""

import base64
import json

import pytest
from django.conf import settings

from motcua.api.models import ApiKey
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import four_step_procedure, pdf_bytes

URL = "/api/v1/dossiers"
MIB = 1024 * 1024


@pytest.fixture
def key(commune, desk_officer, levels):
    four_step_procedure()
    return ApiKey.issue(name="Cổng tỉnh", agency=commune)[1]


def pdf_of_size(size: int) -> bytes:
    padding = size - len(pdf_bytes(padding=1000)) + 1000
    pdf = pdf_bytes(padding=padding)
    return pdf_bytes(padding=padding + size - len(pdf))


def post(client, commune, key, document=b"", raw: bytes = b"", text: str = ""):
    body = raw or json.dumps(
        {
            "procedure": "1.001193",
            "agency": commune.code,
            "applicant": {"name": "Lê Văn Cường", "id_number": "036099001122"},
            "documents": [
                {
                    "name": "Bản vẽ",
                    "filename": "ban-ve.pdf",
                    "content_base64": text or base64.b64encode(document).decode(),
                }
            ],
        }
    )
    return client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "k1"},
    )


def test_a_document_of_exactly_the_limit_is_received(client, commune, key):
    document = pdf_of_size(settings.ATTACHMENT_MAX_MB * MIB)
    assert len(document) == 20 * MIB
    response = post(client, commune, key, document)
    assert response.status_code == 201, response.content[:300]
    item = Dossier.objects.get().attachments.get()
    assert item.size == len(document) and item.file.name.endswith(".pdf")


TOO_LARGE = "Tệp quá lớn: mỗi tệp tối đa 20 MB"


def test_a_document_one_byte_over_the_limit_is_413_like_a_body_over_the_limit(client, commune, key):
    document = pdf_of_size(settings.ATTACHMENT_MAX_MB * MIB + 1)
    assert len(base64.b64encode(document)) < settings.API_BODY_MAX_BYTES  # the body fits
    response = post(client, commune, key, document)
    assert response.status_code == 413
    assert response.json()["detail"].startswith(TOO_LARGE)
    assert not Dossier.objects.exists()


def test_a_body_over_the_api_limit_is_refused_with_413_and_a_message(client, commune, key):
    raw = b'{"documents": "' + b"A" * settings.API_BODY_MAX_BYTES + b'"}'
    response = post(client, commune, key, raw=raw)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith(TOO_LARGE)
    assert not Dossier.objects.exists()


def test_the_api_limit_fits_a_full_size_document_in_base64():
    assert settings.API_BODY_MAX_BYTES >= 4 * settings.ATTACHMENT_MAX_MB * MIB / 3 + 4096
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.API_BODY_MAX_BYTES


def test_bad_base64_in_pieces_is_refused_as_a_whole_would_be(client, commune, key):
    good = base64.b64encode(pdf_bytes(padding=300_000)).decode()  # decoded in several pieces
    # Padding exactly at the end of the first piece (4 × 64 Ki characters): a piece alone
    # would decode, the whole text would not.
    padded_piece = base64.b64encode(b"\0" * (3 * 65536 - 1)).decode()
    assert len(padded_piece) == 4 * 65536 and padded_piece.endswith("=")
    for bad in (padded_piece + good, good[:-1], good[:300_000] + "!" + good[300_001:]):
        response = post(client, commune, key, text=bad)
        assert response.status_code == 422, bad[:10]
        assert "base64" in response.json()["errors"]["documents.0.content_base64"]
    assert post(client, commune, key, text=good).status_code == 201
