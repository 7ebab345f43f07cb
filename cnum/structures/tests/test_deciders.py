import pytest
from django.urls import reverse

from cnum.accounts.models import Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.structures.enums import AmendmentStatus, Status, StructureType
from cnum.structures.models import CommitteeDecision, PostAmendment, PrefetOpinion, Structure
from cnum.structures.testing import make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def prefet(departement="69", region=None):
    organisation = make_organisation(
        OrganisationKind.PREFECTURE, departement=departement, region=region
    )
    return make_user(Role.PREFET, organisation=organisation)


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def test_prefet_sees_only_their_departement(client):
    lyon, paris = make_structure(departement="69"), make_structure(departement="75")
    login(client, prefet("69"))
    html = client.get(reverse("structures:decider_list")).content.decode()
    assert lyon.name in html and paris.name not in html
    assert client.get(reverse("structures:decider_detail", args=[lyon.pk])).status_code == 200
    assert client.get(reverse("structures:decider_detail", args=[paris.pk])).status_code == 404


def test_prefet_of_paris_does_not_see_lyon(client):
    lyon = make_structure(departement="69")
    login(client, prefet("75"))
    assert client.get(reverse("structures:decider_detail", args=[lyon.pk])).status_code == 404


def test_prefet_de_region_sees_the_whole_region():
    lyon, paris = make_structure(departement="69"), make_structure(departement="75")
    user = prefet(departement=None, region="84")
    assert list(Structure.objects.visible_to(user)) == [lyon]
    assert paris not in Structure.objects.visible_to(user)


def test_list_filters_and_query_budget(client, django_assert_max_num_queries):
    target = make_structure(qpv=True, france_services=True, type=StructureType.PRIVATE)
    make_structure(status=Status.REFUS_COSELEC)
    for _ in range(5):
        make_structure()
    login(client, prefet("69"))
    url = reverse("structures:decider_list")
    with django_assert_max_num_queries(12):
        response = client.get(url, {"qpv": "on", "france_services": "on", "type": "PRIVATE"})
    assert list(response.context["page"]) == [target]
    response = client.get(url, {"status": "REFUS_COSELEC"})
    assert [s.status for s in response.context["page"]] == [Status.REFUS_COSELEC]
    # Nonsense filters never break the page.
    assert client.get(url, {"status": "X", "since": "hier", "page": "zz"}).status_code == 200


def test_prefet_gives_an_opinion(client):
    structure = make_structure()
    neighbour = make_structure()
    user = login(client, prefet("69"))
    url = reverse("structures:prefet_opinion", args=[structure.pk])
    response = client.post(url, {"opinion": "FAVORABLE", "comment": "trop court"[:5]})
    assert response.status_code == 400
    assert "au moins 10 caractères" in response.content.decode()
    response = client.post(url, {"opinion": "DEFAVORABLE", "comment": "x" * 1001})
    assert response.status_code == 400
    client.post(
        url,
        {
            "opinion": "DEFAVORABLE",
            "comment": "Besoin mieux couvert par la structure voisine.",
            "transfer_to": neighbour.pk,
        },
    )
    opinion = PrefetOpinion.objects.get()
    assert (opinion.author, opinion.transfer_to, opinion.opinion) == (
        user,
        neighbour,
        "DEFAVORABLE",
    )


def test_prefet_cannot_suggest_a_transfer_outside_their_scope(client):
    structure = make_structure()
    paris = make_structure(departement="75")
    login(client, prefet("69"))
    client.post(
        reverse("structures:prefet_opinion", args=[structure.pk]),
        {"opinion": "FAVORABLE", "comment": "Très bon dossier.", "transfer_to": paris.pk},
    )
    assert not PrefetOpinion.objects.exists()


def test_admin_cannot_give_a_prefet_opinion(client, admin):
    structure = make_structure()
    response = client.post(
        reverse("structures:prefet_opinion", args=[structure.pk]),
        {"opinion": "FAVORABLE", "comment": "Très bon dossier."},
    )
    assert response.status_code == 403
    assert not PrefetOpinion.objects.exists()


@pytest.mark.parametrize(
    ("opinion", "posts", "status", "granted"),
    [
        ("POSITIF", "3", Status.VALIDATION_COSELEC, 3),
        ("NEGATIF", "3", Status.REFUS_COSELEC, 0),
        ("EXAMEN_COMPLEMENTAIRE", "", Status.EXAMEN_COMPLEMENTAIRE_COSELEC, 0),
    ],
)
def test_committee_decision_moves_the_status_logs_and_mails(
    client, admin, committee, send_emails, mailoutbox, opinion, posts, status, granted
):
    manager = make_user()
    structure = make_structure(manager=manager)
    with send_emails():
        response = client.post(
            reverse("structures:decision", args=[structure.pk]),
            {
                "session": committee.pk,
                "opinion": opinion,
                "posts_granted": posts,
                "confirm_more_posts": "on",  # 3 posts for the 2 asked
                "observations": "Dossier solide",
            },
        )
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.status == status
    assert structure.current_posts() == granted
    decision = CommitteeDecision.objects.get()
    assert (decision.decided_by, decision.session) == (admin, committee)
    log = TransitionLog.objects.for_object(structure).get()
    assert (log.actor, log.from_status, log.to_status) == (admin, Status.CREEE, status)
    # One e-mail per decision (the status change is in it), to the structure's managers.
    assert len(mailoutbox) == 1
    assert "décision du comité" in mailoutbox[0].subject
    assert mailoutbox[0].to == [manager.email]
    assert "Dossier solide" in mailoutbox[0].body


def test_positive_decision_needs_posts_and_a_session(client, admin, committee):
    structure = make_structure()
    url = reverse("structures:decision", args=[structure.pk])
    response = client.post(url, {"session": committee.pk, "opinion": "POSITIF"})
    assert response.status_code == 400
    response = client.post(url, {"opinion": "NEGATIF"})
    assert response.status_code == 400
    assert "Choisissez la séance" in response.content.decode()
    assert not CommitteeDecision.objects.exists()
    assert Structure.objects.get(pk=structure.pk).status == Status.CREEE


def test_one_decision_per_session(client, admin, committee):
    structure = make_structure()
    url = reverse("structures:decision", args=[structure.pk])
    client.post(url, {"session": committee.pk, "opinion": "NEGATIF"})
    client.post(url, {"session": committee.pk, "opinion": "POSITIF", "posts_granted": 2})
    assert CommitteeDecision.objects.count() == 1


def test_prefet_cannot_decide(client, committee):
    structure = make_structure()
    login(client, prefet("69"))
    response = client.post(
        reverse("structures:decision", args=[structure.pk]),
        {"session": committee.pk, "opinion": "POSITIF", "posts_granted": 2},
    )
    assert response.status_code == 403
    assert not CommitteeDecision.objects.exists()
    assert Structure.objects.get(pk=structure.pk).status == Status.CREEE


def test_batch_decisions_from_the_session_screen(client, admin, committee, send_emails):
    first, second, untouched = make_structure(), make_structure(), make_structure()
    url = reverse("structures:session", args=[committee.pk])
    html = client.get(url).content.decode()
    assert first.name in html and untouched.name in html
    with send_emails():
        client.post(url, {"structures": [first.pk, second.pk, "abc"], "opinion": "POSITIF"})
    for structure in (first, second):
        structure.refresh_from_db()
        assert structure.status == Status.VALIDATION_COSELEC
        assert structure.current_posts() == structure.posts_wanted
    assert Structure.objects.get(pk=untouched.pk).status == Status.CREEE
    assert first.name not in client.get(url).content.decode().split("Décisions de la séance")[0]


@pytest.mark.parametrize("to", [Status.ABANDON, Status.ANNULEE])
def test_admin_status_changes(client, admin, to):
    structure = make_structure()
    client.post(
        reverse("structures:status_change", args=[structure.pk]),
        {"to": to, "comment": "Motif", "confirm": "1"},
    )
    assert Structure.objects.get(pk=structure.pk).status == to


def test_duplicate_is_merged_into_the_original(client, admin):
    original_manager, duplicate_manager = make_user(), make_user()
    original = make_structure(manager=original_manager)
    duplicate = make_structure(manager=duplicate_manager)
    client.post(
        reverse("structures:status_change", args=[duplicate.pk]),
        {"to": Status.DOUBLON, "siret": original.siret, "comment": "Doublon", "confirm": "1"},
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == (Status.DOUBLON, original)
    assert set(original.managers().values_list("user", flat=True)) == {
        original_manager.pk,
        duplicate_manager.pk,
    }


def test_duplicate_without_a_known_original_changes_nothing(client, admin):
    structure = make_structure()
    response = client.post(
        reverse("structures:status_change", args=[structure.pk]),
        {"to": Status.DOUBLON, "siret": "00000000000000", "comment": "Doublon", "confirm": "1"},
        follow=True,
    )
    assert "Changement impossible" in response.content.decode()
    structure.refresh_from_db()
    assert (structure.status, structure.duplicate_of) == (Status.CREEE, None)


def test_manager_cannot_change_status_through_the_admin_screen(client):
    manager = make_user()
    structure = make_structure(manager=manager)
    login(client, manager)
    response = client.post(
        reverse("structures:status_change", args=[structure.pk]), {"to": Status.ANNULEE}
    )
    assert response.status_code == 403
    assert Structure.objects.get(pk=structure.pk).status == Status.CREEE


def amendment(structure, kind="AJOUT", number=2):
    return PostAmendment.objects.create(
        structure=structure,
        kind=kind,
        number=number,
        motif="besoins_supplementaires",
        requested_by=structure.managers().get().user,
    )


def test_prefet_opinion_then_admin_accepts_an_amendment(client, committee, send_emails, mailoutbox):
    admin = make_user(Role.ADMINISTRATEUR)
    manager = make_user()
    structure = make_structure(status=Status.VALIDATION_COSELEC, manager=manager)
    CommitteeDecision.objects.create(
        structure=structure, session=committee, opinion="POSITIF", posts_granted=2, decided_by=admin
    )
    request = amendment(structure, number=3)
    login(client, prefet("69"))
    client.post(
        reverse("structures:amendment_opinion", args=[request.pk]),
        {"opinion": "FAVORABLE", "comment": "Besoin réel sur le quartier."},
    )
    request.refresh_from_db()
    assert request.prefet_opinion == "FAVORABLE"
    login(client, admin)
    with send_emails():
        client.post(reverse("structures:amendment_decision", args=[request.pk]), {"accept": "1"})
    request.refresh_from_db()
    assert request.status == AmendmentStatus.ACCEPTEE
    assert Structure.objects.get(pk=structure.pk).current_posts() == 5
    assert mailoutbox[-1].to == [manager.email]
    assert "acceptée" in mailoutbox[-1].subject


def test_admin_refuses_and_cannot_decide_twice(client, admin):
    structure = make_structure(status=Status.VALIDATION_COSELEC, manager=make_user())
    request = amendment(structure)
    url = reverse("structures:amendment_decision", args=[request.pk])
    client.post(url, {"accept": "0"})
    client.post(url, {"accept": "1"})
    request.refresh_from_db()
    assert request.status == AmendmentStatus.REFUSEE
    assert request.decision is None


def test_prefet_of_another_departement_cannot_touch_an_amendment(client):
    structure = make_structure(status=Status.VALIDATION_COSELEC, manager=make_user())
    request = amendment(structure)
    login(client, prefet("75"))
    response = client.post(
        reverse("structures:amendment_opinion", args=[request.pk]),
        {"opinion": "FAVORABLE", "comment": "Besoin réel sur le quartier."},
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.prefet_opinion == ""


def test_manager_role_cannot_decide_an_amendment(client):
    manager = make_user()
    structure = make_structure(status=Status.VALIDATION_COSELEC, manager=manager)
    request = amendment(structure)
    login(client, manager)
    response = client.post(
        reverse("structures:amendment_decision", args=[request.pk]), {"accept": "1"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == AmendmentStatus.DEMANDEE


def test_membership_count_unchanged_for_detail(client, admin):
    structure = make_structure(manager=make_user())
    response = client.get(reverse("structures:decider_detail", args=[structure.pk]))
    assert response.status_code == 200
    assert Membership.objects.filter(organisation=structure).count() == 1


def test_status_change_has_no_default_needs_a_reason_and_a_confirmation(client, admin):
    structure = make_structure()
    detail = client.get(reverse("structures:decider_detail", args=[structure.pk])).content.decode()
    assert '<option value="" selected>Choisir un statut</option>' in detail
    url = reverse("structures:status_change", args=[structure.pk])
    response = client.post(url, {"to": Status.ANNULEE, "confirm": "1"})
    assert response.status_code == 400
    assert "Indiquez le motif du changement de statut." in response.content.decode()
    response = client.post(url, {"to": Status.ANNULEE, "comment": "Structure fermée"})
    assert "au statut « Annulée »" in response.content.decode().replace("&#x27;", "'")
    assert Structure.objects.get(pk=structure.pk).status == Status.CREEE
    client.post(url, {"to": Status.ANNULEE, "comment": "Structure fermée", "confirm": "1"})
    assert Structure.objects.get(pk=structure.pk).status == Status.ANNULEE
    log = TransitionLog.objects.for_object(structure).get()
    assert log.comment == "Structure fermée"
