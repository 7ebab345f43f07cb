"""Who may see candidates, within which rules: committee validation, the candidate's own zone or
consent, the record of every reveal and the daily limit of new candidates revealed."""

import datetime
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates import services as candidate_services
from cnum.candidates.testing import SMALL_PDF, make_profile
from cnum.matching import contact as contact_service
from cnum.matching import services
from cnum.matching.enums import ContactStatus, RevealKind
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateReveal, ContactRequest, ImmutableReveal, Match
from cnum.matching.testing import accepted_contact
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.workflow.engine import apply_transition

pytestmark = pytest.mark.django_db

NOT_VALIDATED = "Votre structure doit être validée par le comité de sélection"


def detail(structure, profile):
    return reverse("matching:candidate", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})


def cv_url(structure, profile):
    return reverse("matching:cv", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})


def act(client, structure, profile, action):
    path = reverse("matching:action", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})
    return client.post(path, {"action": action}, follow=True)


def flash(response):
    return [str(m) for m in response.context["messages"]]


# 1. Only a structure validated by the committee sees candidates.


@pytest.mark.parametrize("status", [Status.CREEE, Status.EXAMEN_COMPLEMENTAIRE_COSELEC])
def test_a_confirmed_but_not_validated_structure_sees_no_candidate(client, status):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    structure = make_structure(departement="69", manager=manager, status=status)
    profile = make_profile(phone="0611223344")
    login(client, manager)
    pages = [
        reverse("matching:candidates", kwargs={"pk": structure.pk}),
        reverse("matching:search", kwargs={"pk": structure.pk}) + "?nom=a",
        detail(structure, profile),
        cv_url(structure, profile),
    ]
    for page in pages:
        response = client.get(page)
        body = response.content.decode()
        assert response.status_code == 403, page
        assert NOT_VALIDATED in body
        assert profile.user.last_name not in body and "0611223344" not in body
    response = client.post(
        reverse("matching:action", kwargs={"pk": structure.pk, "candidate_pk": profile.pk}),
        {"action": "preselect"},
    )
    assert response.status_code == 403
    assert not Match.objects.exists() and not CandidateReveal.objects.exists()


def test_a_structure_no_longer_validated_loses_its_candidates(client, structure, manager):
    profile = make_profile(phone="0611223344")
    candidate_services.store_cv(profile, SMALL_PDF)
    services.preselect(structure, profile, manager)
    login(client, manager)
    assert "0611223344" in client.get(detail(structure, profile)).content.decode()
    apply_transition(structure, Status.ABANDON, make_user(Role.ADMINISTRATEUR))
    assert client.get(detail(structure, profile)).status_code == 403
    assert client.get(cv_url(structure, profile)).status_code == 403
    own_cv = reverse("candidates:cv_download", kwargs={"pk": profile.pk})
    assert client.get(own_cv).status_code == 404
    assert CandidateReveal.objects.count() == 1  # only the view made while validated


# 2. Pre-selection within the candidate's own zone; outside it, their consent first.


def test_preselecting_a_candidate_outside_their_zone_is_refused(manager_client, structure):
    far = make_profile(commune="97105", phone="0690112233")  # Guadeloupe, 20 km max
    response = act(manager_client, structure, far, "preselect")
    assert "n'a pas choisi de travailler aussi loin" in " ".join(flash(response))
    assert "demande de contact" in " ".join(flash(response))
    assert not Match.objects.exists()
    assert manager_client.get(detail(structure, far)).status_code == 404


def test_contact_request_accepted_by_the_candidate_shows_details(
    manager_client, structure, manager, send_emails, mailoutbox
):
    far = make_profile(commune="13055", phone="0690112233")  # Marseille, 20 km max
    with send_emails():
        response = act(manager_client, structure, far, "request_contact")
    assert "Votre demande de contact est envoyée" in " ".join(flash(response))
    contact = ContactRequest.objects.get()
    assert (contact.structure, contact.candidate, contact.status) == (
        structure,
        far,
        ContactStatus.EN_ATTENTE,
    )
    [mail] = mailoutbox
    assert mail.to == [far.user.email]
    assert f"{structure.name} souhaite vous contacter" in mail.subject
    assert reverse("matching:requests") in mail.body
    # Pending: still nothing shown, and no direct pre-selection.
    assert manager_client.get(detail(structure, far)).status_code == 404
    act(manager_client, structure, far, "preselect")
    assert not Match.objects.exists()
    search = reverse("matching:search", kwargs={"pk": structure.pk})
    body = manager_client.get(search, {"nom": far.user.last_name}).content.decode()
    assert "Demande de contact : en attente de réponse" in body

    client = Client()  # the candidate's browser, beside the manager's
    # Nobody else answers for the candidate.
    answer = reverse("matching:answer", kwargs={"request_pk": contact.pk})
    intruder = make_user(Role.CANDIDAT)
    make_profile(intruder)
    login(client, intruder)
    assert client.post(answer, {"reponse": "accepter"}).status_code == 404
    contact.refresh_from_db()
    assert contact.status == ContactStatus.EN_ATTENTE

    login(client, far.user)
    page = client.get(reverse("matching:requests")).content.decode()
    assert structure.name in page and "Accepter la demande" in page
    with send_emails():
        response = client.post(answer, {"reponse": "accepter"}, follow=True)
    assert "Vous acceptez d'être contacté(e)" in " ".join(flash(response))
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ACCEPTEE
    assert mailoutbox[-1].to == structure.manager_emails()
    assert "demande de contact acceptée" in mailoutbox[-1].subject

    body = manager_client.get(detail(structure, far)).content.decode()
    assert "0690112233" in body and far.user.email in body
    act(manager_client, structure, far, "preselect")
    assert Match.objects.get(candidate=far).status == S.INTERESSEE

    # A declined request shows nothing, and cannot be sent again.
    other = make_profile(commune="13055", phone="0690445566")
    request = contact_service.request_contact(structure, other, manager)
    login(client, other.user)
    decide = reverse("matching:answer", kwargs={"request_pk": request.pk})
    client.post(decide, {"reponse": "x"})  # unknown answer: nothing changes
    request.refresh_from_db()
    assert request.status == ContactStatus.EN_ATTENTE
    client.post(decide, {"reponse": "refuser"})
    request.refresh_from_db()
    assert request.status == ContactStatus.REFUSEE
    assert manager_client.get(detail(structure, other)).status_code == 404
    response = act(manager_client, structure, other, "request_contact")
    assert "a refusé votre demande" in " ".join(flash(response))


def test_consent_holds_while_the_candidate_is_available(manager_client, structure, manager):
    far = make_profile(commune="13055", phone="0690778899")
    accepted_contact(structure, far, manager)
    assert "0690778899" in manager_client.get(detail(structure, far)).content.decode()
    candidate_services.set_availability(far, False)
    assert manager_client.get(detail(structure, far)).status_code == 404


def test_consent_withdrawn_hides_details_even_once_preselected(manager_client, structure, manager):
    far = make_profile(commune="13055", phone="0690778899")
    request = accepted_contact(structure, far, manager)
    services.preselect(structure, far, manager)
    assert "0690778899" in manager_client.get(detail(structure, far)).content.decode()
    contact_service.answer(request, False, far.user)
    body = manager_client.get(detail(structure, far)).content.decode()
    assert "0690778899" not in body and far.user.email not in body


def test_an_eligible_candidate_needs_no_contact_request(manager_client, structure):
    near = make_profile()
    response = act(manager_client, structure, near, "request_contact")
    assert "présélectionnez-la directement" in " ".join(flash(response))
    assert not ContactRequest.objects.exists()


# 3. Every reveal is recorded, for the administration and the candidate.


def test_reveals_of_contact_and_cv_are_recorded(client, manager_client, structure, manager):
    profile = make_profile(phone="0699887766")
    candidate_services.store_cv(profile, SMALL_PDF)
    manager_client.get(detail(structure, profile))
    assert not CandidateReveal.objects.exists()  # not pre-selected: nothing shown
    services.preselect(structure, profile, manager)
    manager_client.get(detail(structure, profile))
    manager_client.get(detail(structure, profile))
    assert manager_client.get(cv_url(structure, profile)).content == SMALL_PDF
    # The candidates app's CV link is for the owner and the administration only.
    own_cv = reverse("candidates:cv_download", kwargs={"pk": profile.pk})
    assert manager_client.get(own_cv).status_code == 404
    rows = list(CandidateReveal.objects.order_by("pk"))
    assert [r.kind for r in rows] == [RevealKind.CONTACT] * 2 + [RevealKind.CV]
    assert {(r.structure, r.candidate, r.viewer) for r in rows} == {(structure, profile, manager)}

    admin = make_user(Role.ADMINISTRATEUR)
    login(client, admin)
    page = client.get(reverse("candidates:admin_detail", kwargs={"pk": profile.pk}))
    assert "Consultations par les structures" in page.content.decode()
    assert page.content.decode().count("Coordonnées (adresse électronique") == 2
    listing = client.get(reverse("matching:reveals"), {"structure": structure.siret})
    assert listing.context["page"].paginator.count == 3
    listing = client.get(reverse("matching:reveals"), {"candidat": "personne-inconnue"})
    assert listing.context["page"].paginator.count == 0
    listing = client.get(reverse("matching:reveals"), {"candidat": str(profile.pk)})
    assert listing.context["page"].paginator.count == 3

    login(client, profile.user)
    data = json.loads(client.get(reverse("candidates:export")).content)
    seen = data["consultations_par_les_structures"]
    assert [(r["structure"], r["donnee"]) for r in seen][-1] == (structure.name, "CV")
    assert len(seen) == 3


def test_the_record_of_reveals_cannot_be_changed(structure, manager):
    profile = make_profile()
    services.preselect(structure, profile, manager)
    from cnum.matching import reveals

    row = reveals.record(structure, profile, manager, RevealKind.CONTACT)
    with pytest.raises(ImmutableReveal):
        row.save()
    with pytest.raises(ImmutableReveal):
        CandidateReveal.objects.all().delete()
    with (
        pytest.raises(DatabaseError, match="ne se modifie"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE matching_candidatereveal SET kind = 'cv'")
    row.refresh_from_db()
    assert row.kind == RevealKind.CONTACT


# 4. A daily limit of new candidates revealed per structure.


def test_daily_limit_of_new_candidates_revealed(settings, manager_client, structure, manager):
    settings.CANDIDATE_REVEALS_PER_DAY = 2
    first, second, third = (make_profile(phone=f"06000000{n:02}") for n in range(3))
    candidate_services.store_cv(third, SMALL_PDF)
    for profile in (first, second, third):
        services.preselect(structure, profile, manager)
    assert "0600000000" in manager_client.get(detail(structure, first)).content.decode()
    assert "0600000001" in manager_client.get(detail(structure, second)).content.decode()

    body = manager_client.get(detail(structure, third)).content.decode()
    assert "0600000002" not in body and third.user.email not in body
    assert "le maximum par jour" in body
    response = manager_client.get(cv_url(structure, third))
    assert response.status_code == 429
    assert "le maximum par jour" in response.content.decode()
    assert response.content != SMALL_PDF
    assert not CandidateReveal.objects.filter(candidate=third).exists()

    # Re-viewing a candidate already revealed is recorded but not counted.
    assert "0600000000" in manager_client.get(detail(structure, first)).content.decode()
    assert CandidateReveal.objects.filter(candidate=first).count() == 2
    # Another structure has its own limit.
    other_manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    other = make_structure(
        departement="69", manager=other_manager, status=Status.VALIDATION_COSELEC
    )
    services.preselect(other, third, other_manager)
    login(manager_client, other_manager)
    assert "0600000002" in manager_client.get(detail(other, third)).content.decode()


def test_reveals_of_earlier_days_do_not_count_today(settings, manager_client, structure, manager):
    settings.CANDIDATE_REVEALS_PER_DAY = 1
    old, new = make_profile(phone="0600000010"), make_profile(phone="0600000011")
    for profile in (old, new):
        services.preselect(structure, profile, manager)
    yesterday = timezone.now() - datetime.timedelta(days=1, hours=1)
    CandidateReveal.objects.create(
        structure=structure, candidate=old, viewer=manager, kind=RevealKind.CONTACT, at=yesterday
    )
    assert "0600000011" in manager_client.get(detail(structure, new)).content.decode()
    assert "0600000010" in manager_client.get(detail(structure, old)).content.decode()


def test_the_record_outlives_a_deleted_candidate(client, manager_client, structure, manager):
    profile = make_profile()
    services.preselect(structure, profile, manager)
    manager_client.get(detail(structure, profile))
    number = profile.pk
    candidate_services.delete_candidate(profile)
    row = CandidateReveal.objects.select_related("candidate").get()
    assert (row.candidate_id, row.candidate, row.structure) == (number, None, structure)
    login(client, make_user(Role.ADMINISTRATEUR))
    body = client.get(reverse("matching:reveals")).content.decode()
    assert f"Candidat supprimé (n° {number})" in body
