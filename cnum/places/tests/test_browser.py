"""A visitor looks for places near a commune on /carte, with and without JavaScript; a partner
site shows the embeddable map in a frame."""

import pytest
from playwright.sync_api import Error as PlaywrightError
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


def test_partner_site_frames_the_embeddable_map_but_not_the_map(browser, live_server, places):
    # Our own tab rather than `page`: the refusal to frame /carte is an expected console error.
    context = browser.new_context(locale="fr-FR")
    # Chromium lets a site reach a local address (the live server) only from a secure page
    # granted « local network access », as a real visitor would be asked to. Older Chromium
    # versions know neither the check nor the permission.
    try:
        context.grant_permissions(["local-network-access"], origin=PARTNER)
    except PlaywrightError as error:
        if "Unknown permission" not in str(error):
            raise
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        _frame_from_a_partner(page, live_server.url.replace("127.0.0.1", "localhost"))
    finally:
        context.close()
    (refusal,) = errors  # nothing else went wrong in the frame
    assert "frame-ancestors 'none'" in refusal


PARTNER = "https://partenaire.test"


def _partner_page(server, path):
    """The partner's page, on another origin, answered by the test itself (no network)."""
    html = (
        "<!DOCTYPE html><html lang='fr'><head><title>Mairie partenaire</title></head><body>"
        f"<h1>Mairie partenaire</h1><iframe src='{server}{path}' title='Carte des lieux' "
        "width='800' height='600'></iframe></body></html>"
    )
    return lambda route: route.fulfill(status=200, content_type="text/html", body=html)


def _frame_from_a_partner(page, server):
    page.route(lambda url: not url.startswith(server), lambda route: route.abort())
    embed = "/carte/integration/?departement=69"
    page.route(f"{PARTNER}/integration.html", _partner_page(server, embed))
    page.goto(f"{PARTNER}/integration.html")
    frame = page.frame_locator("iframe[title='Carte des lieux']")
    link = frame.get_by_role("link", name="Espace numérique du centre")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(frame.locator(".leaflet-marker-icon")).to_have_count(2)  # the map draws in the frame
    expect(frame.get_by_text("Cyberbase de Marseille")).to_have_count(0)  # another département

    # The full map keeps refusing to be framed by another site.
    page.route(f"{PARTNER}/carte.html", _partner_page(server, "/carte/"))
    with page.expect_response(lambda response: response.url == f"{server}/carte/") as refused:
        page.goto(f"{PARTNER}/carte.html")
    assert refused.value.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in refused.value.headers["content-security-policy"]
    page.wait_for_load_state("load")
    expect(frame.get_by_role("heading", name="Lieux de médiation numérique")).to_have_count(0)
