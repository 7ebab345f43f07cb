"""Workshop rules: scheduling and series, registration and capacity, cancellation, reminders."""

import datetime
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cnum.places.services import upcoming_workshops
from cnum.workshops import services
from cnum.workshops.enums import Niveau, Recurrence, RegistrationStatus, Thematique
from cnum.workshops.models import Registration, Workshop
from cnum.workshops.testing import make_conseiller, make_registration, make_workshop

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def data(place=None, **overrides):
    return {
        "title": "Découvrir internet",
        "thematiques": [Thematique.NAVIGATION_SUR_INTERNET],
        "niveau": Niveau.DEBUTANT,
        "place": place,
        "remote": place is None,
        "starts_at": datetime.datetime(2030, 3, 20, 14, 0, tzinfo=PARIS),
        "duration": 120,
        "capacity": 8,
        "description": "",
        **overrides,
    }


def test_a_series_keeps_the_local_hour_across_daylight_saving():
    conseiller = make_conseiller()
    structure = conseiller.memberships.get().organisation.structure
    created = services.schedule_series(
        conseiller, structure, data(), Recurrence.HEBDOMADAIRE, occurrences=3
    )
    assert len(created) == 3
    hours = [timezone.localtime(w.starts_at).strftime("%d/%m %H:%M") for w in created]
    # Summer time starts on 30 March 2030: still 14:00 in Paris.
    assert hours == ["20/03 14:00", "27/03 14:00", "03/04 14:00"]
    assert len({w.series_id for w in created}) == 1


def test_a_biweekly_series_and_its_limits():
    conseiller = make_conseiller()
    structure = conseiller.memberships.get().organisation.structure
    created = services.schedule_series(conseiller, structure, data(), Recurrence.BIMENSUELLE, 2)
    assert (created[1].starts_at - created[0].starts_at).days == 14
    with pytest.raises(services.WorkshopError):
        services.schedule_series(conseiller, structure, data(), Recurrence.BIMENSUELLE, 1)


def test_a_workshop_is_at_a_place_or_remote_never_both():
    workshop = make_workshop()
    workshop.remote = True
    with pytest.raises(IntegrityError), transaction.atomic():
        workshop.save()


def register(workshop, name="Ana", email="ana@exemple.fr", **fields):
    """A public request confirmed from its link."""
    pending = services.request_registration(workshop, name=name, email=email, **fields)
    return services.confirm_registration(pending)


def test_a_pending_request_holds_no_seat_until_confirmed():
    workshop = make_workshop(capacity=1)
    pending = services.request_registration(workshop, name="Ana", email="ana@exemple.fr")
    assert pending.status == RegistrationStatus.EN_ATTENTE
    assert services.active_count(workshop) == 0
    assert Workshop.objects.with_seats().get(pk=workshop.pk).registered == 0
    confirmed = services.confirm_registration(pending)
    assert confirmed.status == RegistrationStatus.INSCRITE and confirmed.confirmed_at
    assert services.active_count(workshop) == 1
    # Confirming twice changes nothing.
    assert services.confirm_registration(pending).confirmed_at == confirmed.confirmed_at


def test_twenty_fake_requests_leave_every_seat_free():
    workshop = make_workshop(capacity=20)
    for n in range(20):
        services.request_registration(workshop, name="Pirate", email=f"victim{n}@example.org")
    assert services.active_count(workshop) == 0
    register(workshop, name="Bo", email="bo@exemple.fr")
    assert services.active_count(workshop) == 1


def test_registration_takes_a_seat_and_refuses_when_full():
    workshop = make_workshop(capacity=2)
    register(workshop, name="Ana", email="ana@exemple.fr")
    late = services.request_registration(workshop, name="Cy", email="cy@exemple.fr")
    register(workshop, name="Bo", email="bo@exemple.fr")
    # Full at confirmation: the pending request gets a clear message and no seat.
    with pytest.raises(services.WorkshopFull) as error:
        services.confirm_registration(late)
    assert "complet" in str(error.value)
    # Full at request time: refused at once.
    with pytest.raises(services.WorkshopFull):
        services.request_registration(workshop, name="Di", email="di@exemple.fr")
    assert services.active_count(workshop) == 2


def test_an_expired_request_cannot_be_confirmed_and_is_purged(settings):
    settings.WORKSHOP_CONFIRMATION_MINUTES = 30
    workshop = make_workshop(capacity=1)
    pending = services.request_registration(workshop, name="Ana", email="ana@exemple.fr")
    fresh = services.request_registration(workshop, name="Bo", email="bo@exemple.fr")
    Registration.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    pending.refresh_from_db()
    with pytest.raises(services.ConfirmationExpired):
        services.confirm_registration(pending)
    assert services.active_count(workshop) == 0
    assert services.purge_registrations() == 1
    assert list(Registration.objects.all()) == [fresh]


def test_the_request_mail_does_not_carry_the_name_the_confirmation_does(send_emails, mailoutbox):
    workshop = make_workshop()
    with send_emails():
        pending = services.request_registration(
            workshop, name="Gagnez un iPhone sur arnaque.example", email="ana@exemple.fr"
        )
    [request] = mailoutbox
    assert request.to == ["ana@exemple.fr"]
    assert "arnaque" not in request.body and "iPhone" not in request.subject + request.body
    assert request.body.startswith("Bonjour,\n")
    assert "Une inscription à l'atelier « Bien utiliser son smartphone » a été demandée" in (
        request.body
    )
    assert f"/ateliers/inscription/{pending.token}/" in request.body
    with send_emails():
        services.confirm_registration(pending)
    assert "Gagnez un iPhone" in mailoutbox[1].body
    assert "est confirmée" in mailoutbox[1].body


def test_the_same_email_registers_once_then_again_after_cancelling():
    workshop = make_workshop()
    first = register(workshop, name="Ana", email="Ana@Exemple.fr")
    with pytest.raises(services.AlreadyRegistered):
        register(workshop, name="Ana", email="ana@exemple.fr")
    services.cancel_registration(first)
    register(workshop, name="Ana", email="ana@exemple.fr")


def test_no_registration_to_a_past_or_cancelled_workshop():
    past = make_workshop(starts_in=datetime.timedelta(hours=-1))
    with pytest.raises(services.RegistrationClosed):
        services.request_registration(past, name="Ana", email="ana@exemple.fr")
    cancelled = make_workshop()
    pending = services.request_registration(cancelled, name="Ana", email="ana@exemple.fr")
    services.cancel_workshop(cancelled)
    cancelled.refresh_from_db()
    with pytest.raises(services.RegistrationClosed):
        services.request_registration(cancelled, name="Ana", email="ana@exemple.fr")
    with pytest.raises(services.RegistrationClosed):
        services.confirm_registration(pending)


def test_cancelling_frees_the_seat_and_is_idempotent():
    workshop = make_workshop(capacity=1)
    registration = register(workshop, name="Ana", email="ana@exemple.fr")
    cancelled_at = services.cancel_registration(registration).cancelled_at
    again = services.cancel_registration(registration)
    assert again.status == RegistrationStatus.ANNULEE and again.cancelled_at == cancelled_at
    register(workshop, name="Bo", email="bo@exemple.fr")


def test_capacity_cannot_drop_below_the_registered():
    workshop = make_workshop(capacity=3)
    make_registration(workshop)
    make_registration(workshop)
    with pytest.raises(services.WorkshopError):
        services.update_workshop(workshop, {"capacity": 1})
    assert services.update_workshop(workshop, {"capacity": 2}).capacity == 2


def test_confirmation_email_carries_the_cancellation_link(send_emails, mailoutbox):
    workshop = make_workshop()
    with send_emails():
        registration = register(workshop, name="Ana", email="ana@exemple.fr")
    assert [m.to for m in mailoutbox] == [["ana@exemple.fr"], ["ana@exemple.fr"]]
    assert "Inscription confirmée" in mailoutbox[1].subject
    assert f"/ateliers/inscription/{registration.token}/" in mailoutbox[1].body


def test_cancelling_a_workshop_tells_the_registered(send_emails, mailoutbox):
    workshop = make_workshop()
    make_registration(workshop, email="ana@exemple.fr")
    make_registration(workshop, email="", phone="0601020304")
    with send_emails():
        services.cancel_workshop(workshop)
        services.cancel_workshop(workshop)
    assert [m.to for m in mailoutbox] == [["ana@exemple.fr"]]
    assert "annulé" in mailoutbox[0].subject


def test_reminders_go_once_to_tomorrow_registrations(send_emails, mailoutbox):
    now = timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))
    due = make_workshop(starts_at=at)
    later = make_workshop(starts_at=at + datetime.timedelta(days=1))
    make_registration(due, email="ana@exemple.fr")
    make_registration(due, email="bo@exemple.fr", status=RegistrationStatus.ANNULEE)
    make_registration(due, email="", phone="0601020304")
    make_registration(due, email="di@exemple.fr", status=RegistrationStatus.EN_ATTENTE)
    make_registration(later, email="cy@exemple.fr")
    with send_emails():
        assert services.send_reminders(now) == 1
        assert services.send_reminders(now) == 0
    assert [m.to for m in mailoutbox] == [["ana@exemple.fr"]]
    assert "Rappel" in mailoutbox[0].subject


def test_reminder_task_runs_in_the_worker(run_tasks, django_capture_on_commit_callbacks):
    from cnum.workshops.tasks import workshop_reminders_task

    with django_capture_on_commit_callbacks(execute=True):
        result = workshop_reminders_task.enqueue()
    run_tasks()
    result.refresh()
    assert result.return_value == 0


def test_attendance_and_cra_initial():
    workshop = make_workshop(
        duration=120,
        thematiques=[Thematique.EMAIL, Thematique.SANTE],
        starts_in=datetime.timedelta(hours=-3),
    )
    ana, bo, cy = (make_registration(workshop) for _ in range(3))
    gone = make_registration(workshop, status=RegistrationStatus.ANNULEE)
    services.set_attendance(workshop, [ana.pk, cy.pk, gone.pk])
    initial = services.cra_initial(workshop)
    assert initial == {
        "type": "collectif",
        "date": timezone.localdate(workshop.starts_at),
        "duree": 120,
        "titre": workshop.title,
        "thematiques": ["email", "sante"],
        "niveau": "debutant",
        "type_lieu": "lieu_activite",
        "lieu": workshop.place_id,
        "nb_participants": 2,
    }
    bo.refresh_from_db()
    assert bo.attended is False
    remote = make_workshop(remote=True)
    assert services.cra_initial(remote)["lieu"] == "a_distance"


def test_the_place_page_lists_upcoming_workshops():
    workshop = make_workshop()
    make_workshop(place=workshop.place, starts_in=datetime.timedelta(days=-1))
    make_workshop(place=workshop.place, cancelled_at=timezone.now())
    found = upcoming_workshops(workshop.place)
    assert [(w.title, w.url) for w in found] == [(workshop.title, f"/ateliers/{workshop.pk}/")]


def test_workshops_near_a_commune_by_distance():
    from cnum.places.testing import make_place
    from cnum.territories.models import Commune

    near = make_workshop()
    far = make_workshop(place=make_place(commune="13055"))
    make_workshop(remote=True)
    items, has_next = services.workshops_near(Commune.objects.get(pk="69123"), radius_km=20)
    assert [item.workshop for item in items] == [near] and not has_next
    assert far not in Workshop.objects.filter(pk__in=[i.workshop.pk for i in items])


def test_old_registrations_are_purged_and_commands_run():
    from django.core.management import call_command

    old = make_workshop(starts_in=datetime.timedelta(days=-(services.RETENTION_DAYS + 1)))
    recent = make_workshop(starts_in=datetime.timedelta(days=-1))
    make_registration(old)
    kept = make_registration(recent)
    call_command("purge_workshop_registrations", verbosity=0)
    assert list(Registration.objects.all()) == [kept]
    assert Workshop.objects.filter(pk=old.pk).exists()
    call_command("send_workshop_reminders", verbosity=0)
