"""The referral journey in a real browser: a conseiller records an individual activity with an
orientation and sends the referral with the person's consent; the place's contact opens the
mailed link and accepts; the conseiller sees the outcome, and so do the statistics."""

import re

from django.core import mail
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in
from cnum.activity.testing import make_conseiller
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.navigation.testing import follow_header_link
from cnum.places.testing import make_place

pytestmark = BROWSER_TEST
EMAIL = "conseiller.orientations@exemple.fr"


def tick(page, name):
    box = page.get_by_role("checkbox", name=name, exact=True)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def test_referral_from_record_to_accepted_outcome(page, browser, live_server, run_tasks):
    make_conseiller(email=EMAIL)
    make_place(nom="Maison des solidarités", courriels=["accueil@solidarites.fr"])
    log_in(page, live_server, EMAIL)

    page.goto(f"{live_server.url}/activite/saisie/")
    tick(page, "E-mail")
    tick(page, "Orienté vers une autre structure")
    page.get_by_label("Type de structure").select_option("aide_sociale")
    page.get_by_label("Rechercher le lieu dans l'annuaire").fill("solidarités")
    place = page.get_by_role("radio", name="Maison des solidarités", exact=False)
    page.locator(f"label[for='{place.get_attribute('id')}']").click()
    page.get_by_label("Genre", exact=True).select_option("feminin")
    page.get_by_label("Tranche d'âge", exact=True).select_option("soixante_dix_plus")
    page.get_by_label("Statut", exact=True).select_option("retraite")
    page.get_by_label("Durée (minutes)").press("Enter")
    expect(page.get_by_text("Le compte rendu d'activité est enregistré.")).to_be_visible()

    page.get_by_role("link", name="Envoyer une orientation").click()
    expect(page.get_by_role("radio", name="Maison des solidarités", exact=False)).to_be_checked()
    tick(page, "La personne accepte que ses coordonnées soient transmises")
    page.get_by_label("Nom de la personne").fill("Sacha Lefebvre")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("L'orientation est envoyée au destinataire.")).to_be_visible()

    run_tasks()
    (sent,) = [m for m in mail.outbox if m.to == ["accueil@solidarites.fr"]]
    link = re.search(r"http\S+/orientations/reponse/\S+/", sent.body).group(0)
    receiver = browser.new_context(locale="fr-FR").new_page()
    receiver.goto(live_server.url + link[link.index("/orientations/") :])
    expect(receiver.get_by_text("Sacha Lefebvre", exact=False)).to_be_visible()
    assert_accessible(receiver)
    answer = receiver.get_by_role("radio", name="Acceptée")
    receiver.locator(f"label[for='{answer.get_attribute('id')}']").click()
    receiver.get_by_role("button", name="Envoyer ma réponse").click()
    expect(receiver.get_by_text("Votre réponse est enregistrée")).to_be_visible()
    receiver.context.close()

    follow_header_link(page, "Mes orientations")
    expect(page.get_by_role("cell", name="Acceptée")).to_be_visible()
    assert_accessible(page)
    run_tasks()
    assert any("acceptée" in m.subject and m.to == [EMAIL] for m in mail.outbox)

    follow_header_link(page, "Statistiques d'activité")
    row = page.get_by_role("row", name=re.compile("^Toutes les orientations"))
    expect(row.get_by_role("cell")).to_have_text(["1", "1", "0", "0", "0"])
