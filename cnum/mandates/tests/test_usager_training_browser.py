"""Journeys in a real browser: (a) an usager signs in through the local FranceConnect provider,
sees the mandate an aidant just created and revokes it; (b) a référent registers an aidant to a
training session, the training organisation records attendance, the aidant is habilitated.
axe check on each page."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.mandates import services
from cnum.mandates.models import AidantProfile, AidantTrainingRegistration
from cnum.mandates.policies import can_create_mandates
from cnum.mandates.testing_idp import DEFAULT_PERSON, TestIdentityProvider, serve, settings_for
from cnum.mandates.tests.factories import (
    habilitated_structure,
    make_usager,
    training_session,
    validated_aidant,
)
from cnum.mandates.tests.test_browser import empty_journal_afterwards  # noqa: F401 — fixture
from cnum.mandates.verification import verify_journal

pytestmark = BROWSER_TEST


def test_usager_signs_in_with_franceconnect_and_revokes(
    page,
    live_server,
    settings,
    empty_journal_afterwards,  # noqa: F811
):
    structure = habilitated_structure(domains=["logement", "social"])
    aidant = validated_aidant(structure)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    usager = make_usager(structure, aidant, franceconnect_sub=DEFAULT_PERSON["sub"])
    mandate = services.create_mandate(
        aidant=aidant, usager=usager, domains=["logement"], duration_days=31, consent=True
    )
    with serve(TestIdentityProvider()) as provider:
        settings_for(settings, issuer=provider.base)
        settings.SITE_URL = live_server.url
        page.goto(f"{live_server.url}/mon-espace-usager/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Mon espace usager Aidants Connect"
        )
        assert_accessible(page)
        page.get_by_role("button", name="S’identifier avec FranceConnect").click()
        expect(page.get_by_text("Bienvenue, Angela Claire Louise DUBOIS.")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Mandat n° {mandate.pk} — {structure}")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Révoquer le mandat n° {mandate.pk}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Révoquer le mandat n° {mandate.pk}")
    assert_accessible(page)
    page.get_by_role("button", name="Révoquer le mandat").click()
    expect(page.get_by_text(f"Le mandat n° {mandate.pk} est révoqué.")).to_be_visible()
    expect(page.get_by_text("Révoqué", exact=True)).to_be_visible()
    assert_accessible(page)
    mandate.refresh_from_db()
    assert mandate.status == "revoque"
    assert verify_journal().ok


def test_referent_registers_aidant_and_organisation_records_attendance(
    page,
    live_server,
    empty_journal_afterwards,  # noqa: F811
):
    structure = habilitated_structure()
    aidant = validated_aidant(structure, first_name="Alex", last_name="Durand")
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    AidantProfile.objects.filter(membership__user=aidant).update(attendance_recorded_at=None)
    session = training_session(seats=3)
    organiser = make_user(Role.ORGANISME_FORMATION, organisation=session.organisation)
    assert not can_create_mandates(aidant, structure)

    log_in(page, live_server, structure.habilitation.referent.email)
    page.goto(f"{live_server.url}/aidants-connect/formations/")
    assert_accessible(page)
    page.get_by_role("link", name="Formation Aidants Connect").click()
    page.get_by_label("Aidant à inscrire").select_option(label=f"Alex Durand ({structure})")
    page.get_by_role("button", name="Inscrire l'aidant").click()
    expect(page.get_by_role("cell", name="Alex Durand")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, organiser.email)
    page.goto(f"{live_server.url}/aidants-connect/formations/{session.pk}/")
    page.get_by_role("button", name="Enregistrer la présence de Alex Durand").click()
    expect(page.get_by_text("Présent(e), enregistré le")).to_be_visible()
    expect(
        page.get_by_role("link", name="Attestation de formation (PDF) de Alex Durand")
    ).to_be_visible()
    assert_accessible(page)
    registration = AidantTrainingRegistration.objects.get()
    assert registration.attended_at is not None
    assert can_create_mandates(aidant, structure)
    # The attestation is a PDF issued through the documents service.
    response = page.request.get(
        f"{live_server.url}/aidants-connect/formations/inscriptions/{registration.pk}/attestation/"
    )
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
