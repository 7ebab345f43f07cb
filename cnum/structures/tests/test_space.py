import re

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.enums import AmendmentStatus, CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision, PostAmendment, Structure
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = make_user()
    login(client, user)
    return user


def validated(manager, posts=3, **fields):
    structure = make_structure(status=Status.VALIDATION_COSELEC, manager=manager, **fields)
    CommitteeDecision.objects.create(
        structure=structure,
        opinion=CommitteeOpinion.POSITIF,
        posts_granted=posts,
        decided_by=make_user(Role.ADMINISTRATEUR),
    )
    return structure


def test_space_shows_status_posts_and_decisions(client, manager):
    structure = validated(manager, posts=3)
    response = client.get(reverse("structures:space"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("structures:detail", args=[structure.pk])
    assert "Validée par le comité" in html
    assert "Postes attribués : 3" in html
    assert "Pourvus : 0" in html
    assert "Vacants : 3" in html


def test_quota_is_the_latest_positive_decision(manager):
    structure = validated(manager, posts=3)
    admin = make_user(Role.ADMINISTRATEUR)
    CommitteeDecision.objects.create(
        structure=structure, opinion=CommitteeOpinion.POSITIF, posts_granted=5, decided_by=admin
    )
    CommitteeDecision.objects.create(
        structure=structure, opinion=CommitteeOpinion.NEGATIF, decided_by=admin
    )
    assert structure.current_posts() == 5
    annotated = type(structure).objects.with_posts_granted().get(pk=structure.pk)
    assert annotated.current_posts() == 5


def test_another_structure_is_a_404(client, manager):
    make_structure(manager=manager)
    other = make_structure(manager=make_user())
    assert client.get(reverse("structures:detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("structures:amendment_create", args=[other.pk]),
        {
            "kind": "AJOUT",
            "post_type": "CONSEILLER",
            "number": 2,
            "motif": "besoins_supplementaires",
        },
    )
    assert response.status_code == 404
    assert not PostAmendment.objects.exists()


def test_unconfirmed_structure_is_invisible(client, manager):
    structure = make_structure(manager=manager, confirmed=False)
    assert client.get(reverse("structures:detail", args=[structure.pk])).status_code == 404


def test_request_more_posts_and_cancel(client, manager):
    structure = validated(manager)
    response = client.post(
        reverse("structures:amendment_create", args=[structure.pk]),
        {
            "kind": "AJOUT",
            "post_type": "CONSEILLER",
            "number": 2,
            "motif": "besoins_supplementaires",
            "comment": "Quartier",
        },
    )
    assert response.status_code == 302
    amendment = PostAmendment.objects.get()
    assert (amendment.kind, amendment.number, amendment.status) == ("AJOUT", 2, "DEMANDEE")
    html = client.get(reverse("structures:detail", args=[structure.pk])).content.decode()
    assert "En attente de décision" in html
    cancel = reverse("structures:amendment_cancel", args=[structure.pk, amendment.pk])
    assert "ne sera pas examinée" in client.post(cancel).content.decode()  # the button
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DEMANDEE
    client.post(cancel, {"confirm": "1"})
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ANNULEE


def test_give_back_at_most_the_vacant_posts(client, manager):
    structure = validated(manager, posts=2)
    response = client.post(
        reverse("structures:amendment_create", args=[structure.pk]),
        {
            "kind": "RETRAIT",
            "post_type": "CONSEILLER",
            "number": 3,
            "motif": "fin_de_subventionnement",
        },
    )
    assert response.status_code == 400
    assert "postes vacants (2)" in response.content.decode()
    assert not PostAmendment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "AJOUT", "number": 0, "motif": "autre"},
        {"kind": "AJOUT", "number": 1, "motif": "inconnu"},
        {"kind": "DOUBLER", "number": 1, "motif": "autre"},
        {"kind": "AJOUT", "number": "deux", "motif": "autre"},
    ],
)
def test_amendment_form_rules(client, manager, data):
    structure = validated(manager)
    response = client.post(reverse("structures:amendment_create", args=[structure.pk]), data)
    assert response.status_code == 400
    assert not PostAmendment.objects.exists()


def test_amendment_needs_a_validated_structure(client, manager):
    structure = make_structure(manager=manager)
    response = client.post(
        reverse("structures:amendment_create", args=[structure.pk]),
        {"kind": "AJOUT", "post_type": "CONSEILLER", "number": 1, "motif": "autre"},
    )
    assert response.status_code == 400
    assert not PostAmendment.objects.exists()


def test_invite_a_new_colleague(client, manager, send_emails, mailoutbox):
    structure = make_structure(manager=manager)
    with send_emails():
        response = client.post(
            reverse("structures:manager_invite", args=[structure.pk]),
            {"email": "Collegue@Mairie.fr", "first_name": "Léa", "last_name": "Roux"},
        )
    assert response.status_code == 302
    colleague = User.objects.get(email="collegue@mairie.fr")
    assert not colleague.has_usable_password()
    assert structure.managers().filter(user=colleague).exists()
    assert mailoutbox[0].to == ["collegue@mairie.fr"]
    assert re.search(r"/compte/mot-de-passe/reinitialiser/\S+/", mailoutbox[0].body)


def test_invite_an_existing_account(client, manager, send_emails, mailoutbox):
    structure = make_structure(manager=manager)
    colleague = make_user(email="deja@mairie.fr")
    with send_emails():
        client.post(
            reverse("structures:manager_invite", args=[structure.pk]),
            {"email": "deja@mairie.fr", "first_name": "A", "last_name": "B"},
        )
    assert list(Structure.objects.managed_by(colleague).values_list("pk", flat=True)) == [
        structure.pk
    ]
    assert "Connectez-vous" in mailoutbox[0].body


def test_remove_a_manager_but_never_the_last(client, manager):
    structure = make_structure(manager=manager)
    colleague = make_user()
    other = Membership.objects.create(
        user=colleague, role=Role.GESTIONNAIRE_STRUCTURE, organisation=structure
    )
    client.post(reverse("structures:manager_remove", args=[structure.pk, other.pk]))
    assert list(structure.managers().values_list("user", flat=True)) == [manager.pk]
    own = structure.managers().get()
    response = client.post(
        reverse("structures:manager_remove", args=[structure.pk, own.pk]), follow=True
    )
    assert "au moins un gestionnaire" in response.content.decode()
    assert structure.managers().count() == 1


def test_remove_a_membership_of_another_structure_is_a_404(client, manager):
    structure = make_structure(manager=manager)
    other_manager = make_user()
    other = make_structure(manager=other_manager)
    membership = other.managers().get()
    Membership.objects.create(
        user=make_user(), role=Role.GESTIONNAIRE_STRUCTURE, organisation=structure
    )
    response = client.post(reverse("structures:manager_remove", args=[structure.pk, membership.pk]))
    assert response.status_code == 404
    assert other.managers().count() == 1


def test_non_manager_roles_are_refused(client):
    login(client, make_user(Role.PREFET))
    structure = make_structure()
    response = client.post(
        reverse("structures:manager_invite", args=[structure.pk]),
        {"email": "x@y.fr", "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@y.fr").exists()


def test_manager_withdraws_the_application(client, manager):
    structure = make_structure(manager=manager)
    url = reverse("structures:withdraw", args=[structure.pk])
    assert "ne sera pas examinée" in client.post(url).content.decode()
    assert Structure.objects.get(pk=structure.pk).status == Status.CREEE
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Votre demande est retirée" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).status == Status.ABANDON


def test_a_validated_application_cannot_be_withdrawn_by_its_manager(client, manager):
    structure = validated(manager)
    response = client.post(reverse("structures:withdraw", args=[structure.pk]))
    assert response.status_code == 403
    assert Structure.objects.get(pk=structure.pk).status == Status.VALIDATION_COSELEC
