"""Each audience opens its activity dashboard in a real browser, filters and drills down; every
page passes axe, charts are drawn with JavaScript and the tables alone serve without it."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in as log_in_with_form
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.navigation.testing import follow_header_link
from cnum.stats.tests.dashboard_data import make_world

pytestmark = BROWSER_TEST


@pytest.fixture
def world(live_server):
    return make_world()


def log_in(page, live_server, user):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    if user.requires_2fa:
        TOTPDevice.objects.get_or_create(user=user, name="Application", confirmed=True)
    log_in_with_form(page, live_server, user.email)


def open_dashboard(page):
    follow_header_link(page, "Statistiques d'activité")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques d'activité")


def card(page, label):
    return page.locator(".cnum-cards li").filter(has_text=label).first


def test_a_conseiller_reads_and_filters_their_activity(page, page_without_js, live_server, world):
    c1 = world.conseillers["c1"]
    log_in(page, live_server, c1)
    open_dashboard(page)
    expect(card(page, "Personnes accompagnées")).to_contain_text("8")
    # The script draws each chart; its table stays for assistive technologies.
    genre = page.locator("#graphique-genre")
    expect(genre.locator("[data-cnum-chart]")).to_be_visible()
    assert genre.locator("canvas").evaluate("canvas => canvas.width") > 0
    expect(genre.get_by_role("table")).to_contain_text("Féminin")
    assert_accessible(page)

    page.get_by_label("Type d'activité").select_option("collectif")
    page.get_by_role("button", name="Afficher les statistiques").click()
    expect(card(page, "Personnes accompagnées")).to_contain_text("5")
    expect(page.get_by_text("Type d'activité : Collectif")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Version imprimable").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Votre activité")
    expect(card(page, "Ateliers collectifs")).to_contain_text("1")
    assert_accessible(page)

    # Without JavaScript the same figures are in the tables; the charts stay out of the way.
    context = page.context
    page_without_js.context.add_cookies(context.cookies())
    page_without_js.route(
        lambda url: not url.startswith(live_server.url), lambda route: route.abort()
    )
    page_without_js.goto(f"{live_server.url}/statistiques/")
    expect(page_without_js.locator("[data-cnum-chart]").first).to_be_hidden()
    table = page_without_js.locator("#graphique-genre").get_by_role("table")
    expect(table).to_contain_text("62,5 %")


def test_a_structure_manager_drills_down_to_a_conseiller(page, live_server, world):
    log_in(page, live_server, world.managers["A"])
    open_dashboard(page)
    expect(card(page, "Personnes accompagnées")).to_contain_text("9")
    assert_accessible(page)
    c2 = world.conseillers["c2"]
    page.locator("#comparaison-conseillers").get_by_role("link", name=c2.get_full_name()).click()
    expect(page.locator(".fr-text--lead")).to_have_text(c2.get_full_name())
    expect(card(page, "Personnes accompagnées")).to_contain_text("1")
    assert_accessible(page)


def test_a_coordinator_is_refused_a_conseiller_outside_the_team(page, live_server, world):
    log_in(page, live_server, world.coordinator)
    open_dashboard(page)
    expect(card(page, "Personnes accompagnées")).to_contain_text("10")
    assert_accessible(page)
    # A hand-made link naming a conseiller outside the team (in another tab: the browser
    # reports the 403 on the console, which the `page` fixture counts as an error).
    refused = page.context.new_page()
    refused.goto(f"{live_server.url}/statistiques/?conseiller={world.conseillers['c2'].pk}")
    expect(refused.get_by_role("heading", level=1)).to_have_text("Filtre refusé")
    expect(refused.get_by_role("alert")).to_have_text(
        "Ce conseiller n'est pas dans votre périmètre."
    )
    expect(refused.locator(".cnum-cards")).to_have_count(0)
    assert_accessible(refused)


def test_a_regional_prefet_uses_the_map_and_drills_down(page, live_server, world):
    log_in(page, live_server, world.prefet_region)
    open_dashboard(page)
    expect(page.locator("svg.cnum-choropleth__map path[data-departement='69']")).to_be_visible()
    assert_accessible(page)
    page.locator("#carte-personnes-accompagnees-par-departement").get_by_role(
        "link", name="Rhône (69)"
    ).click()
    expect(page.locator(".fr-text--lead")).to_have_text("Rhône (69)")
    structure = world.structures["A"]
    page.locator("#comparaison-structures").get_by_role("link", name=structure.name).click()
    expect(page.locator(".fr-text--lead")).to_have_text(structure.name)
    expect(page.locator("#comparaison-conseillers")).to_contain_text(
        world.conseillers["c1"].get_full_name()
    )
    assert_accessible(page)


def test_the_administration_compares_regions_and_exports(page, live_server, world):
    log_in(page, live_server, world.admin)
    open_dashboard(page)
    expect(card(page, "Personnes accompagnées")).to_contain_text("12")
    assert_accessible(page)
    page.locator("#comparaison-regions").get_by_role("link", name="Île-de-France").click()
    expect(page.locator(".fr-text--lead")).to_have_text("Île-de-France")
    expect(card(page, "Personnes accompagnées")).to_contain_text("2")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Activités anonymisées de la période (CSV)").click()
    assert download.value.suggested_filename.startswith("statistiques-activites-anonymisees-")
    content = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(content) == 1 + 2  # the header and Paris's two records
