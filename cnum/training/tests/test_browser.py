"""A conseiller enrolled by their structure, then trained and certified, in a real browser."""

from django.utils import timezone
from playwright.sync_api import expect

from cnum.accounts.demo import DEMO_PASSWORD
from cnum.accounts.demo import seed as seed_accounts
from cnum.accounts.testing import PASSWORD
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.structures.demo import seed as seed_structures
from cnum.training.demo import seed as seed_training
from cnum.training.enums import EnrolmentStatus
from cnum.training.models import Enrolment
from cnum.training.testing import make_conseiller

pytestmark = BROWSER_TEST


def log_in(page, live_server, email, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_conseiller_enrolled_trained_and_certified(page, live_server):
    context = {}
    for seed in (seed_accounts, seed_structures, seed_training):
        seed(context)
    structure = context["organisations"]["structure"]
    conseiller = make_conseiller(structure, first_name="Lou", last_name="Garnier")
    today = timezone.localdate().isoformat()  # what a native date input takes

    log_in(page, live_server, "structure@demo.conseiller-numerique.fr")
    page.goto(f"{live_server.url}/formation/structures/{structure.pk}/conseillers/")
    assert_accessible(page)
    page.get_by_role("link", name="Inscrire Lou Garnier en formation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire Lou Garnier en formation")
    assert_accessible(page)
    page.locator("label", has_text="Formation initiale — printemps").first.click()
    page.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_text("est inscrit à « Formation initiale — printemps »")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, live_server, "formation@demo.conseiller-numerique.fr")
    page.goto(f"{live_server.url}/formation/mon-organisme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rhône Formation Numérique (démo)")
    assert_accessible(page)
    page.get_by_role("link", name="Voir mes stagiaires").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lou Garnier").click()
    assert_accessible(page)
    page.locator("#date-start").fill(today)
    page.get_by_role("button", name="Enregistrer l'entrée en formation").click()
    expect(page.get_by_text("Formation : en formation.")).to_be_visible()
    # The certification's result is entered once the training is over.
    page.locator("#date-finish").fill(today)
    page.get_by_role("button", name="Enregistrer la fin de formation").click()
    expect(page.get_by_text("Formation : formation terminée.")).to_be_visible()
    page.get_by_label("Certification", exact=True).select_option("CCP1")
    page.get_by_label("Résultat").select_option("admis")
    page.get_by_label("Date de certification").fill(today)
    page.get_by_role("button", name="Enregistrer la certification").click()
    expect(page.get_by_text("La certification est enregistrée.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    enrolment = Enrolment.objects.get(conseiller=conseiller)
    assert (enrolment.status, enrolment.certification_result) == (
        EnrolmentStatus.TERMINEE,
        "admis",
    )
    log_in(page, live_server, conseiller.email, PASSWORD)
    page.goto(f"{live_server.url}/formation/ma-formation/")
    expect(page.get_by_text("En activité", exact=True)).to_be_visible()
    expect(
        page.get_by_text("CCP1 — Responsable d'espace de médiation numérique : Admis")
    ).to_be_visible()
    assert_accessible(page)
