"""The life of a coordinator post in a real browser (docs/domaine.md#coordinateurs): a structure
asks for it, the préfet gives an opinion, the committee grants it, the structure designates one
of its conseillers, the administration validates, and the new coordinator builds a team by
département and finds its conseillers who record nothing."""

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import make_organisation, make_user
from cnum.core.browser_testing import BROWSER_TEST
from cnum.funding.testing import funded_structure
from cnum.navigation.testing import follow_header_link
from cnum.recruitment.testing import employed, make_validated_structure
from cnum.structures.models import CommitteeSession

pytestmark = BROWSER_TEST


def with_second_factor(user):
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


def in_post(structure, first_name, days_ago):
    today = timezone.localdate()
    match = employed(
        structure,
        start_date=today - datetime.timedelta(days=days_ago),
        end_date=today + datetime.timedelta(days=300),
    )
    user = match.candidate.user
    user.first_name = first_name
    user.save(update_fields=["first_name"])
    return user


def log_out(page):
    page.context.clear_cookies()


def test_a_coordinator_post_from_request_to_team(page, live_server):
    structure, manager = funded_structure(posts=2)
    dominique = in_post(structure, "Dominique", days_ago=10)
    # In another structure of the Rhône, in post for 60 days and not one record since.
    silent = in_post(make_validated_structure(manager=make_user()), "Sacha", days_ago=60)
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    prefet = with_second_factor(make_user(Role.PREFET, organisation=prefecture))
    admin = with_second_factor(make_user(Role.ADMINISTRATEUR))
    CommitteeSession.objects.create(number=42, date=timezone.localdate())

    # The structure asks for a coordinator post.
    log_in(page, live_server, manager.email)
    follow_header_link(page, "Ma structure")
    ask = page.get_by_role("button", name="Demander un poste de coordinateur")
    form = page.locator("form").filter(has=ask)
    form.get_by_label("Temps de travail du coordinateur").select_option(
        label="Coordinateur à temps plein"
    )
    form.get_by_role("textbox").fill("Animer les conseillers de la métropole.")
    ask.click()
    expect(page.get_by_role("button", name="Retirer la demande de coordinateur")).to_be_visible()
    log_out(page)

    # The préfet gives a favourable opinion.
    log_in(page, live_server, prefet.email)
    follow_header_link(page, "Structures")
    page.get_by_role("link", name=structure.name).click()
    page.get_by_label("Avis sur le poste de coordinateur").select_option(label="Favorable")
    page.get_by_label("Commentaire sur le poste de coordinateur").fill(
        "Le territoire manque d'animation."
    )
    page.get_by_role("button", name="Donner mon avis sur le poste de coordinateur").click()
    expect(page.get_by_text("Le territoire manque d'animation.")).to_be_visible()
    log_out(page)

    # The committee grants it.
    log_in(page, live_server, admin.email)
    follow_header_link(page, "Comité de sélection")
    page.get_by_role("link", name="COSELEC 42").click()
    page.get_by_role("button", name="Accorder le poste de coordinateur").click()
    expect(page.get_by_text("Aucune demande en attente.")).to_be_visible()
    log_out(page)

    # The structure designates Dominique.
    log_in(page, live_server, manager.email)
    follow_header_link(page, "Ma structure")
    page.get_by_label("Conseiller désigné coordinateur").select_option(
        label=f"{dominique.get_full_name()} ({dominique.email})"
    )
    page.get_by_role("button", name="Proposer la désignation").click()
    log_out(page)

    # The administration validates.
    log_in(page, live_server, admin.email)
    follow_header_link(page, "Désignations de coordinateurs")
    page.get_by_role("link", name="Valider").first.click()
    page.get_by_role("button", name="Valider la désignation").click()
    log_out(page)

    # Dominique, now a coordinator (a role with a second factor), takes the whole Rhône as team.
    with_second_factor(dominique)
    log_in(page, live_server, dominique.email)
    follow_header_link(page, "Mon équipe")
    page.get_by_role("link", name="Composer mon équipe").click()
    page.locator("label", has_text="Rhône (69)").click()  # the DSFR draws the box on the label
    page.get_by_role("button", name="Enregistrer le territoire").click()
    expect(page.get_by_text("Le territoire de votre équipe est enregistré.")).to_be_visible()
    follow_header_link(page, "Mon équipe")
    expect(page.get_by_role("table")).to_contain_text(silent.get_full_name())

    # Sacha has recorded nothing for 60 days: the team's "sans activité" list shows it.
    follow_header_link(page, "Conseillers sans activité")
    table = page.get_by_role("table")
    expect(table).to_contain_text(silent.get_full_name())
    expect(table).not_to_contain_text(dominique.get_full_name())
