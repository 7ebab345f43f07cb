"""The whole API, driven from its own OpenAPI schema: no input may produce a server error, and
every answer (status, content type, body) is one the schema declares, anonymous or with a
token of each scope; a token without an endpoint's scope is refused whatever it sends."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cnum.accounts.testing import make_user
from cnum.activity.enums import CraType
from cnum.activity.services import save_record
from cnum.activity.testing import individual_values, make_conseiller
from cnum.api.models import ApiToken, Scope
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# With a token: generated and schema examples only. The coverage phase (other methods, missing
# credentials, boundary values) does not depend on the token and runs in the anonymous test.
token_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


# The scope each token-only endpoint needs (the others answer anyone, or a session).
SCOPE_OF = {
    "/api/v1/jeton": Scope.REFERENTIEL,
    "/api/v1/partenaires/activites": Scope.ACTIVITE,
    "/api/v1/partenaires/statistiques": Scope.STATISTIQUES,
    "/api/v1/partenaires/structures": Scope.STRUCTURES,
    "/api/v1/partenaires/postes": Scope.STRUCTURES,
    "/api/v1/partenaires/conseillers": Scope.STRUCTURES,
}
# Fewer examples per (operation, scope): every operation is run with a token of each scope.
TOKEN_EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(params=list(Scope), ids=str)
def token_key(request, db):
    _, key = ApiToken.issue(name="Partenaire", scopes=[request.param], created_by=make_user())
    return key


@pytest.fixture
def partner_data(db):
    """A validated structure, its conseiller (a public place) and one record of each type, so
    that the partner lists have items to serialise."""
    structure = make_structure(departement="69", status=Status.VALIDATION_COSELEC)
    conseiller = make_conseiller(structure=structure)
    save_record(conseiller, individual_values())
    save_record(
        conseiller,
        individual_values(type=CraType.COLLECTIF, titre="Atelier", niveau="debutant"),
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests")
@schema.parametrize()
@EXAMPLES
def test_api_answers_anonymous_calls_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests", "partner_data")
@token_schema.parametrize()
@TOKEN_EXAMPLES
def test_api_answers_token_calls_of_every_scope_as_its_schema_says(case, token_key):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {token_key}"})


@pytest.fixture
def other_scopes_key(db):
    """Per path: a token holding every scope but the one the path needs."""

    keys, author = {}, make_user()

    def key(path):
        if path not in keys:
            scopes = [scope for scope in Scope if scope != SCOPE_OF[path]]
            keys[path] = ApiToken.issue(name="Autre portée", scopes=scopes, created_by=author)[1]
        return keys[path]

    return key


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_connection_across_requests")
@token_schema.include(path_regex="^/api/v1/(jeton|partenaires/)").parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_token_of_another_scope_is_refused_whatever_the_parameters(case, other_scopes_key):
    response = case.call(headers={"Authorization": f"Bearer {other_scopes_key(case.path)}"})
    if response.status_code == 400:  # a NUL byte: refused before any API code runs
        assert response.json()["detail"][0]["msg"].startswith("La requête contient")
        return
    if "Authorization" not in response.request.headers:
        assert response.status_code == 401, (
            response.request.headers
        )  # credentials dropped on purpose
        return
    assert response.status_code == 403
    assert response.json() == {"detail": "Ce jeton n'a pas la portée nécessaire à ce service."}


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
    for path in SCOPE_OF:
        if path.startswith("/api/v1/partenaires/"):
            assert declared[(path, "get")] == {"200", "400", "401", "403", "404"}
    assert declared[("/api/v1/data-inclusion/services", "get")] == {"200", "400"}
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
