"""Rollups kept in step with the records, in the transaction that changes them.

`records_changing` subtracts what the records contribute now, `records_changed` adds what they
contribute after the change (cnum.activity.signals). Deltas are summed per rollup key first,
then applied with one upsert per key (`col = col + excluded.col`), keys sorted so that
concurrent transactions lock rows in the same order and cannot deadlock.
"""

from functools import cache

from django.db import connection

from cnum.stats.contributions import Tally, load_facts
from cnum.stats.measures import MEASURE_COLUMNS
from cnum.stats.models import ActivityRollup

KEY_COLUMNS = ("level", "scope", "departement", "structure_id", "month", "type", "thematique")
TABLE = ActivityRollup._meta.db_table


@cache
def upsert_sql(table=TABLE):
    """INSERT … ON CONFLICT (key) DO UPDATE adding the new values (PostgreSQL, SQLite ≥ 3.24)."""
    quote = connection.ops.quote_name
    columns = (*KEY_COLUMNS, *MEASURE_COLUMNS)
    updates = ", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}"
                        for c in MEASURE_COLUMNS)  # fmt: skip
    return (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in KEY_COLUMNS)}) DO UPDATE SET {updates}"
    )


STAGE = "stats_rollup_stage"
COPY_FROM = 200  # keys from which COPY + one statement beats one upsert per key (PostgreSQL)


def apply(rows, table=TABLE):
    """Add `rows` ({key: [delta per measure column]}) to the rollup table, keys in order."""
    if not rows:
        return
    params = [(*key, *sums) for key, sums in sorted(rows.items())]
    if connection.vendor == "postgresql" and len(params) >= COPY_FROM:
        _apply_by_copy(params, table)
        return
    with connection.cursor() as cursor:
        cursor.executemany(upsert_sql(table), params)


def _apply_by_copy(params, table):
    """Large batches (imports, rebuilds): the deltas are copied into a temporary table, then
    added by one INSERT … SELECT … ON CONFLICT in key order — one round trip instead of one per
    key, which is what made bulk upkeep slow. Identifiers only are formatted into the SQL."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in (*KEY_COLUMNS, *MEASURE_COLUMNS))
    keys = ", ".join(quote(c) for c in KEY_COLUMNS)
    upsert = upsert_sql(table)
    conflict = upsert[upsert.index(" ON CONFLICT") :]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(STAGE)} AS "  # noqa: S608
            f"SELECT {columns} FROM {quote(TABLE)} WHERE false"
        )
        cursor.execute(f"TRUNCATE {quote(STAGE)}")
        with cursor.cursor.copy(f"COPY {quote(STAGE)} ({columns}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608
            f"SELECT {columns} FROM {quote(STAGE)} ORDER BY {keys}{conflict}"
        )


def lock(queryset):
    """Lock the records (in key order) so that concurrent edits of one record are applied one
    after the other: each then subtracts what the previous one added, never the same twice."""
    if _deferred():
        list(queryset.order_by("pk").select_for_update().values_list("pk", flat=True))


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
    if not _deferred():
        apply(tally_of(queryset, +1).rows())
        return
    tally = tally_of(queryset, +1, _pending())
    del connection.stats_pending
    apply(tally.rows())


def connect():
    from cnum.activity.signals import records_changed, records_changing

    records_changing.connect(on_records_changing, dispatch_uid="stats_records_changing")
    records_changed.connect(on_records_changed, dispatch_uid="stats_records_changed")
