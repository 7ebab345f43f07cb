"""A visitor reads the public statistics (with and without JavaScript) and downloads the open
data; a préfet reads the steering indicators of their département and is refused another's.
Real browser, axe on each page."""

import csv
import html
import io

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_organisation, make_user
from cnum.activity.enums import GENRE_FIELDS
from cnum.activity.testing import make_conseiller, make_cra
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.navigation.testing import follow_header_link
from cnum.recruitment.testing import make_match, make_validated_structure
from cnum.stats.rebuild import rebuild
from cnum.structures.testing import make_structure

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Every test reads the figures of its own data, never a cached publication."""
    settings.STATS_PUBLIC_CACHE_SECONDS = 0


def offline(page, live_server):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())


def rhone_activity():
    """Three conseillers in the Rhône: 6 records of men and 5 of women (each spread over the
    three), 1 of a person who gave no gender."""
    structure = make_structure(departement="69")
    conseillers = [make_conseiller(structure=structure) for _ in range(3)]
    for gender, n in (("masculin", 6), ("feminin", 5)):
        for i in range(n):
            make_cra(
                conseillers[i % 3], **{GENRE_FIELDS["non_communique"]: 0, GENRE_FIELDS[gender]: 1}
            )
    make_cra(conseillers[0])
    rebuild()


def test_visitor_reads_public_statistics_and_downloads_open_data(
    page, page_without_js, live_server
):
    rhone_activity()
    offline(page, live_server)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Statistiques publiques").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Statistiques publiques — France entière"
    )
    assert_accessible(page)

    page.get_by_label("Territoire").select_option(label="69 — Rhône")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques publiques — Rhône")
    genre = page.get_by_role("table", name="Genre (en personnes accompagnées)")
    expect(genre.get_by_role("row", name="Masculin")).to_contain_text("50,0 %")
    # One person in « non communiqué »: secret; « féminin » too, else 12 − 6 − 5 would tell.
    expect(genre.get_by_role("row", name="Non communiqué")).to_contain_text("secret statistique")
    expect(genre.get_by_role("row", name="Féminin")).to_contain_text("secret statistique")
    expect(page.locator("#secret-statistique")).to_contain_text("moins de 5 bénéficiaires")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Départements (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(io.StringIO(file.read())))
    rhone = {(r["indicateur"], r["modalite"]): r for r in rows if r["code_territoire"] == "69"}
    assert rhone[("accompagnements", "")]["valeur"] == "12"
    assert rhone[("genre", "masculin")]["valeur"] == "6"
    assert rhone[("genre", "non_communique")]["secret_statistique"] == "true"

    # Without JavaScript: the same form and tables.
    offline(page_without_js, live_server)
    page_without_js.goto(f"{live_server.url}/statistiques/publiques/")
    page_without_js.get_by_label("Territoire").select_option(label="Auvergne-Rhône-Alpes")
    page_without_js.get_by_role("button", name="Afficher").click()
    expect(page_without_js.get_by_role("heading", level=1)).to_have_text(
        "Statistiques publiques — Auvergne-Rhône-Alpes"
    )
    page_without_js.get_by_role("link", name="Rhône", exact=True).first.click()
    expect(page_without_js.get_by_role("heading", level=1)).to_have_text(
        "Statistiques publiques — Rhône"
    )


def log_in(page, live_server, user):
    device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_prefet_reads_the_steering_page_of_their_departement(page, live_server):
    structure = make_validated_structure(posts=3, departement="69")
    make_match(structure)
    make_validated_structure(posts=2, departement="75")
    prefecture = make_organisation("prefecture", departement="69")
    prefet = make_user(Role.PREFET, organisation=prefecture)
    offline(page, live_server)
    log_in(page, live_server, prefet)

    follow_header_link(page, "Pilotage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage — Rhône")
    granted = page.locator(".cnum-cards li", has_text="Postes attribués")
    expect(granted).to_contain_text("3")
    vacant = page.locator(".cnum-cards li", has_text="Postes vacants")
    expect(vacant).to_contain_text("3")
    expect(page.get_by_role("table", name="Structures par statut (en structures)")).to_be_visible()
    assert_accessible(page)

    # Another département: refused with a French message, and none of its figures. Fetched
    # with the tab's session rather than opened (the browser logs any 403 as a console error).
    refused = page.request.get(f"{live_server.url}/statistiques/pilotage/?departement=75")
    assert refused.status == 403
    text = html.unescape(refused.text())
    assert "hors de votre territoire de compétence" in text
    assert "Postes vacants" not in text and "Paris" not in text
