"""Use cases of places: nearest-first search, saving a place, a conseiller's places."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cnum.places import hours as osm_hours
from cnum.places import nearby
from cnum.places.models import Place, PlaceConseiller
from cnum.places.moderation import Moderation, needs_review
from cnum.territories.models import Commune
from cnum.territories.services import bounding_box, distance_km
from cnum.workflow.engine import apply_transition

# Search rings: most searches stop at the first or second one.
RADII_KM = (5, 10, 20, 50, 100, 200, 500, 1000)
PAGE_SIZE = 20
# The columns PlaceFilters.matches reads (the same in the in-memory index).
_CANDIDATE_COLUMNS = nearby.COLUMNS


@dataclass(frozen=True)
class Origin:
    """Where a search starts: a commune's centre, or the centre of a postal code's communes."""

    label: str
    latitude: float
    longitude: float
    commune: Commune | None = None

    @classmethod
    def of(cls, value):
        if isinstance(value, Origin):
            return value
        if isinstance(value, Commune):
            return cls(value.libelle, value.latitude, value.longitude, value)
        latitude, longitude = value
        return cls(f"{latitude:.4f}, {longitude:.4f}", float(latitude), float(longitude))


@dataclass(frozen=True)
class PlaceFilters:
    """Any of the values within a criterion, all criteria together; `open_at` an aware datetime."""

    services: frozenset = frozenset()
    publics: frozenset = frozenset()
    prise_en_charge: frozenset = frozenset()
    frais: frozenset = frozenset()
    modalites: frozenset = frozenset()
    open_at: object = None
    open_day: int | None = None  # a weekday (Monday 0) the place opens on, at any hour

    @property
    def is_empty(self):
        return (
            self.open_at is None
            and self.open_day is None
            and not any(
                (self.services, self.publics, self.prise_en_charge, self.frais, self.modalites)
            )
        )

    def matches(self, row):
        _, _, _, services, publics, prises, frais, modalites, horaires = row
        if not services:
            # No service: not on the map nor in the directory (docs/domaine.md#lieux-visibilite).
            return False
        for wanted, values in (
            (self.services, services),
            (self.publics, publics),
            (self.prise_en_charge, prises),
            (self.frais, frais),
            (self.modalites, modalites),
        ):
            if wanted and wanted.isdisjoint(values):
                return False
        if self.open_at is None and self.open_day is None:
            return True
        try:
            hours = osm_hours.parse(horaires)
        except osm_hours.HoursError:
            return False
        if self.open_day is not None and not hours.days[self.open_day]:
            return False
        return self.open_at is None or osm_hours.is_open_at(hours, self.open_at)


@dataclass(frozen=True)
class NearPlace:
    place: Place
    distance_km: float


@dataclass
class NearbyPage:
    origin: Origin
    items: list = field(default_factory=list)
    has_next: bool = False
    radius_km: int = 0  # the ring searched; nothing nearer was left out


def _candidates(queryset, origin, radius_km, filters):
    lat_min, lat_max, lon_min, lon_max = bounding_box(origin.latitude, origin.longitude, radius_km)
    boxed = queryset.filter(
        latitude__gte=lat_min,
        latitude__lte=lat_max,
        longitude__gte=lon_min,
        longitude__lte=lon_max,
    )
    point = (origin.latitude, origin.longitude)
    found = []
    if filters.is_empty:
        # The common case: no list to decode, the database drops places without service.
        for pk, lat, lon in boxed.exclude(services=[]).values_list("pk", "latitude", "longitude"):
            distance = distance_km(point, (lat, lon))
            if distance <= radius_km:
                found.append((distance, pk))
    else:
        for row in boxed.values_list(*_CANDIDATE_COLUMNS):
            distance = distance_km(point, (row[1], row[2]))
            if distance <= radius_km and filters.matches(row):
                found.append((distance, row[0]))
    found.sort()
    return found


def _in_database(queryset, origin, rings, filters, needed):
    found, radius = [], 0
    for radius in rings:
        found = _candidates(queryset, origin, radius, filters)
        if len(found) >= needed:
            break
    return found, radius


def _in_memory(origin, rings, filters, needed):
    """The same rings over the process's index of public places (places.nearby)."""
    index = nearby.index()
    distances = index.distances(origin.latitude, origin.longitude)
    found, radius = [], 0
    for radius in rings:
        found = index.within(distances, radius, filters)
        if len(found) >= needed:
            break
    return [(float(distances[i]), int(index.pks[i])) for i in found[:needed]], radius


def places_near(origin, *, limit=PAGE_SIZE, offset=0, filters=None, queryset=None, max_km=1000):
    """Places offering services near `origin` (Commune, Origin or (lat, lon)), nearest first.

    Widens the search ring until it holds the page asked for (and one more, to know if a next
    page exists), up to `max_km`. A fixed number of queries whatever the result: one per ring
    tried (at most len(RADII_KM)) and one for the page's places.
    """
    origin = Origin.of(origin)
    if not (math.isfinite(origin.latitude) and math.isfinite(origin.longitude)):
        raise ValueError("Coordonnées invalides.")
    filters = filters or PlaceFilters()
    rings = [r for r in RADII_KM if r <= max_km]
    if queryset is None:
        found, radius = _in_memory(origin, rings, filters, offset + limit + 1)
    else:
        found, radius = _in_database(queryset, origin, rings, filters, offset + limit + 1)
    page = found[offset : offset + limit]
    by_pk = Place.objects.select_related("commune").in_bulk([pk for _, pk in page])
    items = [NearPlace(by_pk[pk], distance) for distance, pk in page if pk in by_pk]
    return NearbyPage(origin, items, has_next=len(found) > offset + limit, radius_km=radius)


def public_places_in(*, departement=None, commune=None):
    """Public places of a département or a commune (its arrondissements included), for the
    embeddable map's pre-filters."""
    places = Place.objects.public()
    if departement is not None:
        places = places.filter(commune__departement=departement)
    if commune is not None:
        places = places.filter(Q(commune=commune) | Q(commune__parent=commune))
    return places


def with_next_openings(places, now):
    """Set `open_now` and `next_opening` (French, empty when open) on each place shown."""
    for place in places:
        place.open_now = place.is_open_at(now)
        place.next_opening = "" if place.open_now else next_opening_text(place, now)
    return places


def next_opening_text(place, now):
    if not place.welcomes_public:
        return ""
    return osm_hours.next_opening_text(place.opening_hours, now)


# --- Managing places ----------------------------------------------------------------------------


@transaction.atomic
def save_place(place, actor):
    """Store a place whose fields the form checked; hours are kept in canonical form.

    An edit that the administration's decision no longer covers sends the place back for
    review (moderation.needs_review)."""
    place.horaires = osm_hours.normalise(place.horaires)
    place.full_clean(exclude=["structure", "commune"])
    place.save()
    if needs_review(place):
        apply_transition(place, Moderation.PENDING, actor, "Lieu modifié : nouvel examen.")
    return place


def decide_moderation(place, actor, *, approve, reason=""):
    """The administration approves or refuses a place (logged; the managers get an e-mail)."""
    to = Moderation.APPROVED if approve else Moderation.REFUSED
    return apply_transition(place, to, actor, reason)


@transaction.atomic
def delete_place(place):
    place.delete()


def conseillers_of(place):
    return [
        link.conseiller
        for link in place.conseiller_links.select_related("conseiller").order_by(
            "-is_main", "conseiller__last_name", "conseiller__first_name"
        )
    ]


@transaction.atomic
def set_conseiller_places(conseiller, places, *, main=None, among=None):
    """The conseiller now works at `places` (main one: `main`, which must be among them).

    `among` restricts what is replaced (the places of the conseiller's structures): links to
    places elsewhere are left alone.
    """
    places = {place.pk: place for place in places}
    if main is not None:
        places[main.pk] = main
    links = PlaceConseiller.objects.select_for_update(of=("self",)).filter(conseiller=conseiller)
    if among is not None:
        links = links.filter(place__in=among)
    links.exclude(place_id__in=places).delete()
    # Clear the main flag first: the one-main-place constraint holds at every statement.
    PlaceConseiller.objects.filter(conseiller=conseiller, is_main=True).exclude(
        place_id=getattr(main, "pk", None)
    ).update(is_main=False)
    for pk in places:
        PlaceConseiller.objects.update_or_create(
            conseiller=conseiller,
            place_id=pk,
            defaults={"is_main": main is not None and pk == main.pk},
        )


def main_place(conseiller):
    link = (
        PlaceConseiller.objects.select_related("place__commune")
        .filter(conseiller=conseiller, is_main=True)
        .first()
    )
    return link.place if link else None


# --- Extension point: upcoming workshops ---------------------------------------------------------

# Workshops belong to the activity app, which registers a provider here:
# provider(place, now, limit) -> list of objects with `title`, `starts_at`, `url` (optional).
UPCOMING_WORKSHOP_PROVIDERS: list[Callable] = []


def register_upcoming_workshops_provider(provider):
    if provider not in UPCOMING_WORKSHOP_PROVIDERS:
        UPCOMING_WORKSHOP_PROVIDERS.append(provider)
    return provider


def upcoming_workshops(place, limit=5):
    now = timezone.now()
    found = []
    for provider in UPCOMING_WORKSHOP_PROVIDERS:
        found.extend(provider(place, now, limit))
    return sorted(found, key=lambda workshop: workshop.starts_at)[:limit]
