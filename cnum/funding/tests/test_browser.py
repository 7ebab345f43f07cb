"""A structure asks for its first payment and for a kit; the operator approves and pays."""

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in as log_in_with_form
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.funding import ledger
from cnum.funding.enums import PaymentStatus
from cnum.funding.models import KitRequest, PaymentRequest
from cnum.funding.testing import funded_structure, make_kit_type, validated_convention

pytestmark = BROWSER_TEST


def log_in(page, live_server, user):
    log_in_with_form(page, live_server, user.email)


def test_payment_request_approval_and_kit_request(page, live_server):
    structure, manager = funded_structure(posts=2)
    operator = make_user(Role.OPERATEUR_FINANCIER)
    TOTPDevice.objects.create(user=operator, name="Application", confirmed=True)
    validated_convention(structure, manager, operator)
    kit_type = make_kit_type()

    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/financement/ma-structure/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(structure.name)
    assert_accessible(page)
    page.get_by_role("button", name="Demander le versement").click()
    expect(page.get_by_text("Votre demande de versement est envoyée")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Demander un kit").click()
    assert_accessible(page)
    page.get_by_label("Kit demandé").select_option(str(kit_type.pk))
    page.get_by_label("Quantité").fill("2")
    page.get_by_label("Nom du lieu équipé").fill("Médiathèque du centre")
    page.locator("#id_commune").fill("69123")
    page.get_by_label("Justification").fill("Un espace numérique en accès libre.")
    page.get_by_role("button", name="Envoyer la demande de kit").click()
    expect(page.get_by_text("Votre demande de kit est envoyée")).to_be_visible()
    assert KitRequest.objects.get().cost_cents == 2 * kit_type.unit_cost_cents
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server, operator)
    page.goto(f"{live_server.url}/financement/operateur/")
    assert_accessible(page)
    page.get_by_role("link", name="Versement — Premier versement").click()
    assert_accessible(page)
    page.locator("label[for=id_decision_0]").click()  # the DSFR label covers the radio
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Votre décision est enregistrée")).to_be_visible()
    page.get_by_label("Date du virement").fill(timezone.localdate().isoformat())
    page.get_by_label("Référence du virement").fill("VIR-2026-0042")
    page.get_by_role("button", name="Enregistrer le versement").click()
    expect(page.get_by_text("Le versement est enregistré")).to_be_visible()
    assert_accessible(page)
    assert PaymentRequest.objects.get().status == PaymentStatus.VERSEE
    assert ledger.structure_balance(structure).paid == 5_000_000
    page.goto(f"{live_server.url}/financement/pilotage/")
    assert_accessible(page)
