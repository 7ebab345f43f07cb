"""Enrolment: who may enrol whom, capacity, suggestions, and the conseiller's state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.testing import make_profile
from cnum.structures.testing import make_structure
from cnum.training import services
from cnum.training.enums import ConseillerState, EnrolmentStatus, SessionFormat
from cnum.training.models import Enrolment
from cnum.training.state import conseiller_state
from cnum.training.testing import (
    make_conseiller,
    make_enrolment,
    make_organisation,
    make_session,
)
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return make_user()


@pytest.fixture
def structure(manager):
    return make_structure(departement="69", manager=manager)


@pytest.fixture
def conseiller(structure):
    return make_conseiller(structure)


def test_manager_enrols_own_conseiller_and_everyone_is_told(
    manager, structure, conseiller, send_emails, mailoutbox
):
    trainer = make_user()
    session = make_session(make_organisation(member=trainer), capacity=2)
    make_profile(conseiller, pix_level=2)
    with send_emails():
        enrolment = services.enrol(manager, conseiller, structure, session)
    assert (enrolment.status, enrolment.organisation, enrolment.pix_level) == (
        EnrolmentStatus.INSCRITE,
        session.organisation,
        2,  # the Pix level the candidate shared
    )
    assert session.free_seats() == 1
    log = TransitionLog.objects.for_object(enrolment).get()
    assert (log.from_status, log.to_status, log.actor) == ("", "inscrite", manager)
    assert {tuple(m.to) for m in mailoutbox} == {(conseiller.email, trainer.email)}
    assert session.name in mailoutbox[0].body
    assert conseiller_state(conseiller)[0] == ConseillerState.EN_FORMATION


def test_administration_enrols_any_conseiller(structure, conseiller):
    admin = make_user(Role.ADMINISTRATEUR)
    enrolment = services.enrol(admin, conseiller, structure, make_session(make_organisation()))
    assert enrolment.enrolled_by == admin


@pytest.mark.parametrize("role", [Role.ORGANISME_FORMATION, Role.PREFET, Role.CONSEILLER, None])
def test_others_may_not_enrol(role, structure, conseiller):
    session = make_session(make_organisation())
    other_manager = make_user()
    make_structure(manager=other_manager)
    actor = make_user(role) if role else other_manager
    with pytest.raises(PermissionDenied):
        services.enrol(actor, conseiller, structure, session)
    assert not Enrolment.objects.exists()


def test_only_the_structures_conseillers_can_be_enrolled(manager, structure):
    elsewhere = make_conseiller()  # a conseiller of another structure
    former = make_conseiller(structure)
    Membership.objects.filter(user=former).update(is_active=False)
    session = make_session(make_organisation())
    for person in (elsewhere, former, make_user()):
        with pytest.raises(services.TrainingError, match="pas conseiller numérique"):
            services.enrol(manager, person, structure, session)
    assert not Enrolment.objects.exists()


def test_a_full_session_refuses_and_a_cancellation_frees_the_seat(manager, structure):
    session = make_session(make_organisation(), capacity=1)
    first, second = make_conseiller(structure), make_conseiller(structure)
    enrolment = services.enrol(manager, first, structure, session)
    with pytest.raises(services.SessionFull):
        services.enrol(manager, second, structure, session)
    services.move(enrolment, manager, EnrolmentStatus.ANNULEE, "Erreur de session")
    services.enrol(manager, second, structure, session)
    assert session.free_seats() == 0


def test_a_conseiller_in_training_or_trained_cannot_be_enrolled_again(
    manager, structure, conseiller
):
    organisation = make_organisation()
    services.enrol(manager, conseiller, structure, make_session(organisation))
    with pytest.raises(services.AlreadyEnrolled):
        services.enrol(manager, conseiller, structure, make_session(organisation))
    Enrolment.objects.update(
        status=EnrolmentStatus.TERMINEE,
        started_on=datetime.date(2024, 1, 8),
        ended_on=datetime.date(2024, 5, 10),
    )
    with pytest.raises(services.AlreadyEnrolled):
        services.enrol(manager, conseiller, structure, make_session(organisation))
    assert Enrolment.objects.count() == 1


def test_an_abandon_lets_the_structure_enrol_again(manager, structure, conseiller):
    organisation = make_organisation()
    enrolment = make_enrolment(
        make_session(organisation),
        conseiller,
        status=EnrolmentStatus.EN_COURS,
        started_on=datetime.date(2025, 1, 6),
    )
    services.move(enrolment, manager, EnrolmentStatus.ABANDONNEE, "Arrêt maladie")
    assert conseiller_state(conseiller)[0] == ConseillerState.A_PROGRAMMER
    services.enrol(manager, conseiller, structure, make_session(organisation))
    assert conseiller_state(conseiller)[0] == ConseillerState.EN_FORMATION


def test_started_sessions_and_suspended_organisations_take_no_enrolment(
    manager, structure, conseiller
):
    organisation = make_organisation()
    started = make_session(organisation, starts_in=-1)
    with pytest.raises(services.TrainingError, match="n'accepte plus"):
        services.enrol(manager, conseiller, structure, started)
    upcoming = make_session(organisation)
    organisation.is_habilitated = False
    organisation.save()
    with pytest.raises(services.TrainingError, match="n'accepte plus"):
        services.enrol(manager, conseiller, structure, upcoming)


def test_suggestions_are_the_nearest_organisations_with_free_seats(structure):
    lyon = make_organisation(commune="69123", name="Lyon Formation")
    villeurbanne = make_organisation(commune="69266", name="Villeurbanne Formation")
    paris = make_organisation(commune="75056", name="Paris Formation")
    full = make_organisation(commune="69123", name="Complet")
    suspended = make_organisation(commune="69123", name="Suspendu", is_habilitated=False)
    make_session(lyon)
    make_session(lyon, starts_in=60)
    make_session(lyon, starts_in=-3)  # already started: not offered
    make_session(villeurbanne, commune="69266")
    make_session(paris, format=SessionFormat.DISTANCIEL)
    make_session(suspended)
    make_enrolment(make_session(full, capacity=1))
    suggestions = services.suggest_organisations(structure)
    assert [org.name for org, _, _ in suggestions] == [
        "Lyon Formation",
        "Villeurbanne Formation",
        "Paris Formation",
    ]
    lyon_km, lyon_sessions = suggestions[0][1], suggestions[0][2]
    assert lyon_km == pytest.approx(0) and len(lyon_sessions) == 2
    assert 3 < suggestions[1][1] < 10  # Villeurbanne is next to Lyon
    assert 380 < suggestions[2][1] < 420  # remote session: distance to the organisation


def test_overseas_structures_get_their_own_territory_first():
    structure = make_structure(departement="974")
    make_session(make_organisation(commune="69123", name="Lyon"))
    make_session(make_organisation(commune="97411", name="Saint-Denis"))
    assert [org.name for org, _, _ in services.suggest_organisations(structure)][0] == "Saint-Denis"


def test_state_is_computed_in_one_place():
    conseiller = make_conseiller()
    assert conseiller_state(conseiller) == (ConseillerState.A_PROGRAMMER, None)
    cancelled = make_enrolment(conseiller=conseiller, status=EnrolmentStatus.ANNULEE)
    assert conseiller_state(conseiller) == (ConseillerState.A_PROGRAMMER, None)
    done = make_enrolment(
        conseiller=conseiller,
        status=EnrolmentStatus.TERMINEE,
        started_on=datetime.date(2021, 1, 4),
        ended_on=datetime.date(2021, 5, 7),
    )
    assert conseiller_state(conseiller) == (ConseillerState.EN_ACTIVITE, done)
    assert cancelled.pk != done.pk
