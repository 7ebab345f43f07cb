"""The candidate's journey in a real browser, with an axe check on each page."""

import datetime

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from cnum.accounts.models import User
from cnum.accounts.tokens import email_confirmation_token
from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today
from cnum.candidates.testing import SMALL_PDF
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST
PASSWORD = "Un-mot-de-passe-solide-2026"


def tick(page, label):
    # DSFR draws its own box over the input: people click the label, so does the test.
    page.locator("label.fr-label").get_by_text(label, exact=True).click()


def test_apply_confirm_and_manage_the_candidacy(page, live_server, tmp_path):
    page.goto(f"{live_server.url}/candidats/candidater/")
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_text("Cochez au moins une situation.")).to_be_visible()
    assert_accessible(page)  # error state

    page.get_by_label("Prénom").fill("Alix")
    page.locator("#id_last_name").fill("Durand")
    page.locator("#id_email").fill("alix@exemple.fr")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    commune = page.get_by_role("combobox", name="Commune de résidence")
    commune.press_sequentially("villeurb", delay=30)
    page.get_by_role("option", name="Villeurbanne").click()
    tick(page, "Demandeur d'emploi")
    start = today() + datetime.timedelta(days=7)
    page.get_by_label("Disponible à partir du").fill(start.isoformat())
    tick(page, "40 km")
    page.get_by_label("Votre motivation").fill("Aider mes voisins à faire leurs démarches.")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    assert_accessible(page)

    user = User.objects.get(email="alix@exemple.fr")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    page.goto(f"{live_server.url}/candidats/candidater/confirmation/{uid}/{token}/")
    expect(page.get_by_role("heading", name="Confirmer votre candidature")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer ma candidature").click()
    expect(page.get_by_role("heading", name="Candidature confirmée")).to_be_visible()
    page.locator("#contenu").get_by_role("link", name="Se connecter").click()
    page.locator("#id_username").fill("alix@exemple.fr")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Ma candidature", exact=True)).to_be_visible()
    expect(page.get_by_text("Villeurbanne")).to_be_visible()
    assert_accessible(page)

    cv = tmp_path / "cv.pdf"
    cv.write_bytes(SMALL_PDF)
    page.get_by_label("Déposer mon CV").set_input_files(cv)
    page.get_by_role("button", name="Envoyer le CV").click()
    expect(page.get_by_text("Votre CV est enregistré")).to_be_visible()
    page.get_by_role("button", name="Me déclarer indisponible").click()
    expect(page.get_by_role("button", name="Me déclarer disponible")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Modifier mon profil").click()
    assert_accessible(page)
    tick(page, "100 km")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    page.get_by_role("link", name="Saisir mes résultats Pix").click()
    assert_accessible(page)
    page.get_by_role("link", name="Annuler").click()
    page.get_by_role("link", name="Supprimer ma candidature").click()
    assert_accessible(page)

    profile = CandidateProfile.objects.get(user=user)
    assert profile.max_distance_km == 100 and not profile.is_available and profile.has_cv
