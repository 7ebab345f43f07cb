"""Use cases of workshops: scheduling, registration, cancellation, attendance, reminders, CRA."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cnum.core.mail import send_templated_email
from cnum.places.services import Origin
from cnum.territories.services import bounding_box, distance_km
from cnum.workflow.engine import PLATFORM, apply_transition
from cnum.workshops.enums import A_DISTANCE, RECURRENCE_DAYS, RegistrationStatus
from cnum.workshops.models import Registration, Series, Workshop

MAX_OCCURRENCES = 26
SEARCH_RADII_KM = (5, 10, 20, 50, 100)
DEFAULT_RADIUS_KM = 20
PAGE_SIZE = 20


class WorkshopError(Exception):
    """A refused action; the message is French and says what to do."""


class WorkshopFull(WorkshopError):
    def __init__(self):
        super().__init__("Cet atelier est complet : choisissez une autre date ou un autre atelier.")


class AlreadyRegistered(WorkshopError):
    def __init__(self):
        super().__init__("Vous êtes déjà inscrit à cet atelier avec cette adresse électronique.")


class RegistrationClosed(WorkshopError):
    def __init__(self):
        super().__init__("Les inscriptions à cet atelier sont closes.")


class ConfirmationExpired(WorkshopError):
    def __init__(self):
        super().__init__(
            "Ce lien de confirmation a expiré : aucune place n'a été réservée. Inscrivez-vous "
            "de nouveau depuis la page de l'atelier."
        )


# --- Scheduling -------------------------------------------------------------------------------

FIELDS = (
    "title",
    "thematiques",
    "niveau",
    "place",
    "remote",
    "starts_at",
    "duration",
    "capacity",
    "description",
)


def _apply(workshop, data):
    for name in FIELDS:
        if name in data:
            setattr(workshop, name, data[name])
    if workshop.remote:
        workshop.place = None
    return workshop


def schedule(conseiller, structure, data):
    """One workshop of `structure` led by `conseiller`; `data` holds FIELDS (cleaned)."""
    workshop = _apply(Workshop(structure=structure, conseiller=conseiller), data)
    workshop.save()
    return workshop


@transaction.atomic
def schedule_series(conseiller, structure, data, recurrence, occurrences):
    """`occurrences` workshops, the first at data["starts_at"], then every week or two weeks
    at the same local time (daylight saving changes keep the wall-clock hour)."""
    if not 2 <= occurrences <= MAX_OCCURRENCES:
        raise WorkshopError(f"Une série compte de 2 à {MAX_OCCURRENCES} ateliers.")
    series = Series.objects.create(
        structure=structure, recurrence=recurrence, created_by=conseiller
    )
    first = timezone.localtime(data["starts_at"])
    step = datetime.timedelta(days=RECURRENCE_DAYS[recurrence])
    workshops = []
    for index in range(occurrences):
        naive = first.replace(tzinfo=None) + index * step
        starts_at = timezone.make_aware(naive)
        workshop = _apply(
            Workshop(structure=structure, conseiller=conseiller, series=series),
            {**data, "starts_at": starts_at},
        )
        workshops.append(workshop)
    return Workshop.objects.bulk_create(workshops)


@transaction.atomic
def update_workshop(workshop, data):
    """Change a workshop; capacity never drops below the people already registered."""
    locked = Workshop.objects.select_for_update(of=("self",)).get(pk=workshop.pk)
    if locked.is_cancelled:
        raise WorkshopError("Cet atelier est annulé : il ne peut plus être modifié.")
    taken = active_count(locked)
    if data.get("capacity", locked.capacity) < taken:
        raise WorkshopError(
            f"{taken} personnes sont déjà inscrites : le nombre de places ne peut pas être "
            "inférieur."
        )
    _apply(locked, data)
    if locked.place is not None:
        locked.structure_id = locked.place.structure_id  # moved to a place of another structure
    locked.save()
    return locked


@transaction.atomic
def cancel_workshop(workshop):
    """Cancel a workshop and tell the people registered by e-mail (idempotent)."""
    locked = Workshop.objects.select_for_update(of=("self",)).get(pk=workshop.pk)
    if locked.is_cancelled:
        return locked
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    for registration in locked.registrations.filter(status=RegistrationStatus.INSCRITE):
        if registration.email:
            send_templated_email(
                "workshops/emails/workshop_cancelled",
                {"workshop": locked, "registration": registration},
                [registration.email],
            )
    return locked


def cancel_following(workshop):
    """Cancel this workshop and the later ones of its series; returns how many were cancelled."""
    following = Workshop.objects.active().filter(pk=workshop.pk)
    if workshop.series_id is not None:
        following = Workshop.objects.active().filter(
            series_id=workshop.series_id, starts_at__gte=workshop.starts_at
        )
    count = 0
    for item in following:
        cancel_workshop(item)
        count += 1
    return count


# --- Registration -----------------------------------------------------------------------------


def active_count(workshop):
    return workshop.registrations.filter(status=RegistrationStatus.INSCRITE).count()


def registration_url(registration):
    """The person's page: confirm a pending registration, later cancel it."""
    return reverse("workshops:registration", kwargs={"token": registration.token})


def confirmation_delay():
    return datetime.timedelta(minutes=settings.WORKSHOP_CONFIRMATION_MINUTES)


def _check_open(workshop):
    if workshop.is_cancelled or workshop.starts_at <= timezone.now():
        raise RegistrationClosed


def request_registration(workshop, *, name, email, phone=""):
    """A pending registration: it holds no seat until the person opens the link e-mailed to
    `email` (within confirmation_delay()) and confirms. The mail does not carry `name`: the
    address is not confirmed yet."""
    email = email.strip().lower()
    _check_open(workshop)
    if active_count(workshop) >= workshop.capacity:
        raise WorkshopFull
    registration = Registration.objects.create(
        workshop=workshop,
        name=name.strip(),
        email=email,
        phone=(phone or "").strip(),
        status=RegistrationStatus.EN_ATTENTE,
    )
    send_templated_email(
        "workshops/emails/confirm_request",
        {
            "workshop": workshop,
            "confirm_url": registration_url(registration),
            "minutes": settings.WORKSHOP_CONFIRMATION_MINUTES,
        },
        [email],
    )
    return registration


def is_expired(registration, now=None):
    return registration.is_pending and (
        registration.created_at + confirmation_delay() <= (now or timezone.now())
    )


def confirm_registration(registration):
    """Take the seat of a pending registration; the last seat goes to one request only (row
    lock on the workshop). Confirming twice changes nothing."""
    with transaction.atomic():
        locked = Workshop.objects.select_for_update(of=("self",)).get(pk=registration.workshop_id)
        found = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if found.status == RegistrationStatus.INSCRITE:
            return found
        if found.status != RegistrationStatus.EN_ATTENTE or is_expired(found):
            raise ConfirmationExpired
        _check_open(locked)
        seats = locked.registrations.filter(status=RegistrationStatus.INSCRITE)
        if seats.filter(email=found.email).exists():
            raise AlreadyRegistered
        if seats.count() >= locked.capacity:
            raise WorkshopFull
        try:
            with transaction.atomic():
                apply_transition(found, RegistrationStatus.INSCRITE, PLATFORM)
                found.confirmed_at = timezone.now()
                found.save(update_fields=["confirmed_at"])
        except IntegrityError as error:
            raise AlreadyRegistered from error
        send_templated_email(
            "workshops/emails/confirmation",
            {"workshop": locked, "registration": found, "cancel_url": registration_url(found)},
            [found.email],
        )
    return found


def registration_by_token(token):
    return (
        Registration.objects.select_related("workshop__place__commune")
        .filter(token=str(token)[:64])
        .first()
    )


@transaction.atomic
def cancel_registration(registration):
    """Free the seat (idempotent: a second click changes nothing)."""
    locked = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if locked.status == RegistrationStatus.INSCRITE:
        apply_transition(locked, RegistrationStatus.ANNULEE, PLATFORM)
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
    return locked


class AttendanceTooEarly(WorkshopError):
    def __init__(self, workshop):
        start = timezone.localtime(workshop.starts_at)
        super().__init__(
            f"Les présences se cochent à partir du début de l'atelier, le "
            f"{start:%d/%m/%Y} à {start:%H:%M}."
        )


@transaction.atomic
def set_attendance(workshop, present_ids, now=None):
    """Mark who came among the active registrations; the others are marked absent. Nobody has
    come to a workshop that has not started."""
    if workshop.starts_at > (now or timezone.now()):
        raise AttendanceTooEarly(workshop)
    present_ids = {int(pk) for pk in present_ids}
    active = workshop.registrations.filter(status=RegistrationStatus.INSCRITE)
    active.filter(pk__in=present_ids).update(attended=True)
    active.exclude(pk__in=present_ids).update(attended=False)


# --- Reminders --------------------------------------------------------------------------------


def tomorrow_bounds(now=None):
    """[start, end) of tomorrow in Europe/Paris, as aware datetimes."""
    today = timezone.localdate(now or timezone.now())
    start = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time())
    end = datetime.datetime.combine(today + datetime.timedelta(days=2), datetime.time())
    return timezone.make_aware(start), timezone.make_aware(end)


def send_reminders(now=None):
    """E-mail everyone registered (with an e-mail) to a workshop of tomorrow, once."""
    start, end = tomorrow_bounds(now)
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.INSCRITE,
            reminded_at__isnull=True,
            workshop__cancelled_at__isnull=True,
            workshop__starts_at__gte=start,
            workshop__starts_at__lt=end,
        )
        .exclude(email="")
        .select_related("workshop__place__commune")
    )
    sent = 0
    for registration in due:
        with transaction.atomic():
            updated = Registration.objects.filter(
                pk=registration.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not updated:
                continue  # another worker sent it
            send_templated_email(
                "workshops/emails/reminder",
                {
                    "workshop": registration.workshop,
                    "registration": registration,
                    "cancel_url": registration_url(registration),
                },
                [registration.email],
            )
            sent += 1
    return sent


# --- Public search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NearWorkshop:
    workshop: Workshop
    distance_km: float


def workshops_near(origin, *, radius_km=DEFAULT_RADIUS_KM, now=None, limit=PAGE_SIZE, offset=0):
    """Upcoming in-person workshops within `radius_km` of `origin`, soonest first.

    Two queries: the candidates' coordinates in the bounding box, then the page's workshops.
    Returns (items, has_next).
    """
    origin = Origin.of(origin)
    now = now or timezone.now()
    lat_min, lat_max, lon_min, lon_max = bounding_box(origin.latitude, origin.longitude, radius_km)
    rows = (
        Workshop.objects.upcoming(now)
        .filter(
            place__latitude__gte=lat_min,
            place__latitude__lte=lat_max,
            place__longitude__gte=lon_min,
            place__longitude__lte=lon_max,
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "place__latitude", "place__longitude")
    )
    point = (origin.latitude, origin.longitude)
    found = []
    for pk, lat, lon in rows:
        distance = distance_km(point, (lat, lon))
        if distance <= radius_km:
            found.append((pk, distance))
    page = found[offset : offset + limit]
    by_pk = (
        Workshop.objects.with_seats()
        .select_related("place__commune")
        .in_bulk([pk for pk, _ in page])
    )
    items = [NearWorkshop(by_pk[pk], distance) for pk, distance in page if pk in by_pk]
    return items, len(found) > offset + limit


def upcoming_remote(now=None, limit=PAGE_SIZE):
    now = now or timezone.now()
    return list(Workshop.objects.upcoming(now).filter(remote=True).with_seats()[:limit])


# --- Extension points ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingWorkshop:
    title: str
    starts_at: datetime.datetime
    url: str


def upcoming_at_place(place, now, limit):
    """Provider for the place page (cnum.places.services.register_upcoming_workshops_provider)."""
    workshops = Workshop.objects.upcoming(now).filter(place=place)[:limit]
    return [
        UpcomingWorkshop(w.title, w.starts_at, reverse("workshops:detail", kwargs={"pk": w.pk}))
        for w in workshops
    ]


def cra_initial(workshop):
    """Initial values of the workshop's collective activity record (docs/domaine.md#cra)."""
    present = workshop.registrations.filter(
        status=RegistrationStatus.INSCRITE, attended=True
    ).count()
    return {
        "type": "collectif",
        "date": timezone.localdate(workshop.starts_at),
        "duree": workshop.duration,
        "titre": workshop.title,
        "thematiques": list(workshop.thematiques),
        "niveau": workshop.niveau,
        "type_lieu": A_DISTANCE if workshop.remote else "lieu_activite",
        "lieu": A_DISTANCE if workshop.remote else workshop.place_id,
        "nb_participants": present,
    }


# --- Retention ----------------------------------------------------------------------------------

RETENTION_DAYS = 90


def purge_registrations(now=None, days=RETENTION_DAYS):
    """Delete the registrations (names and contacts) of workshops held more than `days` ago,
    and the requests never confirmed in time; the collective CRA keeps the number of
    participants. Returns the number deleted."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=days)
    lapsed = Q(status=RegistrationStatus.EN_ATTENTE, created_at__lte=now - confirmation_delay())
    deleted, _ = Registration.objects.filter(Q(workshop__starts_at__lt=limit) | lapsed).delete()
    return deleted
