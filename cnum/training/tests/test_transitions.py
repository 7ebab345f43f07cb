"""The enrolment status machine: every move × every kind of actor, and dated moves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.testing import make_structure
from cnum.training import services
from cnum.training.enums import EnrolmentStatus as E
from cnum.training.models import Enrolment
from cnum.training.testing import make_conseiller, make_enrolment, make_organisation, make_session
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

TRAINERS = {"admin", "trainer", "platform"}
EMPLOYERS = TRAINERS | {"manager"}
TABLE = [
    (E.INSCRITE, E.EN_COURS, TRAINERS),
    (E.INSCRITE, E.ANNULEE, EMPLOYERS),
    (E.EN_COURS, E.TERMINEE, TRAINERS),
    (E.EN_COURS, E.ABANDONNEE, EMPLOYERS),
    (E.ABANDONNEE, E.EN_COURS, TRAINERS),
    (E.TERMINEE, E.EN_COURS, {"admin", "platform"}),
]
ACTORS = ["admin", "trainer", "other_trainer", "manager", "other_manager", "conseiller", "prefet"]
ACTORS += ["platform"]


def actor_for(kind, trainer, manager, conseiller):
    if kind == "platform":
        return PLATFORM
    if kind == "admin":
        return make_user(Role.ADMINISTRATEUR)
    if kind == "other_trainer":
        other = make_user()
        make_organisation(member=other)
        return other
    if kind == "other_manager":
        other = make_user()
        make_structure(manager=other)
        return other
    if kind == "prefet":
        return make_user(Role.PREFET)
    return {"trainer": trainer, "manager": manager, "conseiller": conseiller}[kind]


@pytest.mark.parametrize(("start", "to", "allowed"), TABLE)
@pytest.mark.parametrize("kind", ACTORS)
def test_each_move_is_allowed_or_refused_per_actor(start, to, allowed, kind):
    trainer, manager = make_user(), make_user()
    structure = make_structure(manager=manager)
    conseiller = make_conseiller(structure)
    session = make_session(make_organisation(member=trainer))
    enrolment = make_enrolment(
        session,
        conseiller,
        status=start,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 5, 9),
    )
    actor = actor_for(kind, trainer, manager, conseiller)
    if kind in allowed:
        log = apply_transition(enrolment, to, actor, "motif")
        assert Enrolment.objects.get(pk=enrolment.pk).status == to
        assert (log.from_status, log.to_status, log.comment) == (start, to, "motif")
        assert log.actor == (None if actor is PLATFORM else actor)
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(enrolment, to, actor)
        assert Enrolment.objects.get(pk=enrolment.pk).status == start
        assert not TransitionLog.objects.exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (E.INSCRITE, E.TERMINEE),
        (E.ANNULEE, E.INSCRITE),
        (E.ANNULEE, E.EN_COURS),
        (E.TERMINEE, E.ABANDONNEE),
        (E.ABANDONNEE, E.TERMINEE),
    ],
)
def test_moves_outside_the_table_are_refused(start, to):
    enrolment = make_enrolment(
        status=start, started_on=datetime.date(2025, 1, 6), ended_on=datetime.date(2025, 5, 9)
    )
    with pytest.raises(InvalidTransition):
        apply_transition(enrolment, to, make_user(Role.ADMINISTRATEUR))
    assert Enrolment.objects.get(pk=enrolment.pk).status == start


@pytest.fixture
def trainer():
    return make_user()


@pytest.fixture
def enrolment(trainer):
    return make_enrolment(make_session(make_organisation(member=trainer)))


def test_start_then_finish_record_their_dates_and_tell_the_conseiller(
    trainer, enrolment, send_emails, mailoutbox
):
    with send_emails():
        services.start_training(enrolment, trainer, datetime.date(2025, 1, 6))
        services.finish_training(enrolment, trainer, datetime.date(2025, 5, 9))
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.status, stored.started_on, stored.ended_on) == (
        E.TERMINEE,
        datetime.date(2025, 1, 6),
        datetime.date(2025, 5, 9),
    )
    assert [m.to for m in mailoutbox] == [[enrolment.conseiller.email]] * 2
    assert "formation terminée" in mailoutbox[1].body


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (datetime.date(2020, 11, 16), "17/11/2020"),
        (datetime.date(2024, 12, 31), "précéder la prise de poste"),
        (datetime.date.today() + datetime.timedelta(days=2), "futur"),
    ],
)
def test_end_of_training_dates_are_checked(trainer, enrolment, ended_on, message):
    services.start_training(enrolment, trainer, datetime.date(2025, 1, 6))
    with pytest.raises(services.TrainingError, match=message):
        services.finish_training(enrolment, trainer, ended_on)
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.status, stored.ended_on) == (E.EN_COURS, None)


def test_end_before_the_programme_is_refused_by_the_database_too(enrolment):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(ended_on=datetime.date(2020, 1, 1))


def test_a_refused_start_leaves_no_date_behind(enrolment):
    with pytest.raises(PermissionDenied):
        services.start_training(enrolment, make_user(), datetime.date(2025, 1, 6))
    assert Enrolment.objects.get(pk=enrolment.pk).started_on is None


def test_reopening_clears_the_end_of_training(trainer, enrolment):
    services.start_training(enrolment, trainer, datetime.date(2025, 1, 6))
    services.finish_training(enrolment, trainer, datetime.date(2025, 5, 9))
    services.move(enrolment, make_user(Role.ADMINISTRATEUR), E.EN_COURS, "Erreur de saisie")
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.status, stored.ended_on) == (E.EN_COURS, None)


def test_certification_rules(trainer, enrolment):
    with pytest.raises(services.TrainingError, match="pendant ou après"):
        services.record_certification(
            enrolment, trainer, certification_type="CCP1", result="en_attente"
        )
    services.start_training(enrolment, trainer, datetime.date(2025, 1, 6))
    # Still in training: the exam registration only, never a result.
    services.record_certification(
        enrolment, trainer, certification_type="CCP1", result="en_attente"
    )
    with pytest.raises(services.TrainingError, match="une fois la formation terminée"):
        services.record_certification(
            enrolment,
            trainer,
            certification_type="CCP1",
            result="admis",
            certified_on=datetime.date(2025, 5, 2),
        )
    assert Enrolment.objects.get(pk=enrolment.pk).certification_result == "en_attente"
    services.finish_training(enrolment, trainer, datetime.date(2025, 5, 9))
    with pytest.raises(services.TrainingError, match="Indiquez la date"):
        services.record_certification(enrolment, trainer, certification_type="PIX", result="admis")
    with pytest.raises(services.TrainingError, match="précéder la prise de poste"):
        services.record_certification(
            enrolment,
            trainer,
            certification_type="PIX",
            result="admis",
            certified_on=datetime.date(2024, 12, 1),
        )
    with pytest.raises(PermissionDenied):
        services.record_certification(
            enrolment, make_user(), certification_type="PIX", result="en_attente"
        )
    services.record_certification(
        enrolment,
        trainer,
        certification_type="CCP1",
        result="admis",
        certified_on=datetime.date(2025, 5, 2),
    )
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.certification_type, stored.certification_result, stored.certified_on) == (
        "CCP1",
        "admis",
        datetime.date(2025, 5, 2),
    )


def test_progress_is_for_the_trainer_only(trainer, enrolment):
    services.record_progress(enrolment, trainer, attendance_percent=95, progress_percent=40)
    with pytest.raises(PermissionDenied):
        services.record_progress(enrolment, make_user(), progress_percent=100)
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.attendance_percent, stored.progress_percent) == (95, 40)


def test_rupture_frees_the_seat_or_ends_the_training(send_emails, mailoutbox):
    """The receivers of recruitment's signals (called as the signal would call them: other
    apps' receivers need a real match)."""
    from cnum.recruitment.signals import recruitment_validated, rupture_validated
    from cnum.training.receivers import ask_for_enrolment, end_training_on_rupture

    assert ask_for_enrolment in recruitment_validated._live_receivers(None)[0]
    assert end_training_on_rupture in rupture_validated._live_receivers(None)[0]
    manager = make_user()
    structure = make_structure(manager=manager)
    waiting, training = make_conseiller(structure), make_conseiller(structure)
    with send_emails():
        ask_for_enrolment(None, match=None, conseiller=waiting, structure=structure)
    assert mailoutbox[-1].to == [manager.email]
    assert "formation" in mailoutbox[-1].subject.lower()
    seat = make_enrolment(conseiller=waiting)
    ongoing = make_enrolment(
        conseiller=training, status=E.EN_COURS, started_on=datetime.date(2025, 1, 6)
    )
    for person in (waiting, training):
        end_training_on_rupture(
            None, match=None, conseiller=person, structure=structure, rupture_date=None
        )
    assert Enrolment.objects.get(pk=seat.pk).status == E.ANNULEE
    assert Enrolment.objects.get(pk=ongoing.pk).status == E.ABANDONNEE
