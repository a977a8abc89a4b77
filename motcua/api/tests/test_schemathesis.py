"""Schemathesis over the whole OpenAPI document, as an integrator's fuzzer sees the API.

Every operation gets a fixed number of generated requests, valid and invalid by the schema,
with a fixed seed (hypothesis ``derandomize``), some of them carrying real codes (procedure,
agency, dossier and its current version, a paper it has, verification value, API key, an
officer's personal token) so that they get past "not found". Every answer
must be a documented status with the documented body and headers, and never a 5xx.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.api.tests.conftest import dossier_body, dossier_version

#: Generated requests per operation and mode (valid / invalid by the schema).
EXAMPLES = 15

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _with_real_codes(case, world, choice: int, key_choice: int, idempotency: str):
    """Put real values where the operation takes them (``choice`` 0 leaves the case as
    generated); ``key_choice`` picks the credential: a real API key, a wrong one, none, or
    the personal token of the officer who holds the dossier."""
    if choice:
        path = dict(case.path_parameters or {})
        if "code" in path:
            path["code"] = world["procedure"] if "procedures" in case.path else world["dossier"]
        if "form" in path:
            path["form"] = world["form"]
        case.path_parameters = path
        query = dict(case.query or {})
        if "verify" in query or "public" in case.path:
            query["verify"] = world["verify"]
        if "agency" in query:
            query["agency"] = world["agency"]
        case.query = query
        if case.path.endswith("/actions"):
            body = case.body if isinstance(case.body, dict) else {}
            if choice == 2:  # one its officer may do now, as them: 200 once, then 422
                body, key_choice = {"action": "forward"}, 3
            case.body = {**body, "version": dossier_version(world["dossier"])}
        elif case.method == "POST":
            body = case.body if isinstance(case.body, dict) else {}
            if choice == 2:  # a dossier valid in every field: 201, then 200 for its retry
                body = dossier_body(world["agency"])
            case.body = {**body, "procedure": world["procedure"], "agency": world["agency"]}
            case.headers = {**(case.headers or {}), "Idempotency-Key": idempotency}
    headers = dict(case.headers or {})
    if key_choice == 0:
        headers["Authorization"] = f"Bearer {world['key']}"
    elif key_choice == 1:
        headers["Authorization"] = "Bearer mc_not-a-key"
    elif key_choice == 3:
        headers["Authorization"] = f"Bearer {world['token']}"
    else:
        headers.pop("Authorization", None)
    case.headers = headers
    return case


@pytest.fixture
def schema(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # NUL bytes, yes; unknown query parameters are ignored, as HTTP APIs do, not refused.
    schema.config.generation.update(allow_x00=True, allow_extra_parameters=False)
    return schema


def _has_input(operation) -> bool:
    return bool(list(operation.iter_parameters())) or bool(operation.body)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_5xx_or_off_its_document(schema, api_world, mode):
    operations = _operations(schema)
    assert len(operations) >= 10
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not _has_input(operation):
            continue  # nothing to send wrong
        strategy = st.builds(
            _with_real_codes,
            operation.as_strategy(generation_mode=mode),
            st.just(api_world),
            # Invalid requests stay as generated: a real code would make them valid.
            st.sampled_from([0] if mode is GenerationMode.NEGATIVE else [0, 1, 2]),
            st.sampled_from([0, 1, 2, 3]),
            st.sampled_from(["schemathesis-1", "schemathesis-2"]),
        )

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case):
            case.call_and_validate(checks=checks)

        call()
