"""Public pages: search, commune, suggestions. Nothing a visitor types may produce a 500."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("territories:search")
SUGGESTIONS = reverse("territories:autocomplete")

JUNK = [
    "x" * 10_000,
    "\x00",
    "%00",
    "'; DROP TABLE territories_commune; --",
    '" OR 1=1 --',
    "🙂🏳️‍🌈 Ωmega ﷺ",
    "<script>alert(1)</script>",
    "Saint-Denis (999)",
    "((()))",
    "75 0",
    "2A",
    "\u202e\u200b",
]


def test_search_page(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Trouver une commune</h1>" in html
    assert 'role="combobox"' in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/territories/combobox.js" in html


def test_search_shows_the_commune_and_its_neighbours(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH, {"commune": "Ajaccio (2A)", "rayon": "10"})
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("2A004", "Corse-du-Sud (2A)", "Corse (94)", "20000, 20090, 20167"):
        assert text in html
    assert re.search(r"76\s320 habitants", html)  # French thousands separator
    assert "latitude 41,9189, longitude 8,7381" in html
    assert "Précision : centre de la commune." in html
    assert "Communes à moins de 10 km" in html
    assert html.count("<tr>") > 10
    assert response.context["rayon"] == 10
    assert all(n.distance_km <= 10 for n in response.context["nearby"])


def test_search_radius_changes_the_neighbours(client):
    counts = [
        client.get(SEARCH, {"commune": "2A004", "rayon": radius}).context["nearby_total"]
        for radius in (5, 10, 20, 30)
    ]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_overseas_collectivity_has_no_region(client):
    html = client.get(SEARCH, {"commune": "97801"}).content.decode()
    assert "aucune (collectivité d'outre-mer)" in html


def test_search_error_without_javascript(client):
    response = client.get(SEARCH, {"commune": "Saint-Denis"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "fr-input-group--error" in html
    assert 'aria-invalid="true"' in html
    assert "Saint-Denis (93)" in html and "Saint-Denis (974)" in html
    assert "commune" not in response.context or response.context.get("commune") is None


def test_big_city_table_is_capped(client):
    response = client.get(SEARCH, {"commune": "Paris", "rayon": "30"})
    assert response.context["nearby_total"] > 200
    assert len(response.context["nearby"]) == 200
    assert "Les 200 plus proches sont affichées." in response.content.decode()


@pytest.mark.parametrize("junk", JUNK)
def test_junk_never_fails(client, junk):
    # A NUL byte is refused before any view (cnum.core.middleware): 400.
    ok = 400 if "\x00" in junk else 200
    assert client.get(SEARCH, {"commune": junk, "rayon": junk}).status_code == ok
    assert client.get(SUGGESTIONS, {"q": junk}).status_code == ok
    commune_page = reverse("territories:commune", args=["2A004"])
    assert client.get(commune_page, {"rayon": junk}).status_code == ok
    missing = 400 if "\x00" in unquote(junk[:50]) else 404
    assert client.get(f"/territoires/communes/{junk[:50]}/").status_code == missing
    assert client.get("/api/v1/communes", {"q": junk}).status_code in (200, 400)


def test_commune_page(client):
    response = client.get(reverse("territories:commune", args=["75101"]), {"rayon": "5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Paris 1er Arrondissement" in html
    assert "Arrondissement municipal de" in html
    assert reverse("territories:commune", args=["75056"]) in html
    assert response.context["rayon"] == 5


@pytest.mark.parametrize("code", ["99999", "2A999", "20004"])
def test_unknown_commune_is_404(client, code):
    assert client.get(reverse("territories:commune", args=[code])).status_code == 404


def test_commune_url_only_takes_insee_codes(client):
    assert client.get("/territoires/communes/2a004/").status_code == 404
    assert client.get("/territoires/communes/7510/").status_code == 404


def test_suggestions_fragment(client):
    response = client.get(SUGGESTIONS, {"q": "ajacc"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'role="option"' in html
    assert 'data-value="2A004"' in html and 'data-label="Ajaccio (2A)"' in html


def test_suggestions_are_limited_and_empty_without_query(client):
    assert client.get(SUGGESTIONS, {"q": "sa"}).content.decode().count('role="option"') == 10
    assert 'role="option"' not in client.get(SUGGESTIONS).content.decode()


@pytest.mark.parametrize("name", ["territories:search", "territories:autocomplete"])
def test_logged_in_users_see_the_same_public_pages(client, name):
    login(client, make_user())
    assert client.get(reverse(name)).status_code == 200


def test_post_is_not_allowed(client):
    assert client.post(SEARCH, {"commune": "ajaccio"}).status_code == 405
