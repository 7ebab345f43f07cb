"""The recruitment pipeline in a real browser, axe on every page visited: a structure applies,
the préfet gives an opinion, the committee decides, the structure pre-selects a candidate and
recruits them with a contract, the administration validates, the conseiller sees their
structure."""

import datetime
import re
import time

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.demo import DEMO_PASSWORD
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.candidates.testing import make_profile
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.models import Structure
from cnum.structures.testing import make_siret

pytestmark = BROWSER_TEST
MANAGER = "structure@demo.conseiller-numerique.fr"


def log_in(page, live_server, email, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device:
        # A second login within the same 30 s window needs the next code (codes are single-use).
        now = int(time.time()) // device.step
        drift = 1 if device.last_t >= now else 0
        code = totp(device.bin_key, step=device.step, digits=device.digits, drift=drift)
        page.get_by_label("Code de vérification").fill(f"{code:06d}")
        page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    assert_accessible(page)


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def visit(page, url):
    page.goto(url)
    assert_accessible(page)


def apply_as_structure(page, live_server):
    visit(page, f"{live_server.url}/structures/candidater/")
    page.get_by_label("Nom de la structure", exact=True).fill("Mairie de Bron")
    page.get_by_label("Type de structure").select_option("COMMUNE")
    page.get_by_label("SIRET").fill(make_siret())
    page.get_by_label("Adresse", exact=True).fill("Place de la Liberté")
    page.locator("#id_commune").fill("69029")
    page.get_by_label("Prénom du contact").fill("Sam")
    page.get_by_label("Nom du contact", exact=True).fill("Roche")
    page.get_by_label("Fonction du contact").fill("Maire adjoint")
    page.get_by_label("Adresse électronique du contact").fill(MANAGER)
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
    visit(page, live_server.url + link[1])
    page.get_by_role("button", name="Déposer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande déposée")
    return Structure.objects.get(name="Mairie de Bron")


def prefet_opinion(page, live_server):
    log_in(page, live_server, "prefet@demo.conseiller-numerique.fr")
    visit(page, f"{live_server.url}/structures/instruction/")
    page.get_by_role("link", name="Mairie de Bron").click()
    assert_accessible(page)
    page.get_by_label("Avis", exact=True).select_option("FAVORABLE")
    page.get_by_label("Commentaire").fill("Commune prioritaire du département.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Votre avis est enregistré.")).to_be_visible()
    assert_accessible(page)
    log_out(page)


def committee_decision(page, live_server):
    log_in(page, live_server, "admin@demo.conseiller-numerique.fr")
    visit(page, f"{live_server.url}/structures/administration/coselec/")
    page.get_by_role("link", name="COSELEC 2").click()
    page.get_by_label("Choisir Mairie de Bron").check()
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("1 décision(s) enregistrée(s)")).to_be_visible()
    assert_accessible(page)
    log_out(page)


def recruit(page, live_server, structure):
    log_in(page, live_server, MANAGER)
    visit(page, f"{live_server.url}/structures/mon-espace/{structure.pk}/")
    visit(page, f"{live_server.url}/mises-en-relation/structures/{structure.pk}/candidats/")
    page.get_by_role("link", name="Lou Bernard").click()
    assert_accessible(page)
    expect(
        page.get_by_text("Présélectionnez ce candidat pour pouvoir le recruter.")
    ).to_be_visible()
    page.get_by_role("button", name="Présélectionner").click()
    assert_accessible(page)
    page.get_by_role("link", name="Recruter avec un contrat").click()
    assert_accessible(page)
    page.get_by_role("button", name="Demander le recrutement").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_be_visible()
    assert_accessible(page)
    start = timezone.localdate() + datetime.timedelta(days=15)
    page.get_by_label("Type de contrat").select_option("CDD")
    page.get_by_label("Date de début du contrat").fill(start.isoformat())
    end = start + datetime.timedelta(days=730)
    page.get_by_label("Date de fin du contrat").fill(end.isoformat())
    page.get_by_label("Salaire brut mensuel").fill("1 900,00")
    page.get_by_role("button", name="Demander le recrutement").click()
    expect(page.get_by_text("Votre demande de recrutement est transmise")).to_be_visible()
    assert_accessible(page)
    visit(page, f"{live_server.url}/recrutements/structure/{structure.pk}/")
    expect(page.get_by_text("Vacants : 1")).to_be_visible()
    log_out(page)


def validate(page, live_server):
    log_in(page, live_server, "admin@demo.conseiller-numerique.fr")
    to_do = page.get_by_role("region", name="À faire")
    to_do.get_by_role("link", name="Recrutements, ruptures et renouvellements à valider").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lou Bernard").click()
    assert_accessible(page)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Décision enregistrée pour Lou Bernard")).to_be_visible()
    assert_accessible(page)
    log_out(page)


def test_from_application_to_conseiller(page, live_server, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    structure = apply_as_structure(page, live_server)
    prefet_opinion(page, live_server)
    committee_decision(page, live_server)
    lou = make_user(
        Role.CANDIDAT, email="lou.bernard@exemple.fr", first_name="Lou", last_name="Bernard"
    )
    make_profile(lou, commune="69029")
    recruit(page, live_server, structure)
    validate(page, live_server)
    match = Match.objects.get(structure=structure, candidate__user=lou)
    assert match.status == S.FINALISEE

    log_in(page, live_server, lou.email, PASSWORD)
    expect(page.get_by_role("heading", name="Ma structure")).to_be_visible()
    expect(page.get_by_text("Mairie de Bron").first).to_be_visible()
    expect(page.get_by_text("Contrat : Contrat à durée déterminée (CDD)")).to_be_visible()
