"""Schemathesis fuzzes the integration API from its own /api/v1/openapi.json.

For every documented operation, valid (positive) and invalid (negative) requests are
generated and sent through the WSGI app (never the network) with a valid bearer token.
Every answer must be free of server errors, use a documented status code and content
type, and match the documented response schema."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks, openapi

from modules.core.extensions import db
from modules.reports import services

CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
OPERATIONS = [("/units", "GET"), ("/courses", "GET"), ("/units/{code}/certificates", "GET"),
              ("/units/{code}/completions", "GET")]
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def app_config(app_config):
    """No rate limit while fuzzing (tests/reports/test_api_tokens.py tests the 429)."""
    return {**app_config, "API_RATE_LIMIT": "100000 per minute"}


@pytest.fixture
def api_token(dataset, make_user):
    admin = make_user("admin", unit="oslo")
    _token, plain = services.create_token(admin, "Fuzzer")
    db.session.commit()
    return plain


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_api_conforms_to_its_openapi_document(app, api_token, path, method, mode):
    schema = openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    strategy = operation.as_strategy(generation_mode=mode)
    if "{code}" in path:  # also a unit that exists, so real rows are checked against the schema
        strategy = st.one_of(strategy, operation.as_strategy(generation_mode=mode,
                                                             path_parameters={"code": "ost"}))
    seen: set[int] = set()

    @FUZZ
    @given(case=strategy)
    def fuzz(case):
        response = case.call(headers={"Authorization": f"Bearer {api_token}"})
        seen.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    fuzz()
    # the generator reached the happy path (valid requests) or the refusals (invalid ones)
    assert (200 if mode is GenerationMode.POSITIVE else 400) in seen


def test_offset_beyond_the_database_integer_range_is_a_documented_400(client, api_token):
    # found by the fuzzer: an offset of 2**63 crashed SQLite with OverflowError (500)
    response = client.get(f"/api/v1/units/ost/certificates?offset={2**63}",
                          headers={"Authorization": f"Bearer {api_token}"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
