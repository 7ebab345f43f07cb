"""A conseiller records an individual then a collective CRA in a real browser and finds both
in the history; axe checks every page visited."""

import datetime

import pytest
from playwright.sync_api import expect

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.activity import services
from cnum.activity.models import Cra
from cnum.activity.testing import make_cra
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.places.models import PlaceConseiller
from cnum.places.testing import make_place
from cnum.structures.testing import make_structure

pytestmark = BROWSER_TEST
EMAIL = "conseillere@exemple.fr"
PLACE = "Médiathèque des Pentes"


def offline(page, live_server):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())


def log_in(page, live_server, email=EMAIL):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert_accessible(page)


def make_conseiller_at_place():
    """The conseillère (EMAIL) of a Lyon structure whose main place is the Médiathèque (PLACE)."""
    structure = make_structure()
    user = make_user(Role.CONSEILLER, organisation=structure, email=EMAIL)
    place = make_place(structure=structure, nom=PLACE)
    PlaceConseiller.objects.create(conseiller=user, place=place, is_main=True)
    return user


@pytest.fixture
def conseiller():
    """Their last record lasted 45 minutes: the entry screen proposes that duration."""
    user = make_conseiller_at_place()
    make_cra(user, duree=45, date=services.today() - datetime.timedelta(days=7))
    return user


def tick(page, box):
    """Click the label, as a user does: DSFR draws the box on it, over the input."""
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def choice(page, role, name):
    return page.get_by_role(role, name=name, exact=True)


def history_row(page, text):
    return page.get_by_role("row").filter(has_text=text)


def test_conseiller_records_an_individual_then_a_collective_cra(page, live_server, conseiller):
    offline(page, live_server)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/activite/saisie/")
    expect(page.get_by_role("heading", name="Saisir un compte rendu d'activité")).to_be_visible()
    assert_accessible(page)

    # The defaults: an individual record, today, at the main place, the last duration.
    expect(page.get_by_role("radio", name="Individuel")).to_be_checked()
    expect(page.get_by_label("Date", exact=True)).to_have_value(services.today().isoformat())
    expect(page.get_by_label("Durée (minutes)")).to_have_value("45")
    expect(page.get_by_role("radio", name="Lieu d'activité")).to_be_checked()
    expect(
        page.get_by_role("combobox", name="Lieu d'activité").locator("option:checked")
    ).to_have_text(PLACE)
    tick(page, choice(page, "checkbox", "E-mail"))
    tick(page, choice(page, "checkbox", "Navigation sur internet"))
    # Who was helped is chosen, never preselected.
    page.get_by_label("Genre", exact=True).select_option("non_communique")
    page.get_by_label("Tranche d'âge", exact=True).select_option("non_communique")
    page.get_by_label("Statut", exact=True).select_option("non_communique")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Le compte rendu d'activité est enregistré.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Historique").click()
    expect(
        page.get_by_role("heading", name="Historique des comptes rendus d'activité")
    ).to_be_visible()
    today = services.today().strftime("%d/%m/%Y")
    individual = history_row(page, PLACE)
    expect(individual).to_have_count(1)
    expect(individual).to_contain_text(today)
    expect(individual).to_contain_text("Individuel")
    expect(individual).to_contain_text("45 min")
    assert_accessible(page)
    assert set(Cra.objects.get(place__nom=PLACE).thematiques) == {
        "email",
        "navigation_sur_internet",
    }

    # A collective workshop of three anonymous participants, each breakdown adding up to three.
    page.get_by_role("link", name="Saisir un compte rendu").click()
    tick(page, choice(page, "radio", "Collectif"))
    page.get_by_label("Durée (minutes)").fill("90")
    tick(page, choice(page, "checkbox", "Réseaux sociaux communication"))
    page.get_by_label("Titre de l'atelier").fill("Découvrir les réseaux sociaux")
    page.get_by_label("Niveau").select_option(label="Débutant")
    page.get_by_label("Participants anonymes").fill("3")
    for label, count in (
        ("Féminin", "2"),
        ("Masculin", "1"),
        ("25-39 ans", "1"),
        ("60-69 ans", "2"),
        ("En emploi", "1"),
        ("Retraité", "2"),
    ):
        page.get_by_label(label, exact=True).fill(count)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Le compte rendu d'activité est enregistré.")).to_be_visible()

    page.get_by_role("link", name="Historique").click()
    collective = history_row(page, "Découvrir les réseaux sociaux")
    expect(collective).to_contain_text("Collectif")
    expect(collective).to_contain_text(today)
    expect(collective).to_contain_text("90 min")
    expect(collective).to_contain_text("3 anonymes")
    expect(page.get_by_role("table")).to_contain_text("3 comptes rendus")
    assert_accessible(page)
