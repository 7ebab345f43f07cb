"""Rollups kept in step with the records, in the transaction that changes them.

`records_changing` subtracts what the records contribute now, `records_changed` adds what they
contribute after the change (cnum.activity.signals). Deltas are summed per rollup key first,
then added to each key's row (`col = col + excluded.col`) by one upsert per table, keys sorted
so that concurrent transactions lock rows in the same order and cannot deadlock
(docs/statistiques.md#entretien).
"""

import json
from contextlib import contextmanager
from functools import lru_cache

from django.db import connection

from cnum.stats import last_activity
from cnum.stats.contributions import Tally, load_facts
from cnum.stats.measures import MEASURE_COLUMNS
from cnum.stats.models import ALL, YEAR_LEVELS, ActivityRollup, YearRollup

KEY_COLUMNS = ("level", "scope", "departement", "structure_id", "month", "type", "thematique")
TABLE = ActivityRollup._meta.db_table
YEAR_KEY_COLUMNS = ("level", "scope", "departement", "structure_id", "year", "month", "type")
YEAR_MEASURES = ("records", "accompagnements")
YEAR_MEASURE_INDEXES = tuple(MEASURE_COLUMNS.index(c) for c in YEAR_MEASURES)
YEAR_LEVEL_VALUES = frozenset(level.value for level in YEAR_LEVELS)
YEAR_TABLE = YearRollup._meta.db_table


@lru_cache(maxsize=1024)
def upsert_sql(table, columns, keys, rows=1):
    """INSERT of `rows` rows … ON CONFLICT (keys) DO UPDATE adding the new values (PostgreSQL,
    SQLite ≥ 3.24). The rows' keys must differ: a statement cannot update a row twice."""
    quote = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(columns))})"
    return (
        f"INSERT INTO {quote(table)} AS t ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)}{_on_conflict(columns, keys)}"
    )


@lru_cache(maxsize=1024)
def json_upsert_sql(table, columns, keys):
    """The same upsert with its rows in one JSON parameter (PostgreSQL): a list of objects of
    `columns`, taken in their order."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return (
        f"INSERT INTO {quote(table)} AS t ({names}) SELECT {names} "  # noqa: S608
        f"FROM jsonb_populate_recordset(NULL::{quote(table)}, %s) WITH ORDINALITY AS r "
        f"ORDER BY r.ordinality{_on_conflict(columns, keys)}"
    )


def _on_conflict(columns, keys):
    quote = connection.ops.quote_name
    updates = ", ".join(f"{quote(c)} = t.{quote(c)} + excluded.{quote(c)}"
                        for c in columns if c not in keys)  # fmt: skip
    return f" ON CONFLICT ({', '.join(quote(c) for c in keys)}) DO UPDATE SET {updates}"


STAGE = "stats_rollup_stage"
# Keys from which COPY + one statement replaces the multi-row upserts (PostgreSQL; measured
# against one upsert per key, before those).
COPY_FROM = 200
UPSERT_ROWS = 100  # rows per upsert statement: 100 × ~130 values stays under SQLite's limit


def apply(rows, table=TABLE, *, years=True):
    """Add `rows` ({key: [delta per measure column]}) to the rollup table, keys in order; the
    rollup table's deltas also go to the yearly rows (`year_rows`) unless `years` is false."""
    if not rows:
        return
    with pipeline(len(rows)):
        _upsert(table, (*KEY_COLUMNS, *MEASURE_COLUMNS), KEY_COLUMNS, rows)
        if table == TABLE and years:
            year = year_rows(rows)
            _upsert(YEAR_TABLE, (*YEAR_KEY_COLUMNS, *YEAR_MEASURES), YEAR_KEY_COLUMNS, year)


@contextmanager
def pipeline(keys):
    """On PostgreSQL, the statements of the block are sent together and answered together: one
    round trip, where the wait for the server is most of a small write's upkeep (a pipeline
    already open is joined). Not for `keys` that go by COPY, which a pipeline cannot carry."""
    if connection.vendor != "postgresql" or keys >= COPY_FROM:
        yield
        return
    connection.ensure_connection()
    with connection.connection.pipeline():
        yield


def year_rows(rows):
    """{YearRollup key: [records, accompagnements]} summed from rollup rows or deltas."""
    return year_sums((key, [sums[i] for i in YEAR_MEASURE_INDEXES]) for key, sums in rows.items())


def year_sums(items):
    """Yearly and monthly sums (`YearRollup` keys, month 0 for the year) of (rollup key,
    [records, accompagnements]) items, each also summed over every département, structure and
    type (the `ALL` rows the national rankings read): rows of other levels or of one thématique
    are left out, and so are sums that are all zero."""
    result = {}
    for (level, scope, departement, structure_id, month, type_, thematique), values in items:
        if thematique or level not in YEAR_LEVEL_VALUES:
            continue
        for number in (0, month.month):
            for key in (
                (level, scope, departement, structure_id, month.year, number, type_),
                (level, scope, ALL, 0, month.year, number, ALL),
            ):
                into = result.get(key)
                if into is None:
                    into = result[key] = [0] * len(YEAR_MEASURES)
                for i, value in enumerate(values):
                    into[i] += value
    return {key: sums for key, sums in result.items() if any(sums)}


def _upsert(table, columns, keys, rows):
    if not rows:
        return
    params = [(*key, *sums) for key, sums in sorted(rows.items())]
    if connection.vendor == "postgresql" and len(params) >= COPY_FROM:
        _apply_by_copy(params, table, columns)
        return
    # One statement for all the keys of a write (keys in order, as above): a statement costs
    # PostgreSQL about as much to parse and plan as updating the rows (measured: 9 keys, 8.6 ms
    # one statement each, 5.3 ms in one). It names only the measures the write changes (a record
    # changes about 20 of 80; the others keep their value, or the default 0 in a new row).
    with connection.cursor() as cursor:
        for first in range(0, len(params), UPSERT_ROWS):
            chunk = params[first : first + UPSERT_ROWS]
            picked = (*range(len(keys)), *_changed(chunk, len(keys)))
            names = tuple(columns[i] for i in picked)
            cursor.execute(
                *_statement(table, names, keys, [[row[i] for i in picked] for row in chunk])
            )


def _changed(rows, start):
    """Indexes of the measure columns (from `start`) that some row changes."""
    return [i for i in range(start, len(rows[0])) if any(row[i] for row in rows)]


def _statement(table, columns, keys, rows):
    """(SQL, params) of the upsert of `rows` (lists of values of `columns`). On PostgreSQL, the
    rows go as one JSON parameter: psycopg parses a statement of more than 50 parameters again
    on every call (measured: about 1 ms per upsert of a write), one of a single parameter once."""
    if connection.vendor != "postgresql":
        return upsert_sql(table, columns, keys, len(rows)), [v for row in rows for v in row]
    objects = [dict(zip(columns, row, strict=True)) for row in rows]
    return json_upsert_sql(table, columns, keys), [json.dumps(objects, default=str)]


def _apply_by_copy(params, table, columns):
    """Large batches (imports, rebuilds): the deltas are copied into a temporary table, then
    added by one INSERT … SELECT … ON CONFLICT in key order — one round trip instead of one per
    key, which is what made bulk upkeep slow. Identifiers only are formatted into the SQL."""
    quote = connection.ops.quote_name
    keys = YEAR_KEY_COLUMNS if table == YEAR_TABLE else KEY_COLUMNS
    stage = quote(f"{STAGE}_{table}")
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} AS "  # noqa: S608
            f"SELECT {names} FROM {quote(table)} WHERE false"
        )
        cursor.execute(f"TRUNCATE {stage}")
        with cursor.cursor.copy(f"COPY {stage} ({names}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {quote(table)} AS t ({names}) "  # noqa: S608
            f"SELECT {names} FROM {stage} ORDER BY {', '.join(quote(c) for c in keys)}"
            f"{_on_conflict(columns, keys)}"
        )


def lock(queryset):
    """Lock the records (in key order) so that concurrent edits of one record are applied one
    after the other: each then subtracts what the previous one added, never the same twice."""
    if _deferred():
        list(queryset.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True))


def tally_of(queryset, sign, tally=None):
    tally = Tally() if tally is None else tally
    for facts in load_facts(queryset):
        tally.add(facts, sign)
    return tally


def _transaction_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        return cursor.fetchone()[0]


def _pending():
    """Subtractions waiting for their `records_changed`, by transaction (Django connections are
    per thread). Entries of another transaction (rolled back) are dropped."""
    current = _transaction_id()
    pending = getattr(connection, "stats_pending", None)
    if pending is None or pending[0] != current:
        pending = connection.stats_pending = (current, Tally())
    return pending[1]


def _take_pending():
    """The subtractions of this transaction, if any, taken out of waiting (a creation has none,
    and then needs no query to tell its transaction)."""
    if getattr(connection, "stats_pending", None) is None:
        return Tally()
    tally = _pending()
    connection.stats_pending = None
    return tally


def _deferred():
    """Whether subtractions wait for the additions: only inside a PostgreSQL transaction."""
    return connection.vendor == "postgresql" and connection.in_atomic_block


def on_records_changing(sender, queryset, **kwargs):
    lock(queryset)
    if not _deferred():
        # SQLite has one writer at a time: no lock order to keep.
        apply(tally_of(queryset, -1).rows())
        return
    # Applied together with the additions, in one sorted batch: a transaction's row locks are
    # then taken in one global order, so two edits moving records between the same keys in
    # opposite directions cannot deadlock.
    tally_of(queryset, -1, _pending())


def on_records_changed(sender, queryset, **kwargs):
    facts = load_facts(queryset)
    tally = _take_pending() if _deferred() else Tally()
    for one in facts:
        tally.add(one, +1)
    rows = tally.rows()
    with pipeline(len(rows)):
        apply(rows)
        last_activity.records_changed(facts)


def connect():
    from cnum.activity.signals import records_changed, records_changing

    records_changing.connect(on_records_changing, dispatch_uid="stats_records_changing")
    records_changed.connect(on_records_changed, dispatch_uid="stats_records_changed")
