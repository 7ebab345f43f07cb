"""Journeys in a real browser, through links only, with an axe check on each page: a conseiller
changes their e-mail address; a brand-new visitor applies for their structure from the home page."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.structures.enums import Audience
from cnum.structures.models import CallForInterest, Structure
from cnum.structures.testing import make_siret

pytestmark = BROWSER_TEST


def send_queued_emails():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def link_sent_to(address, path_pattern):
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return re.search(rf"https?://[^/\s]+({path_pattern}\S*/)", message.body)[1]


def test_a_conseiller_changes_their_email_through_links_only(page, live_server):
    make_user(Role.CONSEILLER, email="camille@ancienne.fr")
    page.goto(live_server.url)
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill("camille@ancienne.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Mon compte :")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page)
    page.get_by_role("link", name="Changer d'adresse électronique").click()
    assert_accessible(page)
    page.get_by_label("Nouvelle adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Recevoir le lien de confirmation").click()
    expect(page.get_by_text("Indiquez une adresse électronique valide")).to_be_visible()
    assert_accessible(page)  # error state
    page.get_by_label("Nouvelle adresse électronique").fill("camille@nouvelle.fr")
    page.get_by_role("button", name="Recevoir le lien de confirmation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre nouvelle messagerie")
    assert_accessible(page)

    send_queued_emails()
    notice = next(m for m in mail.outbox if m.to == ["camille@ancienne.fr"])
    assert "camille@nouvelle.fr" in notice.body
    assert User.objects.filter(email="camille@ancienne.fr").exists()  # nothing changed yet
    page.goto(live_server.url + link_sent_to("camille@nouvelle.fr", "/mon-compte/adresse/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre nouvelle adresse")
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer ma nouvelle adresse").click()
    expect(
        page.get_by_text("Votre adresse de connexion est désormais camille@nouvelle.fr")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill("camille@nouvelle.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    send_queued_emails()
    assert any("désormais camille@nouvelle.fr" in m.body for m in mail.outbox)


def test_a_new_visitor_applies_for_their_structure_from_the_home_page(page, live_server):
    now = timezone.now()
    CallForInterest.objects.create(
        name="AMI 2027",
        audience=Audience.BOTH,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    page.goto(live_server.url)
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Accueillir un conseiller").click()
    expect(page.get_by_role("button", name="Envoyer la demande")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom de la structure", exact=True).fill("Mairie de Vénissieux")
    page.get_by_label("Type de structure").select_option("COMMUNE")
    page.get_by_label("SIRET").fill(make_siret())
    page.get_by_label("Adresse", exact=True).fill("5 avenue Marcel Houël")
    page.locator("#id_commune").fill("69259")
    page.get_by_label("Prénom du contact").fill("Nadia")
    page.get_by_label("Nom du contact", exact=True).fill("Benali")
    page.get_by_label("Fonction du contact").fill("Directrice de la vie citoyenne")
    page.get_by_label("Adresse électronique du contact").fill("nadia.benali@venissieux.fr")
    page.get_by_label("Téléphone du contact").fill("0472000001")
    page.get_by_label("Nombre de conseillers souhaités").fill("1")
    start = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_label("Date de début de mission souhaitée").fill(start.isoformat())
    page.get_by_label("Motivation", exact=True).fill(
        "Des quartiers entiers sans accompagnement numérique."
    )
    page.locator("label[for=id_commitments_accepted]").click()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre demande")
    assert_accessible(page)

    send_queued_emails()
    page.goto(
        live_server.url
        + link_sent_to("nadia.benali@venissieux.fr", "/structures/candidater/confirmation/")
    )
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande déposée")
    assert_accessible(page)
    assert Structure.objects.submitted().filter(name="Mairie de Vénissieux").exists()
