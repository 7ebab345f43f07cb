"""Public communes API: /api/v1/communes."""

import pytest

pytestmark = pytest.mark.django_db

FIELDS = {
    "code_insee",
    "nom",
    "type",
    "codes_postaux",
    "departement",
    "departement_nom",
    "region",
    "latitude",
    "longitude",
    "precision",
    "population",
    "correspondance",
}


def test_search(client):
    response = client.get("/api/v1/communes", {"q": "ajaccio"})
    assert response.status_code == 200
    first = response.json()[0]
    assert set(first) == FIELDS
    assert first == {
        "code_insee": "2A004",
        "nom": "Ajaccio",
        "type": "COM",
        "codes_postaux": ["20000", "20090", "20167"],
        "departement": "2A",
        "departement_nom": "Corse-du-Sud",
        "region": "94",
        "latitude": first["latitude"],
        "longitude": first["longitude"],
        "precision": "exacte",
        "population": first["population"],
        "correspondance": None,
    }
    assert 41.8 < first["latitude"] < 42 and 8.6 < first["longitude"] < 8.9
    assert first["population"] > 50_000
    assert response.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize(
    ("q", "first"),
    [("paris", "75056"), ("st etienne", "42218"), ("75001", "75101"), ("20000", "2A004")],
)
def test_search_ranking(client, q, first):
    assert client.get("/api/v1/communes", {"q": q}).json()[0]["code_insee"] == first


def test_limit(client):
    assert len(client.get("/api/v1/communes", {"q": "sa"}).json()) == 10
    assert len(client.get("/api/v1/communes", {"q": "sa", "limit": 50}).json()) == 50
    assert len(client.get("/api/v1/communes", {"q": "sa", "limit": 1}).json()) == 1


def test_overseas_collectivity_has_no_region(client):
    [commune] = client.get("/api/v1/communes", {"q": "97801"}).json()
    assert (commune["departement"], commune["region"]) == ("978", None)


def test_public_without_token(client):
    response = client.get("/api/v1/communes", {"q": "lyon"}, headers={"Authorization": ""})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Paramètre obligatoire."),
        ({"q": ""}, "Au moins 1 caractère(s)."),
        ({"q": "x" * 101}, "Au plus 100 caractères."),
        ({"q": "paris", "limit": 0}, "Doit être supérieur ou égal à 1."),
        ({"q": "paris", "limit": 51}, "Doit être inférieur ou égal à 50."),
        ({"q": "paris", "limit": "dix"}, "Nombre entier attendu."),
    ],
)
def test_invalid_parameters_are_explained_in_french(client, params, message):
    response = client.get("/api/v1/communes", params)
    assert response.status_code == 400
    assert message in [error["msg"] for error in response.json()["detail"]]


def test_detail(client):
    response = client.get("/api/v1/communes/2B033")
    assert response.status_code == 200
    assert response.json()["nom"] == "Bastia"
    assert set(response.json()) == FIELDS
    assert client.get("/api/v1/communes/2b033").json()["code_insee"] == "2B033"


@pytest.mark.parametrize("code", ["99999", "2A999", "abc", "x" * 300])
def test_unknown_code_is_404_in_french(client, code):
    response = client.get(f"/api/v1/communes/{code}")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Aucune commune ne porte le code INSEE")


def test_openapi_documents_public_operations_in_french(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    search = paths["/api/v1/communes"]["get"]
    detail = paths["/api/v1/communes/{code_insee}"]["get"]
    assert search["summary"] == "Rechercher des communes"
    assert "population décroissante" in search["description"]
    assert "security" not in search and "security" not in detail  # no token needed
    parameters = {p["name"]: p for p in search["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["limit"]["schema"]["maximum"] == 50
    assert "code postal" in parameters["q"]["description"]
    assert set(detail["responses"]) == {"200", "400", "404"}  # 400: unreadable query string
