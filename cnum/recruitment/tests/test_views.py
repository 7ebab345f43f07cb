"""The recruitment screens through the Django client: forms, refusals, scopes, query budgets."""

import datetime
import html

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.candidates.services import today
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment import services
from cnum.recruitment.enums import RuptureMotif
from cnum.recruitment.models import Contract
from cnum.recruitment.testing import (
    contract_data,
    employed,
    make_match,
    make_validated_structure,
    recruited,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    return login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))


@pytest.fixture
def admin():
    return make_user(Role.ADMINISTRATEUR)


def text(response):
    return html.unescape(response.content.decode())


def fmt(day):
    return day.strftime("%d/%m/%Y")


def contract_post(**overrides):
    start = today() + datetime.timedelta(days=10)
    return {
        "type": "CDD",
        "start_date": fmt(start),
        "end_date": fmt(start + datetime.timedelta(days=365)),
        "weekly_hours": "35",
        "gross_monthly_salary": "1 900,00",
        "comment": "",
        **overrides,
    }


def test_a_manager_recruits_with_a_contract(client, manager):
    match = make_match(make_validated_structure(manager=manager))
    url = reverse("recruitment:recruit", kwargs={"pk": match.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, contract_post(), follow=True)
    assert "Votre demande de recrutement est transmise" in text(response)
    match.refresh_from_db()
    assert match.status == S.RECRUTEE
    assert str(Contract.objects.get(match=match).gross_monthly_salary) == "1900.00"


@pytest.mark.parametrize("end_date", ["31/12/9999", "31/12/2150"])
def test_an_absurd_end_date_or_salary_is_refused_and_nothing_changes(client, manager, end_date):
    match = make_match(make_validated_structure(manager=manager))
    url = reverse("recruitment:recruit", kwargs={"pk": match.pk})
    response = client.post(url, contract_post(end_date=end_date, gross_monthly_salary="999 999,99"))
    assert response.status_code == 200
    page = text(response)
    if end_date.endswith("2150"):
        assert "Un contrat dure au plus 6 ans" in page
    assert "ne peut pas dépasser 10 000,00 €" in page
    match.refresh_from_db()
    assert match.status == S.INTERESSEE and not Contract.objects.exists()


def test_a_bad_contract_is_explained_and_nothing_changes(client, manager):
    match = make_match(make_validated_structure(manager=manager))
    url = reverse("recruitment:recruit", kwargs={"pk": match.pk})
    response = client.post(url, contract_post(end_date="", gross_monthly_salary="900"))
    assert response.status_code == 200
    page = text(response)
    assert "Indiquez la date de fin du contrat" in page
    assert "ne peut pas être inférieur au SMIC" in page
    match.refresh_from_db()
    assert match.status == S.INTERESSEE


def test_no_vacant_post_is_explained_on_the_form(client, manager):
    structure = make_validated_structure(posts=1, manager=manager)
    recruited(structure, manager)
    match = make_match(structure)
    response = client.post(reverse("recruitment:recruit", kwargs={"pk": match.pk}), contract_post())
    assert response.status_code == 200
    assert "Tous les postes attribués à la structure sont pourvus" in text(response)


def test_another_structures_match_is_a_404(client, manager):
    match = make_match(make_validated_structure(manager=make_user()))
    url = reverse("recruitment:recruit", kwargs={"pk": match.pk})
    assert client.post(url, contract_post()).status_code == 404
    match.refresh_from_db()
    assert match.status == S.INTERESSEE


def test_the_manager_withdraws_a_request(client, manager):
    match = recruited(manager=manager)
    url = reverse("recruitment:withdraw", kwargs={"pk": match.pk})
    page = text(client.post(url, {"comment": "Le candidat a renoncé"}))
    assert "le poste est libéré" in page and "Le candidat a renoncé" in page
    match.refresh_from_db()
    assert match.status == S.RECRUTEE  # nothing happens before the confirmation
    response = client.post(url, {"comment": "Le candidat a renoncé", "confirm": "1"}, follow=True)
    assert "Votre demande est retirée." in text(response)
    match.refresh_from_db()
    assert match.status == S.INTERESSEE
    response = client.post(url, follow=True)
    assert "plus de demande en attente" in text(response)


def test_rupture_and_renewal_forms(client, manager):
    match = employed(manager=manager)
    contract = Contract.objects.get(match=match)
    url = reverse("recruitment:rupture", kwargs={"pk": match.pk})
    late = fmt(contract.end_date + datetime.timedelta(days=1))
    response = client.post(url, {"motif": RuptureMotif.DEMISSION, "date": late})
    assert response.status_code == 200
    assert "ne peut pas dépasser la fin du contrat" in text(response)
    renewal = reverse("recruitment:renewal", kwargs={"pk": match.pk})
    start = contract.end_date + datetime.timedelta(days=1)
    response = client.post(
        renewal,
        contract_post(start_date=fmt(start), end_date=fmt(start + datetime.timedelta(days=300))),
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == S.RENOUVELLEMENT_INITIE
    # No rupture while a renewal is examined: the page says why and sends back.
    response = client.get(url, follow=True)
    assert "Seul le contrat d'un conseiller en poste peut être rompu." in text(response)


def test_the_administration_validates_from_the_queue(client, admin):
    login(client, admin)
    oldest = recruited(weekly_hours=28)
    employed_match = employed()
    services.notify_rupture(
        employed_match,
        employed_match.structure.managers().first().user,
        motif=RuptureMotif.DEMISSION,
        date=today() + datetime.timedelta(days=20),
    )
    response = client.get(reverse("recruitment:queue"))
    page = text(response)
    assert page.index(str(oldest.candidate.user)) < page.index(str(employed_match.candidate.user))
    assert reverse("recruitment:decide", kwargs={"pk": oldest.pk}) in page  # decided from here
    detail = text(client.get(reverse("recruitment:match", kwargs={"pk": oldest.pk})))
    assert "Valider" in detail and "Refuser" in detail
    assert "28 h par semaine" in detail  # the contract's hours, for the decision
    decide = reverse("recruitment:decide", kwargs={"pk": oldest.pk})
    response = client.post(decide, {"accept": "0", "comment": ""}, follow=True)
    assert "Expliquez le refus en quelques mots." in text(response)
    oldest.refresh_from_db()
    assert oldest.status == S.RECRUTEE
    response = client.post(decide, {"accept": "1", "comment": "Complet"}, follow=True)
    assert "Décision enregistrée" in text(response)
    oldest.refresh_from_db()
    assert oldest.status == S.FINALISEE
    response = client.post(decide, {"accept": "1"}, follow=True)
    assert "Ce dossier a déjà été traité." in text(response)
    rupture_decide = reverse("recruitment:decide", kwargs={"pk": employed_match.pk})
    client.post(rupture_decide, {"accept": "1"})
    employed_match.refresh_from_db()
    assert employed_match.status == S.FINALISEE_RUPTURE


def test_the_queue_has_a_fixed_query_budget(client, admin, django_assert_max_num_queries):
    login(client, admin)
    for _ in range(3):
        recruited()
    with django_assert_max_num_queries(12):
        client.get(reverse("recruitment:queue"))
    for _ in range(5):
        recruited()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recruitment:queue"))
    assert text(response).count("Recrutement</td>") == 8


def test_structure_page_and_list_have_fixed_query_budgets(client, django_assert_max_num_queries):
    manager = login(client, make_user())
    structure = make_validated_structure(posts=10, manager=manager)
    for _ in range(6):
        recruited(structure, manager)
    url = reverse("recruitment:structure", kwargs={"pk": structure.pk})
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert "Vacants : 4" in text(response)
    login(client, make_user(Role.PREFET))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("recruitment:list"))
    assert text(response).count("<td>Recrutement demandé</td>") == 6


def test_a_prefet_reads_their_territory_without_acting(client):
    match = recruited()
    prefet = login(client, make_user(Role.PREFET))
    detail = client.get(reverse("recruitment:match", kwargs={"pk": match.pk}))
    assert detail.status_code == 200
    assert "Valider" not in text(detail)
    response = client.post(reverse("recruitment:decide", kwargs={"pk": match.pk}), {"accept": "1"})
    assert response.status_code == 403
    match.refresh_from_db()
    assert match.status == S.RECRUTEE
    assert prefet.has_role(Role.PREFET)
    elsewhere = recruited(make_validated_structure(departement="13", manager=make_user()))
    other = client.get(reverse("recruitment:match", kwargs={"pk": elsewhere.pk}))
    assert other.status_code == 404


def test_the_conseiller_sees_their_structure_and_contract(client):
    match = employed()
    login(client, match.candidate.user)
    page = text(client.get(reverse("accounts:dashboard")))
    assert "Ma structure" in page and match.structure.name in page
    contract = Contract.objects.get(match=match)
    assert f"jusqu'au {contract.end_date:%d/%m/%Y}" in page


def test_the_structure_space_links_to_recruitments(client, manager):
    structure = make_validated_structure(manager=manager)
    page = client.get(reverse("structures:detail", kwargs={"pk": structure.pk})).content.decode()
    assert reverse("recruitment:structure", kwargs={"pk": structure.pk}) in page


def render_actions(structure, match):
    return render_to_string(
        "recruitment/_match_actions.html",
        {"structure": structure, "candidate": match.candidate if match else None, "match": match},
    )


def test_the_candidate_actions_say_what_is_possible():
    structure = make_validated_structure(posts=1, manager=make_user())
    assert "Présélectionnez ce candidat" in render_actions(structure, None)
    match = make_match(structure)
    assert reverse("recruitment:recruit", kwargs={"pk": match.pk}) in render_actions(
        structure, match
    )
    recruited(structure)
    assert "Tous vos postes sont pourvus" in render_actions(structure, match)
    assert make_organisation(OrganisationKind.STRUCTURE)  # the helper stays importable


def test_the_history_says_who_moved_what_and_why(client, manager):
    match = make_match(make_validated_structure(manager=manager))
    services.request_recruitment(match, manager, contract_data(), "Entretien concluant")
    page = text(client.get(reverse("recruitment:match", kwargs={"pk": match.pk})))
    row = (
        f"<td>{manager}</td><td>Présélectionnée</td><td>Recrutement demandé</td>"
        "<td>Entretien concluant</td>"
    )
    assert row in page
