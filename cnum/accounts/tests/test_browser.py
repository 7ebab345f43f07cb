"""The administration invites a préfet of a région, who sets a password, enrols TOTP, logs in
and finds that région's structures: in a real browser, axe on each page."""

import re

from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST
NEW_PASSWORD = "Prefete-de-region-2026!"


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_administration_invites_a_regional_prefet(page, live_server):
    from cnum.structures.testing import make_structure

    make_structure(departement="69", name="Mairie de Villeurbanne")
    make_structure(departement="75", name="Mairie du 11e arrondissement")
    admin = make_user(Role.ADMINISTRATEUR, email="admin@exemple.fr")
    device = TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code de vérification").fill(code_of(device))
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("link", name=re.compile("^Comptes et rôles")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comptes et rôles")
    assert_accessible(page)
    page.get_by_role("link", name="Inviter une personne").click()
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Régine")
    page.get_by_label("Nom", exact=True).fill("Dupré")
    page.get_by_label("Adresse électronique").fill("regine.dupre@interieur.gouv.fr")
    page.get_by_label("Rôle", exact=True).select_option(Role.PREFET)
    page.get_by_label(re.compile("^Région")).select_option("84")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Régine Dupré")
    expect(page.get_by_text("Invitation en attente")).to_be_visible()
    expect(page.get_by_role("cell", name="Région Auvergne-Rhône-Alpes", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    link = re.search(
        r"https?://[^/\s]+(/compte/mot-de-passe/reinitialiser/\S+/)", mail.outbox[-1].body
    )
    page.goto(live_server.url + link[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    page.get_by_label(re.compile("^Nouveau mot de passe")).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.get_by_role("link", name="Se connecter").last.click()

    page.get_by_label("Adresse électronique").fill("regine.dupre@interieur.gouv.fr")
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    assert_accessible(page)
    pending = TOTPDevice.objects.get(user__email="regine.dupre@interieur.gouv.fr", confirmed=False)
    page.get_by_label("Code de vérification").fill(code_of(pending))
    page.get_by_role("button", name=re.compile("Activer")).click()
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

    page.goto(f"{live_server.url}/structures/instruction/")
    expect(page.get_by_role("link", name="Mairie de Villeurbanne")).to_be_visible()
    expect(page.get_by_text("Mairie du 11e arrondissement")).to_have_count(0)
    assert_accessible(page)


def log_in_admin(page, live_server):
    admin = make_user(Role.ADMINISTRATEUR, email="admin@exemple.fr")
    device = TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code de vérification").fill(code_of(device))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    return admin


def test_support_impersonation_banner_and_way_back(page, live_server):
    log_in_admin(page, live_server)
    person = make_user(Role.PREFET, first_name="Paul", last_name="Préfet")
    page.goto(f"{live_server.url}/compte/administration/comptes/{person.pk}/")
    page.get_by_role("button", name="Se connecter en tant que cette personne").click()
    banner = page.get_by_role("region", name="Connexion en tant que")
    expect(banner).to_contain_text("Vous êtes connecté en tant que Paul Préfet")
    assert_accessible(page)
    page.goto(f"{live_server.url}/structures/instruction/")
    expect(banner).to_be_visible()
    banner.get_by_role("button", name="Revenir à mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paul Préfet")
    expect(page.get_by_role("region", name="Connexion en tant que")).to_have_count(0)
    expect(page.get_by_text("Connexion en tant que (fin)")).to_be_visible()


def test_deactivation_is_confirmed_without_javascript(page_without_js, live_server):
    page = page_without_js
    log_in_admin(page, live_server)
    person = make_user(Role.COORDINATEUR, first_name="Cora", last_name="Coordinatrice")
    page.goto(f"{live_server.url}/compte/administration/comptes/{person.pk}/")
    page.get_by_role("link", name="Désactiver le compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Désactiver le compte de Cora Coordinatrice"
    )
    page.get_by_label("Motif").fill("Fin de la mission de coordination")
    page.get_by_role("button", name="Désactiver le compte").click()
    expect(page.get_by_text("Le compte est désactivé.")).to_be_visible()
    person.refresh_from_db()
    assert not person.is_active
