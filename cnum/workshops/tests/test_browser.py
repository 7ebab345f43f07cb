"""A person finds a workshop near Lyon and registers; the conseiller then marks attendance."""

import datetime

from playwright.sync_api import expect

from cnum.accounts.testing import PASSWORD
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.places.testing import make_place
from cnum.workshops.models import Registration
from cnum.workshops.testing import make_conseiller, make_workshop

pytestmark = BROWSER_TEST


def offline(page, live_server):
    page.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())


def test_a_person_registers_and_the_conseiller_marks_attendance(page, live_server):
    conseiller = make_conseiller(email="conseillere@exemple.fr")
    structure = conseiller.memberships.get().organisation.structure
    place = make_place(structure=structure, nom="Médiathèque des Pentes")
    workshop = make_workshop(
        conseiller=conseiller,
        place=place,
        title="Premiers pas sur internet",
        starts_in=datetime.timedelta(days=2),
    )
    offline(page, live_server)

    page.goto(f"{live_server.url}/ateliers/?q=69001")
    expect(page.get_by_role("heading", name="Ateliers à moins de 20 km")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Premiers pas sur internet").click()
    expect(page.get_by_role("heading", name="Premiers pas sur internet", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Nom et prénom").fill("Ana Lopez")
    page.get_by_label("Adresse électronique").fill("ana@exemple.fr")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Votre inscription est enregistrée.")).to_be_visible()
    assert_accessible(page)
    registration = Registration.objects.get(workshop=workshop)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("conseillere@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/ateliers/mes-ateliers/")
    assert_accessible(page)
    page.get_by_role("link", name="Premiers pas sur internet").click()
    page.locator(f"label[for='present-{registration.pk}']").click()  # DSFR: the label
    expect(page.get_by_label("Ana Lopez")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.attended is True


def test_search_and_registration_work_without_javascript(page_without_js, live_server):
    make_workshop(title="Atelier e-mail", capacity=1)
    page = page_without_js
    offline(page, live_server)
    page.goto(f"{live_server.url}/ateliers/")
    page.get_by_label("Commune ou code postal").fill("69001")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="Atelier e-mail").click()
    page.get_by_label("Nom et prénom").fill("Bo Martin")
    page.get_by_label("Téléphone").fill("06 01 02 03 04")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("button", name="Annuler mon inscription")).to_be_visible()
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée")).to_be_visible()
    # axe needs JavaScript: the same pages were checked with it in the journey above.
