"""A dashboard's figures split by type of activity, or compared across régions, départements,
structures or conseillers (the drill-down tables and the map).

Each split is one grouped query over the rollup rows that cnum.stats.queries reads for the
same filter (`rows_filter`), so its parts add up to the dashboard's totals. A split the rollups
cannot give (see `ActivityFilter.needs_records`) is None, never a wrong number.
"""

from dataclasses import replace

from django.db.models import Sum

from cnum.activity.enums import CraType
from cnum.stats.models import LEVELS_BY_THEMATIQUE, ActivityRollup, Level
from cnum.stats.queries import activity_figures, rows_filter

COLUMNS = ("records", "accompagnements", "minutes")


def _grouped(f, level, key):
    rows = ActivityRollup.objects.filter(rows_filter(f, level))
    grouped = rows.values(key).annotate(**{f"sum_{c}": Sum(c) for c in COLUMNS})
    return {
        row[key]: {c: row[f"sum_{c}"] or 0 for c in COLUMNS}
        for row in grouped
        if row["sum_records"]
    }


def by_type(f):
    """{CRA type: {column: count}} within `f`."""
    if f.needs_records():
        return {
            t: {c: activity_figures(replace(f, type=t)).totals[c] for c in COLUMNS}
            for t in CraType.values
            if f.type in (None, t)
        }
    return _grouped(f, f.level(), "type")


def _comparable(f, level):
    """Whether rows of `level` can be split for `f` without mixing other levels' filters."""
    if f.place_id is not None:
        return False
    if f.thematique and level not in LEVELS_BY_THEMATIQUE:
        return False
    return level == Level.CONSEILLER or f.conseiller_ids is None


def by_departement(f):
    """{département code: {column: count}}; records without a département are left out."""
    if not _comparable(f, Level.DEPARTEMENT):
        return None
    grouped = _grouped(f, Level.DEPARTEMENT, "departement")
    grouped.pop("", None)
    return grouped


def by_structure(f):
    if not _comparable(f, Level.STRUCTURE):
        return None
    grouped = _grouped(f, Level.STRUCTURE, "structure_id")
    grouped.pop(0, None)  # records without a structure
    return grouped


def by_conseiller(f):
    if not _comparable(f, Level.CONSEILLER):
        return None
    return {int(k): v for k, v in _grouped(f, Level.CONSEILLER, "scope").items()}
