"""Rollups recomputed from the raw records: full rebuild, check and repair.

Records are streamed in the order of the conseiller index (one cursor for the records, one query
per chunk for the collective records' beneficiaries) as raw rows, whose measures are computed once
per distinct content, and summed per rollup key in memory; the
sums are flushed with the upkeep's upsert whenever many keys are pending, so memory is bounded
by the number of keys, never by the number of records. The check recomputes into a temporary
table with the same key and compares both in SQL. Rows whose measures are all zero (left by
deletions) are the same as absent rows for the check.

The rollup table is locked against writers for the duration (PostgreSQL: EXCLUSIVE mode, which
still lets readers through): a record saved meanwhile waits, then applies its delta to the
rebuilt rows, so nothing is counted twice or lost.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from cnum.activity.models import Cra
from cnum.stats import last_activity, upkeep
from cnum.stats.contributions import Tally, stream_rows
from cnum.stats.measures import MEASURE_COLUMNS
from cnum.stats.models import YEAR_LEVELS, YearRollup
from cnum.stats.upkeep import (
    KEY_COLUMNS,
    TABLE,
    YEAR_KEY_COLUMNS,
    YEAR_MEASURES,
    YEAR_TABLE,
)

CHUNK = 20_000
FLUSH_KEYS = 50_000  # pending grouped keys before the sums are written out
CHECK_TABLE = "stats_rollup_check"


def quote(name):
    return connection.ops.quote_name(name)


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = ", ".join(quote(t) for t in (TABLE, YEAR_TABLE, last_activity.TABLE))
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def recompute(table, progress=None):
    """Add the contributions of every live record to `table` (expected empty)."""
    total = Cra.objects.alive().count()
    done = 0
    tally = Tally()
    # In the order of the conseiller index: a conseiller's records of a month are summed in
    # memory before any row is written, so each rollup row is written about once.
    records = Cra.objects.alive().order_by("conseiller_id", "-date")
    for rows, followers in stream_rows(records, CHUNK):
        for row in rows:
            tally.add_row(row, followers.get(row[0], ()))
        done += len(rows)
        if len(tally) >= FLUSH_KEYS:
            upkeep.apply(tally.rows(), table)
            tally = Tally()
        if progress:
            progress(done, total)
    upkeep.apply(tally.rows(), table)
    return done


@transaction.atomic
def rebuild(progress=None):
    """Empty the rollups and recompute them; returns the number of records read."""
    _lock()
    with connection.cursor() as cursor:
        for table in (TABLE, YEAR_TABLE):
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 — identifiers only
    done = recompute(TABLE, progress)
    last_activity.rebuild()
    return done


@dataclass(frozen=True)
class Difference:
    key: tuple  # KEY_COLUMNS values
    stored: tuple  # measures as stored (zeros when the row is missing)
    expected: tuple  # measures recomputed from the records

    def describe(self):
        level, scope, departement, structure_id, month, type_, thematique = self.key
        where = (
            f"niveau {level} « {scope} », département « {departement or '—'} », structure "
            f"{structure_id or '—'}, mois {month:%m/%Y}, type {type_}, thématique "
            f"« {thematique or 'toutes'} »"
        )
        columns = [
            f"{column} : enregistré {stored}, attendu {expected}"
            for column, stored, expected in zip(
                MEASURE_COLUMNS, self.stored, self.expected, strict=True
            )
            if stored != expected
        ]
        return f"{where} — " + " ; ".join(columns)


@dataclass(frozen=True)
class YearDifference:
    key: tuple  # YEAR_KEY_COLUMNS values
    stored: tuple  # (records, accompagnements) as stored, zeros when missing
    expected: tuple  # the same summed from the recomputed monthly rows

    def describe(self):
        level, scope, departement, structure_id, year, month, type_ = self.key
        when = f"mois {month:02}/{year}" if month else f"année {year}"
        columns = [
            f"{column} : enregistré {stored}, attendu {expected}"
            for column, stored, expected in zip(
                YEAR_MEASURES, self.stored, self.expected, strict=True
            )
            if stored != expected
        ]
        return (
            f"agrégat annuel : niveau {level} « {scope} », département « {departement or '—'} », "
            f"structure {structure_id or '—'}, {when}, type {type_} — " + " ; ".join(columns)
        )


def _create_check_table():
    columns = ", ".join(quote(c) for c in (*KEY_COLUMNS, *MEASURE_COLUMNS))
    keys = ", ".join(quote(c) for c in KEY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(CHECK_TABLE)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(CHECK_TABLE)} AS "  # noqa: S608 — identifiers only
            f"SELECT {columns} FROM {quote(TABLE)} WHERE 1 = 0"
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX {quote(CHECK_TABLE + '_key')} ON {quote(CHECK_TABLE)} ({keys})"
        )


def _differences():
    """Stored rows that differ from the recomputed ones, and recomputed rows not stored.
    (Identifiers only are formatted into the SQL, all quoted.)"""
    same_key = " AND ".join(f"s.{quote(c)} = c.{quote(c)}" for c in KEY_COLUMNS)
    differs = " OR ".join(f"s.{quote(c)} <> COALESCE(c.{quote(c)}, 0)" for c in MEASURE_COLUMNS)
    keys_s = ", ".join(f"s.{quote(c)}" for c in KEY_COLUMNS)
    keys_c = ", ".join(f"c.{quote(c)}" for c in KEY_COLUMNS)
    stored = ", ".join(f"s.{quote(c)}" for c in MEASURE_COLUMNS)
    expected = ", ".join(f"COALESCE(c.{quote(c)}, 0)" for c in MEASURE_COLUMNS)
    measures_c = ", ".join(f"c.{quote(c)}" for c in MEASURE_COLUMNS)
    n_keys, n_measures = len(KEY_COLUMNS), len(MEASURE_COLUMNS)
    queries = (
        f"SELECT {keys_s}, {stored}, {expected} FROM {quote(TABLE)} s "  # noqa: S608
        f"LEFT JOIN {quote(CHECK_TABLE)} c ON {same_key} WHERE {differs}",
        f"SELECT {keys_c}, {', '.join(['0'] * n_measures)}, {measures_c} "  # noqa: S608
        f"FROM {quote(CHECK_TABLE)} c WHERE NOT EXISTS "
        f"(SELECT 1 FROM {quote(TABLE)} s WHERE {same_key})",
    )
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            for row in cursor.fetchall():
                key = _normalise_key(row[:n_keys])
                yield Difference(
                    key, tuple(row[n_keys : n_keys + n_measures]), tuple(row[n_keys + n_measures :])
                )


def _normalise_key(key):
    from django.utils.dateparse import parse_date

    key = list(key)
    if isinstance(key[4], str):  # SQLite returns raw dates from a temporary table
        key[4] = parse_date(key[4])
    return tuple(key)


@transaction.atomic
def check(fix=False, progress=None):
    """Differences between stored rollups and the records; with `fix`, the differing rows are
    rewritten (and only them). Returns the list of `Difference`."""
    _lock()
    _create_check_table()
    try:
        recompute(CHECK_TABLE, progress)
        differences = sorted(_differences(), key=lambda d: d.key)
        year_differences = _year_differences()
        if fix:
            _rewrite(differences)
            _rewrite_years(year_differences)
            last_activity.rebuild()  # one grouped query: cheaper than comparing
        differences += year_differences
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(CHECK_TABLE)}")
    return differences


def _rewrite(differences):
    where = " AND ".join(f"{quote(c)} = %s" for c in KEY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {quote(TABLE)} WHERE {where}",  # noqa: S608 — values are bound
            [d.key for d in differences],
        )
    # The yearly rows are compared and rewritten on their own (`_rewrite_years`).
    upkeep.apply({d.key: list(d.expected) for d in differences if any(d.expected)}, years=False)


def _year_differences():
    """Yearly rows that differ from the yearly sums of the recomputed monthly rows."""
    expected = upkeep.year_sums(_check_rows())
    stored = {
        tuple(row[:-2]): tuple(row[-2:])
        for row in YearRollup.objects.values_list(*YEAR_KEY_COLUMNS, *YEAR_MEASURES)
        if any(row[-2:])
    }
    zeros = (0,) * len(YEAR_MEASURES)
    return sorted(
        (
            YearDifference(key, stored.get(key, zeros), tuple(expected.get(key, zeros)))
            for key in stored.keys() | expected.keys()
            if stored.get(key, zeros) != tuple(expected.get(key, zeros))
        ),
        key=lambda d: d.key,
    )


def _check_rows():
    """(key, [records, accompagnements]) of the recomputed rows of the yearly levels."""
    levels = [level.value for level in YEAR_LEVELS]
    columns = ", ".join(quote(c) for c in (*KEY_COLUMNS, *YEAR_MEASURES))
    n = len(KEY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(CHECK_TABLE)} "  # noqa: S608 — identifiers only
            f"WHERE {quote('level')} IN ({', '.join(['%s'] * len(levels))})",
            levels,
        )
        while rows := cursor.fetchmany(10_000):
            for row in rows:
                yield _normalise_key(row[:n]), row[n:]


def _rewrite_years(differences):
    for difference in differences:
        filters = dict(zip(YEAR_KEY_COLUMNS, difference.key, strict=True))
        YearRollup.objects.filter(**filters).delete()
        if any(difference.expected):
            YearRollup.objects.create(
                **filters, **dict(zip(YEAR_MEASURES, difference.expected, strict=True))
            )
