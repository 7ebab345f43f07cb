"""A place is public once its structure is validated by the committee or the administration
approves it: map, place pages, open data, directory and public statistics follow one rule."""

import datetime
import json

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity import directory
from cnum.places.models import Place
from cnum.places.moderation import Moderation
from cnum.places.testing import make_place
from cnum.places.tests.test_manage import form_data
from cnum.stats import public as public_stats
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeSession
from cnum.structures.services import record_decision
from cnum.structures.testing import make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
QUEUE = reverse("places:moderation")
PENDING_NAME = "Guichet CAF de la Guillotière"


@pytest.fixture
def manager():
    return make_user(Role.GESTIONNAIRE_STRUCTURE)


@pytest.fixture
def structure(manager):
    """Applied and confirmed its e-mail address, not yet examined by the committee."""
    return make_structure(manager=manager)


@pytest.fixture
def pending(structure):
    return make_place(structure=structure, nom=PENDING_NAME, telephone="08 99 00 00 00")


@pytest.fixture
def admin():
    return make_user(Role.ADMINISTRATEUR)


def detail(pk):
    return reverse("places:detail", args=[pk])


def exported_names(client):
    response = client.get(reverse("api:lieux_json"))
    return {record["nom"] for record in json.loads(b"".join(response.streaming_content))}


def csv_text(client):
    return b"".join(client.get(reverse("api:lieux_csv")).streaming_content).decode()


def map_page(client):
    return client.get(reverse("places:map"), {"q": "69001"}).content.decode()


def is_public(place):
    return Place.objects.public().filter(pk=place.pk).exists()


def moderate(client, place, **data):
    return client.post(reverse("places:moderate", args=[place.pk]), data)


def test_places_of_an_unvalidated_structure_are_public_nowhere(client, pending):
    trusted = make_place(nom="Médiathèque municipale")
    assert trusted.nom in map_page(client) and PENDING_NAME not in map_page(client)
    assert client.get(detail(trusted.pk)).status_code == 200
    assert client.get(detail(pending.pk)).status_code == 404
    assert exported_names(client) == {trusted.nom}
    assert PENDING_NAME not in csv_text(client) and trusted.nom in csv_text(client)
    # The directory conseillers orient people to, and its nearest-first search.
    assert directory.public_place(pending.pk) is None
    assert [p.nom for p in directory.search("Lyon")] == [trusted.nom]
    # Another structure's manager is a stranger to it as well.
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=make_structure()))
    assert client.get(detail(pending.pk)).status_code == 404


def test_its_managers_and_the_administration_still_see_it(client, manager, pending, admin):
    for user in (manager, admin):
        login(client, user)
        page = client.get(detail(pending.pk)).content.decode()
        assert "Ce lieu n'est pas public" in page and PENDING_NAME in page


def test_committee_validation_publishes_the_pending_places(client, pending, structure, admin):
    assert PENDING_NAME not in exported_names(client)
    assert PENDING_NAME not in map_page(client)  # the map's index is built without it
    session = CommitteeSession.objects.create(number=12, date=datetime.date(2026, 3, 2))
    record_decision(
        structure, admin, session=session, opinion=CommitteeOpinion.POSITIF, posts_granted=2
    )
    assert PENDING_NAME in exported_names(client) and PENDING_NAME in map_page(client)
    assert client.get(detail(pending.pk)).status_code == 200
    assert not Place.objects.awaiting_moderation().exists()
    # This path is logged by the structure's own status change.
    log = TransitionLog.objects.for_object(structure).get()
    assert (log.to_status, log.actor) == (Status.VALIDATION_COSELEC, admin)


def test_admin_approves_a_place_from_the_queue(
    client, pending, structure, admin, send_emails, mailoutbox
):
    login(client, admin)
    page = client.get(QUEUE).content.decode()
    assert PENDING_NAME in page and structure.name in page and structure.siret in page
    assert "Déposée, non encore examinée" in page and "08 99 00 00 00" in page
    with send_emails():
        response = moderate(client, pending, decision="approuver")
    assert response.status_code == 302
    assert "Aucun lieu n'attend de décision." in client.get(QUEUE).content.decode()
    client.logout()
    assert client.get(detail(pending.pk)).status_code == 200
    assert PENDING_NAME in exported_names(client)
    log = TransitionLog.objects.for_object(pending).get()
    assert (log.from_status, log.to_status, log.actor) == (
        Moderation.PENDING,
        Moderation.APPROVED,
        admin,
    )
    (mail,) = mailoutbox
    assert mail.to == structure.manager_emails()
    assert "publié" in mail.subject and PENDING_NAME in mail.body


def test_a_refusal_needs_a_reason_and_keeps_the_place_private(
    client, manager, pending, structure, admin, send_emails, mailoutbox
):
    login(client, admin)
    response = moderate(client, pending, decision="refuser", reason="  ")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"« {PENDING_NAME} » : Expliquez le refus en quelques mots : la structure le lira."
    ]
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PENDING
    assert not TransitionLog.objects.for_object(pending).exists()

    reason = "Numéro surtaxé : ce n'est pas un guichet de la CAF."
    with send_emails():
        moderate(client, pending, decision="refuser", reason=reason)
    (mail,) = mailoutbox
    assert mail.to == [manager.email] and reason in mail.body
    log = TransitionLog.objects.for_object(pending).get()
    assert (log.to_status, log.comment, log.actor) == (Moderation.REFUSED, reason, admin)
    assert not is_public(pending)
    # The manager reads the decision and its reason.
    login(client, manager)
    page = client.get(reverse("places:manage")).content.decode()
    assert "Non publié : refusé par l&#x27;administration" in page
    assert "Numéro surtaxé : ce n&#x27;est pas un guichet de la CAF." in page
    # A second decision on the same place is refused, nothing changes.
    login(client, admin)
    response = moderate(client, pending, decision="approuver")
    assert [str(m) for m in response.wsgi_request._messages] == [
        f"Le lieu « {PENDING_NAME} » a déjà été traité."
    ]
    assert not is_public(pending)


def test_refused_stays_private_after_validation_until_corrected(client, manager, pending, admin):
    from cnum.places.services import decide_moderation

    decide_moderation(pending, admin, approve=False, reason="Adresse inexistante.")
    structure = pending.structure
    structure.status = Status.VALIDATION_COSELEC  # as the committee's decision leaves it
    structure.save()
    assert not is_public(pending)
    login(client, manager)
    data = form_data(structure, nom="Espace numérique de la Guillotière")
    response = client.post(reverse("places:edit", args=[pending.pk]), data)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PENDING and is_public(pending)
    resubmitted = TransitionLog.objects.for_object(pending).last()
    assert (resubmitted.to_status, resubmitted.actor) == (Moderation.PENDING, manager)


def test_an_edit_after_approval_goes_back_to_the_queue(client, manager, pending, admin):
    login(client, admin)
    moderate(client, pending, decision="approuver")
    assert is_public(pending)
    login(client, manager)
    data = form_data(pending.structure, nom="Guichet CAF officiel", telephone="08 99 11 11 11")
    client.post(reverse("places:edit", args=[pending.pk]), data)
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PENDING and not is_public(pending)
    assert list(Place.objects.awaiting_moderation()) == [pending]


def test_only_the_administration_moderates(client, manager, pending, admin):
    for role in (Role.GESTIONNAIRE_STRUCTURE, Role.PREFET, Role.CONSEILLER):
        login(client, make_user(role))
        assert client.get(QUEUE).status_code == 403
        assert moderate(client, pending, decision="approuver").status_code == 403
    login(client, manager)
    assert moderate(client, pending, decision="approuver").status_code == 403
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PENDING
    assert not TransitionLog.objects.for_object(pending).exists()
    login(client, admin)
    missing = reverse("places:moderate", args=[pending.pk + 1000])
    assert client.post(missing, {"decision": "approuver"}).status_code == 404
    response = moderate(client, pending, decision="publier")
    assert response.status_code == 302 and not is_public(pending)


def test_places_of_validated_structures_are_public_at_once_and_say_so(client, manager, structure):
    validated = make_structure(manager=manager, status=Status.VALIDATION_COSELEC)
    login(client, manager)
    client.post(reverse("places:create"), form_data(validated, nom="Espace validé"))
    response = client.post(
        reverse("places:create"), form_data(structure, nom="Espace en attente"), follow=True
    )
    assert "Il sera publié sur la carte dès que votre structure sera validée" in (
        response.content.decode()
    )
    assert exported_names(client) == {"Espace validé"}
    page = client.get(reverse("places:manage")).content.decode()
    assert "<td>Publié</td>" in page
    assert "En attente : publié dès que la structure est validée par le comité" in page


def test_public_statistics_count_public_places_only(settings, pending):
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    make_place(nom="Médiathèque municipale")
    rhone = public_stats.publication().of(public_stats.DEPARTEMENT, "69")
    assert rhone.cells["lieux"].shown == 1


def test_demo_places_of_unvalidated_structures_wait_for_moderation():
    from cnum.places.tests.test_demo import seed_all

    seed_all()
    awaiting = Place.objects.awaiting_moderation()
    assert awaiting.exists()
    assert set(awaiting.values_list("structure__status", flat=True)) <= {
        s for s in Status.values if s != Status.VALIDATION_COSELEC
    }
    assert not Place.objects.public().filter(pk__in=awaiting.values("pk")).exists()
    assert Place.objects.public().filter(structure__status=Status.VALIDATION_COSELEC).exists()
