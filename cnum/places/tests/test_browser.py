"""A visitor looks for places near a commune on /carte, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.places.testing import make_place

pytestmark = BROWSER_TEST


def offline(page, live_server):
    """Abort any request that does not go to the live server: the test never reaches the network."""
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())


@pytest.fixture
def places(settings, live_server):
    # Tiles from the live server itself (any image will do): the map draws without the network.
    tile = f"{live_server.url}/static/places/leaflet/images/layers.png"
    settings.MAP_TILE_URL = tile + "?{z}/{x}/{y}"
    return [
        make_place(nom="Espace numérique du centre"),
        make_place(nom="Médiathèque de l'est", offset=(0.0, 0.05)),
        make_place(nom="Cyberbase de Marseille", commune="13055"),
    ]


def test_visitor_finds_the_nearest_places(page, page_without_js, live_server, places):
    offline(page, live_server)
    page.goto(f"{live_server.url}/carte/")
    expect(page.get_by_role("heading", name="Lieux de médiation numérique")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Commune ou code postal").press_sequentially("lyon", delay=30)
    page.get_by_role("option", name="Lyon").first.click()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Lieux les plus proches de Lyon (69)")).to_be_visible()
    results = page.locator("ol.cnum-lieux > li")
    expect(results).to_have_count(3)
    expect(results.first).to_contain_text("Espace numérique du centre")
    expect(results.first).to_contain_text("à 0,0 km")
    expect(results.nth(2)).to_contain_text("Cyberbase de Marseille")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(3)  # the same places on the map
    expect(page.locator(".leaflet-tile-loaded").first).to_be_attached()
    assert_accessible(page)

    page.get_by_role("link", name="Médiathèque de l'est").click()
    expect(page.get_by_role("heading", name="Médiathèque de l'est", level=1)).to_be_visible()
    expect(page.get_by_text("de 9 h à 12 h et de 14 h à 17 h 30").first).to_be_visible()
    assert_accessible(page)

    # Without JavaScript: no map, the list alone is the directory.
    offline(page_without_js, live_server)
    page_without_js.goto(f"{live_server.url}/carte/?q=69001")
    expect(page_without_js.locator("#carte-lieux")).to_be_hidden()
    rows = page_without_js.locator("ol.cnum-lieux > li")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("km")
    # axe needs JavaScript: the same pages were checked above with it.
    page_without_js.get_by_role("link", name="Espace numérique du centre").click()
    heading = page_without_js.get_by_role("heading", name="Espace numérique du centre")
    expect(heading).to_be_visible()
