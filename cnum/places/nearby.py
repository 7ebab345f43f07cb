"""The nearest-places index kept in each process (docs/lieux.md#plus-proches).

The map's "nearest first" search is the busiest public read. Every public place offering a
service is kept in memory: coordinates in NumPy arrays (one vectorised haversine over 50,000
places costs about a millisecond) and the few columns the filters read. The index is stamped
with a version token held in the shared cache: every write that can change the map (a place
saved or deleted, a structure's status) draws a new token, at once and again at commit, so each
process rebuilds on its next search and never answers from data older than the last commit.
A missing token (cache cleared, cold start) also means "rebuild".
"""

import threading
import uuid

import numpy as np
from django.core.cache import cache
from django.db import transaction

from cnum.territories.services import EARTH_RADIUS_KM

VERSION_KEY = "places:nearby-version"
# The columns PlaceFilters.matches reads, in its order.
COLUMNS = (
    "pk",
    "latitude",
    "longitude",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_accompagnement",
    "horaires",
)


def bump():
    """Places changed: every process rebuilds its index on its next search."""
    _new_token()
    transaction.on_commit(_new_token)


def _new_token():
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


def current_token():
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY)
    return token


class NearbyIndex:
    """Public places with at least one service: pks, coordinates (radians) and filter rows."""

    def __init__(self, rows):
        canonical = {}  # places share a few distinct lists: keep one frozenset of each

        def shared(value):
            value = frozenset(value) if isinstance(value, list) else value
            return canonical.setdefault(value, value)

        self.rows = [tuple(shared(v) for v in row) for row in rows]
        self.pks = np.array([row[0] for row in self.rows], dtype=np.int64)
        self.lat = np.radians(np.array([row[1] for row in self.rows], dtype=np.float64))
        self.lon = np.radians(np.array([row[2] for row in self.rows], dtype=np.float64))
        self.cos_lat = np.cos(self.lat)

    def distances(self, latitude, longitude):
        """Haversine to every place, as territories.services.distance_km computes it."""
        lat, lon = np.radians(latitude), np.radians(longitude)
        h = (
            np.sin((self.lat - lat) / 2) ** 2
            + np.cos(lat) * self.cos_lat * np.sin((self.lon - lon) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))

    def within(self, distances, radius_km, filters):
        """Positions of the places within the ring that pass the filters, nearest first."""
        inside = np.flatnonzero(distances <= radius_km)
        if not filters.is_empty:
            inside = np.array([i for i in inside if filters.matches(self.rows[i])], dtype=np.int64)
        order = np.lexsort((self.pks[inside], distances[inside]))
        return inside[order]


_lock = threading.Lock()
_state = {"token": None, "index": None}


def index():
    """This process's index, rebuilt when the shared token moved since it was built."""
    token = current_token()
    with _lock:
        if _state["token"] != token:
            _state["index"] = _build()
            _state["token"] = token
        return _state["index"]


def _build():
    from cnum.places.models import Place

    rows = Place.objects.public().exclude(services=[]).values_list(*COLUMNS)
    return NearbyIndex(rows.iterator(chunk_size=5000))
