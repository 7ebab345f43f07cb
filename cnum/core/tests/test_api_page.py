"""The public footer leads to a French page about the API, not to the English Swagger page."""

from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_footer_links_the_french_api_page(client):
    home = client.get(reverse("core:home")).content.decode()
    assert 'href="/api/"' in home and 'href="/api/v1/docs"' not in home
    page = unescape(client.get(reverse("core:api")).content.decode())
    assert '<html lang="fr"' in page
    assert "Obtenir un jeton" in page and "Authorization: Bearer" in page
    assert 'href="/api/v1/openapi.json"' in page and 'href="/api/v1/docs"' in page
    assert "/api/v1/lieux-mediation-numerique" in page


def test_a_favicon_for_every_page(client):
    home = client.get(reverse("core:home")).content.decode()
    assert 'rel="icon"' in home
    target = client.get("/favicon.ico")["Location"]
    assert target.endswith("favicon.ico") and finders.find("dsfr/dist/favicon/favicon.ico")
