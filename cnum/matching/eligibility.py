"""Live eligibility: which candidates a validated structure sees, nearest first
(docs/domaine.md#eligibilite, docs/mises-en-relation.md).

Nothing is stored: every change of a candidate (zone, distance, availability) or of a structure
(decision, status) shows at once. A candidate is eligible for a structure when the profile is
active and available, the home commune lies in the same territory (mainland and Corsica
together; each overseas département or collectivité alone), and the great-circle distance between
the two communes' centres is at most the candidate's OWN maximum distance.

How it stays fast (see bench/matching.py): the distance rule is decided per commune in Python
(the communes within 100 km of the structure, one indexed bounding-box query, cached per commune),
so the SQL only says, for each max-distance bucket d ≤ 100, `max_distance_km = d AND commune_id
IN (communes within d km)`, and for the 2 000 km bucket `commune_id` in the territory's range of
INSEE codes. Each part is a range of the partial index `candidate_eligible`
(max_distance_km, commune_id) — see migration 0003.

Ordering by distance uses, in SQL and in Python alike, an equirectangular key (plain arithmetic,
cos(latitude) of the structure computed in Python): identical floats on both sides, so pages are
consistent. Eligibility and the distances shown use the exact great-circle distance; the key only
orders, and differs from it by less than 2 % within 100 km (tested).
"""

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Max, Min, Q

from cnum.candidates.models import CandidateProfile
from cnum.matching.policies import may_see_candidates
from cnum.territories.models import Commune, Departement
from cnum.territories.services import EARTH_RADIUS_KM, bounding_box, distance_km

LOCAL_BUCKETS = (5, 10, 15, 20, 40, 100)
NATIONAL = 2000
BUCKETS = (*LOCAL_BUCKETS, NATIONAL)  # every maximum distance a candidate may choose
LOCAL_RADIUS = 100
# Below this (km) the ordering key of a commune inside the 100 km circle can never exceed that
# of a commune outside it (key error < 2 % at 100 km): a page whose nearest communes all lie
# within it is served from the local communes alone.
SAFE_PREFIX_KM = 90
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
MAINLAND = "metropole"


def territory_of(departement_code):
    """Mainland and Corsica are one territory; each overseas département/collectivité its own."""
    return MAINLAND if len(departement_code) == 2 else departement_code


@lru_cache(maxsize=64)
def territory_codes(territory):
    """(first, last) INSEE code of the territory's communes, checked contiguous: the territory
    condition becomes an index range on the candidate's commune_id. The départements come from
    Commune.departement (reference data), never from a postal code."""
    if territory == MAINLAND:
        codes = Departement.objects.values_list("code", flat=True)
        communes = Commune.objects.filter(
            departement_id__in=[code for code in codes if territory_of(code) == MAINLAND]
        )
    else:
        communes = Commune.objects.filter(departement_id=territory)
    bounds = communes.aggregate(first=Min("code_insee"), last=Max("code_insee"))
    first, last = bounds["first"], bounds["last"]
    if first is None:
        return None
    intruders = Commune.objects.filter(code_insee__gte=first, code_insee__lte=last).exclude(
        pk__in=communes.values("pk")
    )
    if intruders.exists():  # never with the INSEE reference; refuse rather than mix territories
        raise ValueError(f"Codes INSEE du territoire {territory} non contigus.")
    return first, last


@lru_cache(maxsize=64)
def territory_departements(territory):
    """The codes of the territory's départements (sorted)."""
    codes = Departement.objects.values_list("code", flat=True)
    return sorted(code for code in codes if territory_of(code) == territory)


@lru_cache(maxsize=64)
def _territory_box(territory):
    first, last = territory_codes(territory)
    return Commune.objects.filter(code_insee__gte=first, code_insee__lte=last).aggregate(
        Min("latitude"), Max("latitude"), Min("longitude"), Max("longitude")
    )


def _territory_far_communes(territory, lat, lon):
    """Communes of the territory farther than 2 000 km: none in today's reference (the widest
    territory, the mainland, spans ~1 500 km), but the rule is the rule."""
    box = _territory_box(territory)
    corners = [
        (box[f"latitude__{a}"], box[f"longitude__{b}"])
        for a in ("min", "max")
        for b in ("min", "max")
    ]
    if all(distance_km((lat, lon), corner) <= NATIONAL for corner in corners):
        return frozenset()
    first, last = territory_codes(territory)
    communes = Commune.objects.filter(code_insee__gte=first, code_insee__lte=last)
    return frozenset(
        code
        for code, c_lat, c_lon in communes.values_list("code_insee", "latitude", "longitude")
        if distance_km((lat, lon), (c_lat, c_lon)) > NATIONAL
    )


@lru_cache(maxsize=64)
def territory_points(territory):
    """The territory's communes as (latitudes, [(latitude, longitude, code)]), both sorted by
    latitude: reference data, read once per process (as the caches of this module), so that the
    communes around a structure are a slice of it rather than an index range query reading a
    band of latitude across the whole country (≈ 5 ms)."""
    first, last = territory_codes(territory)
    rows = sorted(
        Commune.objects.filter(code_insee__gte=first, code_insee__lte=last)
        .order_by()
        .values_list("latitude", "longitude", "code_insee")
    )
    return [row[0] for row in rows], rows


@lru_cache(maxsize=4096)
def local_communes(code_insee):
    """{commune code: (great-circle km, ordering key)} of the communes of the same territory
    within 100 km of `code_insee`'s centre."""
    lat, lon, departement = Commune.objects.values_list(
        "latitude", "longitude", "departement_id"
    ).get(pk=code_insee)
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, LOCAL_RADIUS)
    latitudes, points = territory_points(territory_of(departement))
    band = points[bisect_left(latitudes, lat_min) : bisect_right(latitudes, lat_max)]
    rows = [(code, c_lat, c_lon) for c_lat, c_lon, code in band if lon_min <= c_lon <= lon_max]
    cos = math.cos(math.radians(lat))
    # territories.services.distance_km inlined, same operations in the same order (identical
    # floats), with the structure's side computed once: this loop runs for ~4 000 communes
    # around a large city.
    lat1, lon1 = math.radians(lat), math.radians(lon)
    cos1 = math.cos(lat1)
    radians, sin, asin, sqrt, cosine = math.radians, math.sin, math.asin, math.sqrt, math.cos
    diameter = 2 * EARTH_RADIUS_KM
    found = {}
    for code, c_lat, c_lon in rows:
        lat2, lon2 = radians(c_lat), radians(c_lon)
        h = sin((lat2 - lat1) / 2) ** 2 + cos1 * cosine(lat2) * sin((lon2 - lon1) / 2) ** 2
        km = diameter * asin(min(1.0, sqrt(h)))
        if km <= LOCAL_RADIUS:
            found[code] = (km, ordering_key(lat, lon, cos, c_lat, c_lon))
    return found


@lru_cache(maxsize=4096)
def _bucket_codes(code_insee, max_km=None):
    """Per bucket, the communes within its radius (capped at 100 km and at `max_km`): the
    2 000 km exclusion never bites this close. Nearest first: each list is a prefix of the next."""
    by_km = sorted((km, code) for code, (km, _) in local_communes(code_insee).items())
    distances = [km for km, _ in by_km]
    codes = [code for _, code in by_km]
    found = {}
    for bucket in BUCKETS:
        radius = min(bucket, LOCAL_RADIUS, max_km or LOCAL_RADIUS)
        found[bucket] = codes[: bisect_right(distances, radius)]
    return found


def ordering_key(lat0, lon0, cos0, lat, lon):
    """Squared equirectangular distance in degrees: the same operations, in the same order, as
    the SQL of cnum.matching.queries (identical floats on both sides)."""
    dx = (lon - lon0) * cos0
    dy = lat - lat0
    return dx * dx + dy * dy


def key_km(key):
    """The ordering key as (approximate) kilometres."""
    return math.sqrt(key) * KM_PER_DEGREE


@dataclass(frozen=True)
class Filters:
    """What a manager narrows the list with; all optional."""

    diploma: bool = False
    pix_min: int | None = None
    has_cv: bool = False
    former: bool = False
    max_km: int | None = None
    name: str = ""

    def q(self, prefix=""):
        """The filters on CandidateProfile (or through `prefix`, e.g. "candidate__")."""
        q = Q()
        if self.diploma:
            q &= Q(**{f"{prefix}has_diploma": True})
        if self.pix_min:
            q &= Q(**{f"{prefix}pix_level__gte": self.pix_min})
        if self.has_cv:
            q &= ~Q(**{f"{prefix}cv_file": ""})
        if self.former:
            q &= Q(**{f"{prefix}is_former_conseiller": True})
        for word in self.name.split()[:5]:
            q &= Q(**{f"{prefix}user__last_name__icontains": word}) | Q(
                **{f"{prefix}user__first_name__icontains": word}
            )
        return q


class Eligibility:
    """Eligibility of candidates for one structure: SQL conditions, distances, ordering key."""

    def __init__(self, structure):
        self.structure = structure
        commune = structure.commune
        self.is_open = may_see_candidates(structure)
        self.lat, self.lon = commune.latitude, commune.longitude
        self.cos = math.cos(math.radians(self.lat))
        self.territory = territory_of(commune.departement_id)
        self.range = territory_codes(self.territory)
        self.departements = territory_departements(self.territory)
        self.local = local_communes(commune.pk)
        self.far_excluded = _territory_far_communes(self.territory, self.lat, self.lon)

    # Distances

    def key(self, lat, lon):
        return ordering_key(self.lat, self.lon, self.cos, lat, lon)

    def distance_to(self, commune):
        """Great-circle km from the structure to `commune` (a Commune)."""
        known = self.local.get(commune.pk)
        if known is not None:
            return known[0]
        return distance_km((self.lat, self.lon), (commune.latitude, commune.longitude))

    # Rules

    def in_territory(self, code_insee):
        return self.range is not None and self.range[0] <= code_insee <= self.range[1]

    def admits(self, code_insee, max_distance_km, km=None):
        """Does the distance rule admit a home in `code_insee` with this maximum distance?"""
        if not self.is_open or not self.in_territory(code_insee):
            return False
        if max_distance_km >= NATIONAL:
            return code_insee not in self.far_excluded
        if km is None:
            km = self.local.get(code_insee, (None,))[0]
        return km is not None and km <= max_distance_km

    def is_eligible(self, profile):
        return (
            profile.activated_at is not None
            and profile.is_available
            and self.admits(profile.commune_id, profile.max_distance_km)
        )

    # SQL

    def bucket_codes(self, max_km=None):
        """{max-distance bucket: codes of the communes it admits within 100 km, nearest first}."""
        return _bucket_codes(self.structure.commune_id, max_km)

    def local_q(self, max_km=None):
        """Eligible homes within 100 km (every bucket), optionally within `max_km`."""
        q = Q(pk__in=[])
        if self.is_open:
            for bucket, codes in self.bucket_codes(max_km).items():
                if codes:
                    q |= Q(max_distance_km=bucket, commune_id__in=codes)
        return q

    def national_q(self):
        """The 2 000 km bucket anywhere in the territory (includes the local part of it)."""
        if not self.is_open or self.range is None:
            return Q(pk__in=[])
        first, last = self.range
        q = Q(max_distance_km=NATIONAL, commune_id__gte=first, commune_id__lte=last)
        if self.far_excluded:
            q &= ~Q(commune_id__in=sorted(self.far_excluded))
        return q

    def eligible_q(self, max_km=None):
        if max_km:
            return self.local_q(max_km=max_km)
        return self.local_q() | self.national_q()

    def candidates(self):
        """Every eligible active, available profile (unordered, unfiltered), as a queryset for
        other uses (the screen itself goes through cnum.matching.queries)."""
        return CandidateProfile.objects.active().filter(is_available=True).filter(self.eligible_q())
