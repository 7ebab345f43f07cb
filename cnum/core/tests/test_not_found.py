"""With DEBUG on (the demo), a missing page is the site's French 404, not Django's technical
page; a developer asks for the technical page with DEBUG_TECHNICAL_404."""

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = False
    return settings


def test_an_unknown_address_shows_the_french_page_in_debug(client, debug):
    response = client.get("/cette-page-n-existe-pas/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page non trouvée" in page and '<html lang="fr"' in page
    assert "Using the URLconf" not in page


def test_a_missing_object_shows_the_french_page_in_debug(client, debug):
    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.get(reverse("structures:decider_detail", args=[999999]))
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_a_missing_slash_still_redirects(client, debug):
    assert client.get("/mentions-legales")["Location"] == "/mentions-legales/"


def test_the_technical_page_on_request(client, debug):
    debug.DEBUG_TECHNICAL_404 = True
    page = client.get("/cette-page-n-existe-pas/").content.decode()
    assert "Page non trouvée" not in page and "Using the URLconf" in page
