"""Structure applies → préfet opinion → committee decision, in a real browser, axe on each page."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.demo import DEMO_PASSWORD
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.structures.testing import make_siret

pytestmark = BROWSER_TEST


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device:
        code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
        page.get_by_label("Code de vérification").fill(code)
        page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_structure_applies_then_prefet_and_committee_decide(page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    page.goto(f"{live_server.url}/structures/candidater/")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom de la structure", exact=True).fill("Mairie de Bron")
    page.get_by_label("Type de structure").select_option("COMMUNE")
    page.get_by_label("SIRET").fill(make_siret())
    page.get_by_label("Adresse", exact=True).fill("Place de la Liberté")
    page.locator("#id_commune").fill("69029")
    page.get_by_label("Prénom du contact").fill("Sam")
    page.get_by_label("Nom du contact", exact=True).fill("Roche")
    page.get_by_label("Fonction du contact").fill("Maire adjoint")
    page.get_by_label("Adresse électronique du contact").fill("sam.roche@bron.fr")
    page.get_by_label("Téléphone du contact").fill("0472000000")
    page.get_by_label("Nombre de conseillers souhaités").fill("2")
    start = timezone.localdate() + datetime.timedelta(days=15)
    page.get_by_label("Date de début de mission souhaitée").fill(start.isoformat())
    page.get_by_label("Motivation", exact=True).fill(
        "Beaucoup d'habitants sans accès au numérique."
    )
    page.locator("label[for=id_commitments_accepted]").click()
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre demande")
    assert_accessible(page)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    link = re.search(
        r"https?://[^/\s]+(/structures/candidater/confirmation/\S+/)", mail.outbox[-1].body
    )
    page.goto(live_server.url + link[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer votre demande")
    assert_accessible(page)
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande déposée")
    assert_accessible(page)
    structure = Structure.objects.get(name="Mairie de Bron")

    log_in(page, live_server, "prefet@demo.conseiller-numerique.fr")
    page.goto(f"{live_server.url}/structures/instruction/")
    assert_accessible(page)
    page.get_by_role("link", name="Mairie de Bron").click()
    assert_accessible(page)
    page.get_by_label("Avis", exact=True).select_option("FAVORABLE")
    page.get_by_label("Commentaire").fill("Commune prioritaire du département.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Votre avis est enregistré.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, "admin@demo.conseiller-numerique.fr")
    page.goto(f"{live_server.url}/structures/administration/coselec/")
    assert_accessible(page)
    page.get_by_role("link", name="COSELEC 2").click()
    assert_accessible(page)
    page.get_by_label("Choisir Mairie de Bron").check()
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("1 décision(s) enregistrée(s)")).to_be_visible()
    structure.refresh_from_db()
    assert structure.status == Status.VALIDATION_COSELEC
    assert structure.current_posts() == 2
    page.goto(f"{live_server.url}/structures/instruction/{structure.pk}/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/structures/administration/ami/")
    assert_accessible(page)
