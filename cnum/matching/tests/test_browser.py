"""A manager finds the nearest candidate, pre-selects them and notes the interview; axe on each
page."""

from django.urls import reverse
from playwright.sync_api import expect

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user
from cnum.candidates.testing import make_profile
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure

pytestmark = BROWSER_TEST


def test_manager_preselects_the_nearest_candidate(page, live_server):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, email="gestion@exemple.fr")
    structure = make_structure(manager=manager, status=Status.VALIDATION_COSELEC)
    nearest = make_user(Role.CANDIDAT, first_name="Inès", last_name="Proche")
    make_profile(nearest, phone="0611223344")
    make_profile(make_user(Role.CANDIDAT, last_name="Eloigne"), commune="01262", max_distance_km=40)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("gestion@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + reverse("structures:detail", kwargs={"pk": structure.pk}))
    page.get_by_role("link", name="Voir les candidats proches de la structure").click()
    expect(page.get_by_role("link", name="Nouvelles (2)")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Inès Proche")
    expect(rows.nth(1)).to_contain_text("Eloigne")
    assert_accessible(page)

    rows.first.get_by_role("link", name="Inès Proche").click()
    expect(page.get_by_text("0611223344")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Présélectionner").click()
    expect(page.get_by_text("Téléphone : 0611223344")).to_be_visible()
    page.get_by_label("Note").fill("Entretien prévu mardi.")
    page.get_by_label("Adaptabilité").select_option("4")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_text("Entretien prévu mardi.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Candidats", exact=True).click()
    expect(page.get_by_role("link", name="Présélectionnées (1)")).to_be_visible()
