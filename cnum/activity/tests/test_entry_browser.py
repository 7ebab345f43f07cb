"""The entry screen's script: only the fields of the chosen type, the directory searched
without reloading, Enter saves; axe checks the page in each state."""

from playwright.sync_api import expect

from cnum.accounts.testing import PASSWORD
from cnum.activity.models import Cra
from cnum.activity.testing import make_conseiller
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.places.testing import make_place

pytestmark = BROWSER_TEST
EMAIL = "conseiller.orientation@exemple.fr"


def log_in(page, live_server):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def tick(page, name):
    box = page.get_by_role("checkbox", name=name, exact=True)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def test_type_switch_directory_search_and_enter(page, live_server):
    make_conseiller(email=EMAIL)
    paris = make_place(nom="Médiathèque de Paris", commune="75056")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/activite/saisie/")

    individual = page.get_by_role("group", name="Individuel uniquement")
    collective = page.get_by_role("group", name="Collectif uniquement")
    expect(individual).to_be_visible()
    expect(collective).to_be_hidden()
    expect(page.get_by_label("Type de structure")).to_be_hidden()  # until « orienté »
    assert_accessible(page)

    page.locator("label[for='id_type_1']").click()  # Collectif
    expect(collective).to_be_visible()
    expect(individual).to_be_hidden()
    page.locator("label[for='id_type_0']").click()  # Individuel
    expect(individual).to_be_visible()

    tick(page, "E-mail")
    tick(page, "Orienté vers une autre structure")
    page.get_by_label("Type de structure").select_option("administration")
    page.get_by_label("Rechercher le lieu dans l'annuaire").fill("Paris")
    result = page.get_by_role("radio", name="Médiathèque de Paris — Paris", exact=False)
    expect(result).to_be_visible()
    page.locator(f"label[for='{result.get_attribute('id')}']").click()
    expect(result).to_be_checked()
    assert_accessible(page)

    # Nothing chosen in advance for the anonymous person: saving asks for it.
    for label in ("Genre", "Tranche d'âge", "Statut"):
        expect(page.get_by_label(label, exact=True)).to_have_value("")
    page.get_by_label("Genre", exact=True).select_option("feminin")
    page.get_by_label("Tranche d'âge", exact=True).select_option("non_communique")
    page.get_by_label("Statut", exact=True).select_option("retraite")
    page.get_by_label("Durée (minutes)").press("Enter")  # saves, whatever button comes first
    expect(page.get_by_text("Le compte rendu d'activité est enregistré.")).to_be_visible()
    cra = Cra.objects.get()
    assert (cra.type, cra.orientation_place_id, cra.titre) == ("individuel", paris.pk, "")


def test_without_javascript_both_parts_show_and_the_search_reloads(page_without_js, live_server):
    make_conseiller(email=EMAIL)
    make_place(nom="Médiathèque de Paris", commune="75056")
    page = page_without_js
    log_in(page, live_server)
    page.goto(f"{live_server.url}/activite/saisie/")
    expect(page.get_by_role("group", name="Individuel uniquement")).to_be_visible()
    expect(page.get_by_role("group", name="Collectif uniquement")).to_be_visible()
    page.get_by_label("Notes").fill("Dossier CAF")
    page.get_by_label("Rechercher le lieu dans l'annuaire").fill("Paris")
    page.get_by_role("button", name="Rechercher dans l'annuaire").click()
    expect(
        page.get_by_role("radio", name="Médiathèque de Paris — Paris", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Dossier CAF")
    assert not Cra.objects.exists()
