"""Journey in a real browser: référent adds an aidant; the aidant creates a mandate, prints the
attestation and revokes it, then identifies a usager through FranceConnect (the local test
provider, served on 127.0.0.1). axe check on each page."""

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.testing import PASSWORD
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.mandates import triggers
from cnum.mandates.models import AidantProfile, JournalEntry, Kind, Mandate, Usager
from cnum.mandates.testing_idp import TestIdentityProvider, serve, settings_for
from cnum.mandates.tests.factories import habilitated_structure
from cnum.mandates.verification import verify_journal

pytestmark = BROWSER_TEST


@pytest.fixture
def empty_journal_afterwards(live_server):
    """The test flush deletes every table; the journal's triggers refuse that, so the journal
    is emptied here first (triggers dropped and put back)."""
    yield
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mandates_journalentry")
        cursor.execute("DELETE FROM mandates_journalhead")
    triggers.install(connection)


def log_in(page, url, email, device=None):
    page.goto(f"{url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        assert_accessible(page)
        device.refresh_from_db()
        page.get_by_label("Code de vérification").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Vérifier").click()


def test_referent_adds_aidant_who_creates_prints_and_revokes(
    page, live_server, empty_journal_afterwards, settings
):
    structure = habilitated_structure(domains=["papiers", "social", "logement"])
    referent = structure.habilitation.referent

    log_in(page, live_server.url, referent.email)
    page.goto(f"{live_server.url}/aidants-connect/aidants/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aidants de")
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Alex")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Adresse électronique").fill("alex.durand@exemple.fr")
    page.get_by_role("button", name="Ajouter l'aidant").click()
    expect(page.get_by_role("cell", name="alex.durand@exemple.fr")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # Training attended, validated by the administration; the aidant sets a password + TOTP.
    profile = AidantProfile.objects.get(membership__user__email="alex.durand@exemple.fr")
    profile.training_date, profile.pix_validated = timezone.localdate(), True
    profile.validated_at = profile.attendance_recorded_at = timezone.now()
    profile.save()
    aidant = profile.membership.user
    aidant.set_password(PASSWORD)
    aidant.email_confirmed_at = timezone.now()
    aidant.save()
    device = TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)

    log_in(page, live_server.url, aidant.email, device)
    page.get_by_role("link", name="Mandats", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mandats Aidants Connect")
    assert_accessible(page)
    page.get_by_role("link", name="Nouveau mandat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Identifier l'usager")
    assert_accessible(page)
    page.get_by_role("button", name="Continuer").click()  # empty: errors, not a crash
    expect(page.get_by_text("Confirmez avoir vérifié une pièce d'identité.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Prénoms").fill("Dominique")
    page.get_by_label("Nom de naissance").fill("Lefèvre")
    page.get_by_label("Date de naissance").fill("1950-04-02")
    page.get_by_label("Lieu de naissance").fill("Lyon")
    page.get_by_label("J'ai vérifié une pièce d'identité").check(force=True)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un mandat")
    assert_accessible(page)
    page.get_by_label("Papiers – Citoyenneté – Élections").check(force=True)
    page.get_by_label("Logement").check(force=True)
    page.get_by_label("6 mois (182 jours)").check(force=True)
    page.get_by_label("L'usager a été informé et consent").check(force=True)
    page.get_by_role("button", name="Créer le mandat").click()
    mandate = Mandate.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mandat n° {mandate.pk}")
    assert_accessible(page)

    page.get_by_role("link", name="Imprimer l'attestation de mandat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Attestation de mandat n° {mandate.pk}"
    )
    expect(page.get_by_role("img", name="Code QR de vérification")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator("header").first).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Retour au mandat").click()

    page.get_by_role("button", name="Révoquer le mandat").click()
    # An irreversible action: a confirmation page first, then the attestation.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Révoquer le mandat n° {mandate.pk}")
    page.get_by_role("button", name="Révoquer le mandat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Attestation de révocation de mandat n° {mandate.pk}"
    )
    assert_accessible(page)
    mandate.refresh_from_db()
    assert mandate.status == "revoque"

    # With FranceConnect configured, the usager identifies themself at the (local) provider.
    with serve(TestIdentityProvider()) as provider:
        settings_for(settings, issuer=provider.base)
        settings.SITE_URL = live_server.url
        page.goto(f"{live_server.url}/aidants-connect/usagers/nouveau/")
        assert_accessible(page)
        page.get_by_role("button", name="S’identifier avec FranceConnect").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Créer un mandat")
        expect(page.get_by_text("Angela Claire Louise DUBOIS est identifié(e)")).to_be_visible()
        assert_accessible(page)
    usager = Usager.objects.get(identity_method="franceconnect")
    assert usager.franceconnect_sub == provider.person["sub"]
    assert ("GET", "/api/v2/session/end") in provider.requests

    kinds = set(JournalEntry.objects.values_list("kind", flat=True))
    assert {
        Kind.LOGIN,
        Kind.TOTP_CHECK,
        Kind.MANDATE_CREATED,
        Kind.ATTESTATION,
        Kind.MANDATE_REVOKED,
        Kind.IDENTITY_ESTABLISHED,
    } <= kinds
    assert verify_journal().ok
