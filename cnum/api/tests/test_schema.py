"""The whole public API, driven from its own OpenAPI schema: no input may produce a server error."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from cnum.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests")
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_keeps_its_schema(case):
    case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
    )


def test_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "API Conseiller numérique"
    assert "/api/v1/communes" in document["paths"]
    assert "/api/v1/communes/{code_insee}" in document["paths"]


def test_interactive_docs_load_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
