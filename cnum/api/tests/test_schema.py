"""The whole API, driven from its own OpenAPI schema: no input may produce a server error, and
every answer (status, content type, body) is one the schema declares, anonymous or with a
token."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cnum.accounts.testing import make_user
from cnum.api.models import ApiToken, Scope
from cnum.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def token_key(db):
    _, key = ApiToken.issue(name="Partenaire", scopes=[Scope.REFERENTIEL], created_by=make_user())
    return key


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests")
@schema.parametrize()
@EXAMPLES
def test_api_answers_anonymous_calls_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests")
@schema.parametrize()
@EXAMPLES
def test_api_answers_token_calls_as_its_schema_says(case, token_key):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {token_key}"})


def test_every_operation_declares_its_refusals(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    declared = {
        (path, method): set(operation["responses"])
        for path, methods in paths.items()
        for method, operation in methods.items()
    }
    assert declared[("/api/v1/jeton", "get")] == {"200", "400", "401", "403"}
    assert declared[("/api/v1/moi", "get")] == {"200", "400", "401"}
    assert declared[("/api/v1/communes/{code_insee}", "get")] == {"200", "400", "404"}
    assert all("400" in statuses for statuses in declared.values())  # NUL byte, bad parameter


@pytest.mark.django_db
def test_refusals_answer_in_french_with_the_declared_shape(client):
    _, limited = ApiToken.issue(name="Sans portée", scopes=[], created_by=make_user())
    anonymous = client.get("/api/v1/jeton")
    assert anonymous.status_code == 401
    assert "jeton" in anonymous.json()["detail"]
    forbidden = client.get("/api/v1/jeton", headers={"Authorization": f"Bearer {limited}"})
    assert forbidden.status_code == 403
    assert "portée" in forbidden.json()["detail"]
    nul = client.get("/api/v1/moi?q=a%00b")
    assert nul.status_code == 400
    assert nul.json()["detail"][0]["msg"].startswith("La requête contient")


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
