"""Coordinator posts (docs/domaine.md#coordinateurs): request, préfet opinion, committee grant
funded like a conseiller post, designation of a conseiller in post, validation by the
administration, amendments."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts import grants
from cnum.accounts.models import Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.funding import ledger
from cnum.funding.testing import funded_structure, grant_posts
from cnum.structures import coordinators, services
from cnum.structures.enums import (
    CoordinatorRequestStatus,
    DesignationStatus,
    PostType,
    Status,
)
from cnum.structures.models import (
    CommitteeSession,
    CoordinatorDesignation,
    CoordinatorRequest,
    PostAmendment,
    Structure,
)
from cnum.structures.testing import make_structure
from cnum.structures.tests.test_application import APPLY, application

pytestmark = pytest.mark.django_db
MOTIVATION = "Animer les conseillers de la métropole lyonnaise."


def text(response):
    return unescape(response.content.decode())


def prefet(departement="69"):
    organisation = make_organisation(OrganisationKind.PREFECTURE, departement=departement)
    return make_user(Role.PREFET, organisation=organisation)


def committed(structure):
    return ledger.structure_balance(structure).committed


def session(number=40):
    return CommitteeSession.objects.create(number=number, date=datetime.date(2026, 3, 1))


def ask(structure, manager):
    return coordinators.request_post(structure, manager, time="TEMPS_PLEIN", motivation=MOTIVATION)


def with_coordinator_post():
    """A validated structure: 2 conseiller posts, 1 coordinator post, a conseiller in post."""
    structure, manager = funded_structure(posts=2)
    ask(structure, manager)
    admin = make_user(Role.ADMINISTRATEUR)
    services.record_decision(
        structure,
        admin,
        session=session(41),
        opinion="POSITIF",
        posts_granted=2,
        coordinator_posts_granted=1,
    )
    conseiller = make_user(Role.CANDIDAT, email="camille@example.fr")
    grants.grant(conseiller, Role.CONSEILLER, structure)
    return structure, manager, conseiller


# 1. The request


def test_an_application_with_a_coordinator_post_files_a_request(client, open_call):
    data = application(coordinator_motivation="Coordonner les conseillers du Rhône.")
    assert client.post(APPLY, data).status_code == 302
    request = CoordinatorRequest.objects.get()
    assert request.time == "TEMPS_PARTIEL" and request.requested_by is None
    assert request.motivation == "Coordonner les conseillers du Rhône."
    assert request.status == CoordinatorRequestStatus.DEMANDEE
    client.post(APPLY, application(coordinator_post=""))
    assert CoordinatorRequest.objects.count() == 1


def test_a_manager_asks_from_ma_structure_with_french_errors(client):
    manager = make_user()
    structure = make_structure(manager=manager)
    login(client, manager)
    url = reverse("structures:coordinator_request", args=[structure.pk])
    response = client.post(url, {"time": "TEMPS_PLEIN", "motivation": "court"})
    assert response.status_code == 400
    assert "La motivation compte au moins 10 caractères." in text(response)
    assert not CoordinatorRequest.objects.exists()

    response = client.post(url, {"time": "TEMPS_PLEIN", "motivation": MOTIVATION})
    assert response.status_code == 302
    request = CoordinatorRequest.objects.get()
    assert request.requested_by == manager and request.structure == structure
    page = text(client.get(reverse("structures:detail", args=[structure.pk])))
    assert "Coordinateur à temps plein" in page and "En attente de décision" in page

    response = client.post(url, {"time": "TEMPS_PARTIEL", "motivation": MOTIVATION})
    assert response.status_code == 400
    assert "déjà en cours" in text(response)
    assert CoordinatorRequest.objects.count() == 1


def test_someone_else_cannot_ask_or_withdraw_for_the_structure(client):
    structure = make_structure(manager=make_user())
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))  # manages another organisation
    url = reverse("structures:coordinator_request", args=[structure.pk])
    assert client.post(url, {"time": "TEMPS_PLEIN", "motivation": MOTIVATION}).status_code == 404
    login(client, make_user(Role.PREFET))
    assert client.post(url, {"time": "TEMPS_PLEIN", "motivation": MOTIVATION}).status_code == 403
    assert not CoordinatorRequest.objects.exists()


def test_the_manager_withdraws_a_pending_request(client):
    manager = make_user()
    structure = make_structure(manager=manager)
    request = ask(structure, manager)
    login(client, manager)
    url = reverse("structures:coordinator_request_cancel", args=[structure.pk, request.pk])
    client.post(url)
    request.refresh_from_db()
    assert request.status == CoordinatorRequestStatus.ANNULEE
    wrong = reverse("structures:coordinator_request_cancel", args=[structure.pk, 999999])
    assert client.post(wrong).status_code == 404


# 2. The préfet's opinion


def test_the_prefet_gives_an_opinion_from_the_structure_page(client):
    manager = make_user()
    structure = make_structure(manager=manager, departement="69")
    request = ask(structure, manager)
    user = login(client, prefet("69"))
    page = text(client.get(reverse("structures:decider_detail", args=[structure.pk])))
    assert "Donner mon avis sur le poste de coordinateur" in page
    url = reverse("structures:coordinator_opinion", args=[request.pk])
    client.post(url, {"opinion": "FAVORABLE", "comment": "trop"})
    request.refresh_from_db()
    assert request.prefet_opinion == ""
    response = client.post(url, {"opinion": "FAVORABLE", "comment": "Territoire bien couvert."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.prefet_opinion, request.prefet_by) == ("FAVORABLE", user)
    page = text(client.get(reverse("structures:decider_detail", args=[structure.pk])))
    assert "Avis du préfet : Favorable — Territoire bien couvert." in page


def test_prefet_of_another_departement_and_managers_cannot_give_it(client):
    manager = make_user()
    request = ask(make_structure(manager=manager, departement="69"), manager)
    url = reverse("structures:coordinator_opinion", args=[request.pk])
    data = {"opinion": "DEFAVORABLE", "comment": "Pas de besoin ici."}
    login(client, prefet("75"))
    assert client.post(url, data).status_code == 404
    login(client, manager)
    assert client.post(url, data).status_code == 403
    login(client, prefet("69"))
    assert client.post(reverse("structures:coordinator_opinion", args=[999999])).status_code == 404
    request.refresh_from_db()
    assert request.prefet_opinion == ""


# 3. The committee


def test_the_committee_grants_it_with_its_decision_and_the_ledger_funds_it(
    client, send_emails, mailoutbox
):
    manager = make_user()
    structure = make_structure(manager=manager)
    request = ask(structure, manager)
    login(client, make_user(Role.ADMINISTRATEUR))
    committee = session()
    data = {"session": committee.pk, "opinion": "POSITIF", "posts_granted": 2}
    with send_emails():
        response = client.post(
            reverse("structures:decision", args=[structure.pk]),
            {**data, "coordinator_posts_granted": 1},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == CoordinatorRequestStatus.ACCORDEE
    assert request.decision.session == committee
    assert structure.current_coordinator_posts() == 1
    # Funded like a conseiller post: the same grid amount, on the same envelope.
    per_post = ledger.post_amount(structure, ledger.grid_on())
    assert committed(structure) == 3 * per_post
    assert any("Postes de coordinateur attribués : 1." in m.body for m in mailoutbox)
    assert any("Poste de coordinateur" in m.subject for m in mailoutbox)


def test_a_decision_without_coordinator_post_refuses_the_request(client):
    manager = make_user()
    structure = make_structure(manager=manager)
    request = ask(structure, manager)
    login(client, make_user(Role.ADMINISTRATEUR))
    data = {"session": session().pk, "opinion": "POSITIF", "posts_granted": 2}
    client.post(reverse("structures:decision", args=[structure.pk]), data)
    request.refresh_from_db()
    assert request.status == CoordinatorRequestStatus.REFUSEE
    assert structure.current_coordinator_posts() == 0


def test_the_session_batch_grants_the_coordinator_post_when_ticked(client):
    manager = make_user()
    asking, other = make_structure(manager=manager), make_structure()
    request = ask(asking, manager)
    login(client, make_user(Role.ADMINISTRATEUR))
    committee = session()
    url = reverse("structures:session", args=[committee.pk])
    assert "Coordinateur demandé" in text(client.get(url))
    client.post(
        url, {"structures": [asking.pk, other.pk], "opinion": "POSITIF", "coordinator": "1"}
    )
    request.refresh_from_db()
    assert request.status == CoordinatorRequestStatus.ACCORDEE
    assert (asking.current_coordinator_posts(), other.current_coordinator_posts()) == (1, 0)


def test_a_validated_structure_request_is_answered_from_the_session(
    client, send_emails, mailoutbox
):
    structure, manager = funded_structure(posts=2)
    granted = ask(structure, manager)
    login(client, make_user(Role.ADMINISTRATEUR))
    committee = session()
    page = text(client.get(reverse("structures:session", args=[committee.pk])))
    assert "Accorder le poste de coordinateur" in page and structure.name in page
    before = committed(structure)
    url = reverse("structures:coordinator_request_decision", args=[committee.pk, granted.pk])
    client.post(url, {"accept": "1"})
    granted.refresh_from_db()
    assert granted.status == CoordinatorRequestStatus.ACCORDEE
    assert (structure.current_posts(), structure.current_coordinator_posts()) == (2, 1)
    assert committed(structure) == before * 3 // 2

    refused = ask(structure, manager)
    url = reverse("structures:coordinator_request_decision", args=[session(43).pk, refused.pk])
    with send_emails():
        client.post(url, {"accept": "0", "comment": "Territoire déjà couvert"})
    refused.refresh_from_db()
    assert refused.status == CoordinatorRequestStatus.REFUSEE
    assert structure.current_coordinator_posts() == 1
    assert "Territoire déjà couvert" in mailoutbox[0].body
    # Already answered: nothing more happens.
    client.post(url, {"accept": "1"})
    assert structure.current_coordinator_posts() == 1


def test_only_the_administration_answers_requests(client):
    structure, manager = funded_structure(posts=2)
    request = ask(structure, manager)
    url = reverse("structures:coordinator_request_decision", args=[session().pk, request.pk])
    login(client, manager)
    assert client.post(url, {"accept": "1"}).status_code == 403
    login(client, make_user(Role.ADMINISTRATEUR))
    wrong = reverse("structures:coordinator_request_decision", args=[999999, request.pk])
    assert client.post(wrong, {"accept": "1"}).status_code == 404
    request.refresh_from_db()
    assert request.status == CoordinatorRequestStatus.DEMANDEE


# 4. Designation and validation


def test_designation_then_validation_grants_the_coordinator_role(client, send_emails, mailoutbox):
    structure, manager, conseiller = with_coordinator_post()
    login(client, manager)
    page = text(client.get(reverse("structures:detail", args=[structure.pk])))
    assert "Proposer la désignation" in page and "camille@example.fr" in page
    url = reverse("structures:coordinator_designate", args=[structure.pk])
    assert client.post(url, {"conseiller": conseiller.pk}).status_code == 302
    designation = CoordinatorDesignation.objects.get()
    assert designation.status == DesignationStatus.PROPOSEE
    assert structure.vacant_coordinator_posts() == 0

    admin = login(client, make_user(Role.ADMINISTRATEUR))
    listing = text(client.get(reverse("structures:designations")))
    assert structure.name in listing and "camille@example.fr" in listing
    validate = reverse("structures:designation_validate", args=[designation.pk])
    page = text(client.get(validate))
    assert "Valider la désignation" in page and "reçoit le rôle de coordinateur" in page
    assert not conseiller.has_role(Role.COORDINATEUR)
    with send_emails():
        client.post(validate, {"confirm": "1"})
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.VALIDEE and designation.decided_by == admin
    membership = Membership.objects.get(user=conseiller, role=Role.COORDINATEUR)
    assert membership.organisation_id == structure.pk and membership.is_active
    assert set(mailoutbox[0].to) == {manager.email, conseiller.email}
    assert "a validé la désignation" in mailoutbox[0].body


def test_only_a_conseiller_in_post_with_a_vacant_post_can_be_designated(client):
    structure, manager, conseiller = with_coordinator_post()
    outsider = make_user(Role.CONSEILLER)
    login(client, manager)
    url = reverse("structures:coordinator_designate", args=[structure.pk])
    response = client.post(url, {"conseiller": outsider.pk})
    assert response.status_code == 400
    assert "Ce conseiller n'est pas en poste dans la structure." in text(response)
    client.post(url, {"conseiller": conseiller.pk})
    second = make_user(Role.CANDIDAT)
    grants.grant(second, Role.CONSEILLER, structure)
    response = client.post(url, {"conseiller": second.pk})
    assert "aucun poste de coordinateur vacant" in text(response)
    assert CoordinatorDesignation.objects.count() == 1


def test_refusal_needs_a_reason_and_mails_it(client, send_emails, mailoutbox):
    structure, manager, conseiller = with_coordinator_post()
    designation = coordinators.designate(structure, manager, conseiller=conseiller)
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:designation_refuse", args=[designation.pk])
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 400 and "Indiquez le motif du refus." in text(response)
    with send_emails():
        client.post(url, {"confirm": "1", "reason": "Le conseiller n'a pas fini sa formation."})
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.REFUSEE
    assert "Le conseiller n'a pas fini sa formation." in mailoutbox[0].body
    assert not conseiller.has_role(Role.COORDINATEUR)
    # The post is open again for another designation.
    assert structure.vacant_coordinator_posts() == 1


def test_managers_cannot_validate_their_own_designation(client):
    structure, manager, conseiller = with_coordinator_post()
    designation = coordinators.designate(structure, manager, conseiller=conseiller)
    login(client, manager)
    url = reverse("structures:designation_validate", args=[designation.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 403
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.PROPOSEE
    assert not Membership.objects.filter(role=Role.COORDINATEUR).exists()


def test_a_correction_cannot_take_away_a_designated_coordinator_post():
    structure, manager, conseiller = with_coordinator_post()
    coordinators.designate(structure, manager, conseiller=conseiller)
    admin = make_user(Role.ADMINISTRATEUR)
    decision = structure.decisions.order_by("-decided_at", "-pk").first()
    with pytest.raises(ValueError, match="coordinateurs"):
        services.correct_decision(decision, admin, opinion="ANNULEE", posts_granted=0, reason="x")
    assert structure.current_coordinator_posts() == 1


# 5. Amendments


def test_an_amendment_adds_then_withdraws_a_coordinator_post(client):
    structure, manager = funded_structure(posts=2)
    admin = make_user(Role.ADMINISTRATEUR)
    login(client, manager)
    url = reverse("structures:amendment_create", args=[structure.pk])
    data = {"kind": "AJOUT", "post_type": "COORDINATEUR", "number": 1, "motif": "autre"}
    client.post(url, data)
    amendment = PostAmendment.objects.get()
    assert amendment.post_type == PostType.COORDINATEUR
    before = committed(structure)
    services.decide_amendment(amendment, admin, accept=True)
    assert (structure.current_posts(), structure.current_coordinator_posts()) == (2, 1)
    assert committed(structure) == before * 3 // 2

    response = client.post(url, {**data, "kind": "RETRAIT", "number": 2})
    assert "Vous ne pouvez rendre que vos postes de coordinateur vacants (1)." in text(response)
    client.post(url, {**data, "kind": "RETRAIT"})
    withdrawal = PostAmendment.objects.filter(kind="RETRAIT").get()
    services.decide_amendment(withdrawal, admin, accept=True)
    assert (structure.current_posts(), structure.current_coordinator_posts()) == (2, 0)
    assert committed(structure) == before
    assert not ledger.verify()


def test_status_of_a_refused_structure_forbids_new_requests():
    manager = make_user()
    structure = make_structure(manager=manager, status=Status.REFUS_COSELEC)
    with pytest.raises(ValueError, match="close"):
        ask(structure, manager)
    assert Structure.objects.get(pk=structure.pk).coordinator_requests.count() == 0


def test_grant_posts_helper_keeps_coordinator_posts():
    structure, manager, _ = with_coordinator_post()
    grant_posts(structure, 3)
    assert (structure.current_posts(), structure.current_coordinator_posts()) == (3, 1)
