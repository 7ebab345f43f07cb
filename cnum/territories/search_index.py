"""The commune search index kept in each process (docs/territoires.md#recherche).

Commune search answers every keystroke of every commune field: it must cost less than a round
trip's worth of sorting. The search keys and postal codes of the loaded reference are kept in
sorted lists; a prefix is two bisections, and the best communes of a prefix are ranked once and
remembered. The index is stamped with the checksum of the loaded reference file
(`ReferenceDataset`), read with each search: a new file loaded by any process is seen at once.
"""

import threading
from bisect import bisect_left, bisect_right
from operator import itemgetter

from django.db import connection

from cnum.territories.models import CodePostal, Commune, CommuneSearchKey, ReferenceDataset

# The most results a search may ask for (search_communes caps its limit there).
MAX_RESULTS = 100
_REMEMBERED_PREFIXES = 20_000


class SearchIndex:
    def __init__(self):
        communes = Commune.objects.values_list("code_insee", "departement_id", "population")
        self.departement = {}
        self.population = {}
        for code, departement, population in communes.iterator(chunk_size=10_000):
            self.departement[code] = departement
            self.population[code] = population
        rows = sorted(
            CommuneSearchKey.objects.values_list(
                "key", "commune_id", "former_id", "whole_name", "population"
            ).iterator(chunk_size=10_000),
            key=itemgetter(0),
        )
        self.keys = [row[0] for row in rows]
        self.entries = [row[1:] for row in rows]
        postal = sorted(CodePostal.objects.values_list("code", "commune_id"))
        self.postal_codes = [code for code, _ in postal]
        self.postal_communes = [commune for _, commune in postal]
        self._best = {}

    def by_name(self, prefix, departement=None):
        """(commune, former commune or None) of the keys starting with `prefix`, best first:
        the exact whole name, communes' own names before former names, then by population."""
        remembered = self._best.get((prefix, departement))
        if remembered is None:
            remembered = self._rank(prefix, departement)
            if len(self._best) >= _REMEMBERED_PREFIXES:
                self._best.clear()
            self._best[(prefix, departement)] = remembered
        return remembered

    def _rank(self, prefix, departement):
        start, end = _prefix_range(self.keys, prefix)

        def rank(position):
            commune, former, whole, population = self.entries[position]
            exact = whole and self.keys[position] == prefix
            return (not exact, former is not None, -population, commune, former or "")

        positions = range(start, end)
        if departement:
            positions = [
                p for p in positions if self.departement[self.entries[p][0]] == departement
            ]
        best = {}
        for position in sorted(positions, key=rank):
            commune, former = self.entries[position][:2]
            best.setdefault(commune, former)
            if len(best) == MAX_RESULTS:
                break
        return list(best.items())

    def by_postal_code(self, code):
        start, end = bisect_left(self.postal_codes, code), bisect_right(self.postal_codes, code)
        return self.postal_communes[start:end]

    def by_postal_prefix(self, prefix):
        """Communes with a postal code starting with `prefix`, most populated first."""
        start, end = _prefix_range(self.postal_codes, prefix)
        communes = set(self.postal_communes[start:end])
        return sorted(communes, key=lambda code: (-self.population[code], code))


def _prefix_range(keys, prefix):
    return bisect_left(keys, prefix), bisect_left(keys, prefix + "\x7f")


_lock = threading.Lock()
_state = {"checksum": None, "index": None}


def index():
    """This process's index of the loaded reference, rebuilt when another file was loaded."""
    checksum = _loaded_checksum()
    with _lock:
        if _state["index"] is None or _state["checksum"] != checksum:
            _state["index"] = SearchIndex()
            _state["checksum"] = checksum
        return _state["index"]


def _loaded_checksum():
    from cnum.territories.loading import DATASET_NAME

    # Plain SQL: one indexed row on every keystroke, without the ORM's query building.
    table = connection.ops.quote_name(ReferenceDataset._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT checksum FROM {table} WHERE name = %s", [DATASET_NAME])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None
