"""Sorting candidates, the platform following them, detail page, notes, CV."""

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates import services as candidate_services
from cnum.candidates.policies import can_download_cv
from cnum.candidates.testing import SMALL_PDF, make_profile
from cnum.matching import screen, services
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateNote, Match
from cnum.matching.testing import accepted_contact
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision
from cnum.structures.testing import make_structure
from cnum.workflow.engine import apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def detail(structure, profile):
    return reverse("matching:candidate", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})


def act(client, structure, profile, action):
    path = reverse("matching:action", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})
    return client.post(path, {"action": action})


def test_preselect_reveals_contact_details(manager_client, structure, manager):
    profile = make_profile(phone="0699887766")
    response = manager_client.get(detail(structure, profile))
    body = response.content.decode()
    assert response.status_code == 200
    assert "0699887766" not in body and profile.user.email not in body
    assert "visibles une fois le candidat présélectionné" in body

    response = act(manager_client, structure, profile, "preselect")
    assert response.status_code == 302
    match = Match.objects.get(structure=structure, candidate=profile)
    assert match.status == S.INTERESSEE
    log = TransitionLog.objects.for_object(match).get()
    assert (log.from_status, log.to_status, log.actor) == (S.NOUVELLE, S.INTERESSEE, manager)
    body = manager_client.get(detail(structure, profile)).content.decode()
    assert "0699887766" in body and profile.user.email in body

    act(manager_client, structure, profile, "not_retained")
    match.refresh_from_db()
    assert match.status == S.NON_INTERESSEE
    assert "0699887766" not in manager_client.get(detail(structure, profile)).content.decode()
    act(manager_client, structure, profile, "back_to_new")
    match.refresh_from_db()
    assert match.status == S.NOUVELLE


def test_unknown_action_and_stale_move_are_explained(manager_client, structure):
    profile = make_profile()
    response = act(manager_client, structure, profile, "hire_now")
    assert response.status_code == 302
    assert not Match.objects.exists()
    response = act(manager_client, structure, profile, "back_to_new")  # nothing to undo
    assert response.status_code == 302


def test_detail_of_a_candidate_not_eligible_is_a_404(manager_client, structure, manager):
    marseille = make_profile(commune="13055")
    assert manager_client.get(detail(structure, marseille)).status_code == 404
    # Outside their zone, only once they accepted the structure's contact request.
    with pytest.raises(services.MatchingError):
        services.preselect(structure, marseille, manager)
    assert manager_client.get(detail(structure, marseille)).status_code == 404
    accepted_contact(structure, marseille, manager)
    assert manager_client.get(detail(structure, marseille)).status_code == 200


def test_manual_search_and_preselection_outside_the_list(manager_client, structure):
    far = make_profile(make_user(Role.CANDIDAT, last_name="Lointaine"), commune="97105")
    make_profile(make_user(Role.CANDIDAT, last_name="Lointaine"), is_available=False)
    path = reverse("matching:search", kwargs={"pk": structure.pk})
    response = manager_client.get(path, {"nom": "lointaine"})
    assert [p.pk for p, *_ in response.context["rows"]] == [far.pk]
    response = manager_client.get(path, {"nom": "lointaine", "commune": "Basse-Terre (971)"})
    assert [p.pk for p, *_ in response.context["rows"]] == [far.pk]
    response = manager_client.get(path, {"commune": "Nullepartville"})
    assert response.status_code == 200
    assert "Aucune commune ne s&#x27;appelle « Nullepartville »" in response.content.decode()

    act(manager_client, structure, far, "preselect")  # outside their zone: refused
    assert not Match.objects.filter(candidate=far).exists()
    accepted_contact(structure, far, make_user(Role.GESTIONNAIRE_STRUCTURE))
    act(manager_client, structure, far, "preselect")
    assert Match.objects.get(candidate=far).status == S.INTERESSEE
    result = screen.build(structure, tab="preselectionnees")
    assert [(row.profile.pk, row.eligible) for row in result.rows] == [(far.pk, False)]


def test_unavailable_candidate_cannot_be_preselected(manager_client, structure):
    profile = make_profile(is_available=False)
    act(manager_client, structure, profile, "preselect")
    assert not Match.objects.exists()


def test_availability_moves_open_matches(structure, manager):
    profile = make_profile()
    services.preselect(structure, profile, manager)
    candidate_services.set_availability(profile, False)
    match = Match.objects.get()
    assert match.status == S.NON_DISPONIBLE
    assert TransitionLog.objects.for_object(match).last().actor is None  # the platform
    assert screen.build(structure, tab="preselectionnees").counts["preselectionnees"] == 0
    candidate_services.set_availability(profile, True)
    match.refresh_from_db()
    assert match.status == S.NOUVELLE
    assert [row.profile.pk for row in screen.build(structure).rows] == [profile.pk]


def test_recruitment_elsewhere_closes_the_match(structure, manager):
    profile = make_profile()
    services.preselect(structure, profile, manager)
    other_manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    other = make_structure(
        departement="69", manager=other_manager, status=Status.VALIDATION_COSELEC
    )
    admin = make_user(Role.ADMINISTRATEUR)
    CommitteeDecision.objects.create(
        structure=other, opinion=CommitteeOpinion.POSITIF, posts_granted=1, decided_by=admin
    )
    hired = services.preselect(other, profile, other_manager)
    apply_transition(hired, S.RECRUTEE, other_manager)
    apply_transition(hired, S.FINALISEE, admin)
    assert Match.objects.get(structure=structure).status == S.FINALISEE_NON_DISPONIBLE
    result = screen.build(structure)
    assert result.rows == [] and result.counts["preselectionnees"] == 0


def test_notes_are_private_to_the_structure(client, manager_client, structure, manager):
    profile = make_profile()
    path = reverse("matching:note_create", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})
    response = manager_client.post(
        path, {"text": "Très bon entretien.", "adaptability": "4", "digital_understanding": ""}
    )
    assert response.status_code == 302
    note = CandidateNote.objects.get()
    assert (note.author, note.adaptability, note.digital_understanding) == (manager, 4, None)
    assert "Très bon entretien." in manager_client.get(detail(structure, profile)).content.decode()

    too_long = manager_client.post(path, {"text": "x" * 2001, "adaptability": "9"})
    assert too_long.status_code == 400
    assert "dépasse 2000 caractères" in too_long.content.decode()
    assert CandidateNote.objects.count() == 1

    # Another structure's manager, even with the same candidate eligible, sees none of it.
    other_manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    other = make_structure(
        departement="69", manager=other_manager, status=Status.VALIDATION_COSELEC
    )
    login(client, other_manager)
    assert "Très bon entretien." not in client.get(detail(other, profile)).content.decode()
    # The candidate does not see it either.
    client.logout()
    login(client, profile.user)
    assert "Très bon entretien." not in client.get(reverse("candidates:space")).content.decode()


def test_cv_only_once_preselected(manager_client, structure, manager):
    profile = make_profile()
    candidate_services.store_cv(profile, SMALL_PDF)
    cv = reverse("matching:cv", kwargs={"pk": structure.pk, "candidate_pk": profile.pk})
    assert not can_download_cv(manager, profile)
    assert manager_client.get(cv).status_code == 404
    services.preselect(structure, profile, manager)
    assert can_download_cv(manager, profile)
    response = manager_client.get(cv)
    assert response.status_code == 200 and response.content == SMALL_PDF
    services.not_retained(structure, profile, manager)
    assert not can_download_cv(manager, profile)
    assert manager_client.get(cv).status_code == 404


def test_candidate_space_lists_the_structures_that_preselected_them(client, structure, manager):
    profile = make_profile()
    other = make_structure(departement="69", status=Status.VALIDATION_COSELEC, name="Pas encore")
    services.preselect(structure, profile, manager)
    services.not_retained(other, profile, make_other_manager(other))
    login(client, profile.user)
    body = client.get(reverse("candidates:space")).content.decode()
    assert structure.name in body and "Présélectionnée" in body
    assert "Pas encore" not in body


def make_other_manager(structure):
    from cnum.accounts.models import Membership

    user = make_user(Role.GESTIONNAIRE_STRUCTURE)
    Membership.objects.create(user=user, role=Role.GESTIONNAIRE_STRUCTURE, organisation=structure)
    return user


def test_deleting_a_candidate_removes_their_matches_and_history(structure, manager):
    profile = make_profile()
    match = services.preselect(structure, profile, manager)
    services.add_note(structure, profile, manager, {"text": "À rappeler."})
    candidate_services.delete_candidate(profile)
    assert not Match.objects.exists() and not CandidateNote.objects.exists()
    assert not TransitionLog.objects.filter(object_id=match.pk, to_status=S.INTERESSEE).exists()
