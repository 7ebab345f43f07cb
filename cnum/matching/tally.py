"""Eligible candidates per (commune, maximum distance), kept in the writing transaction.

The candidates screen's counts (docs/mises-en-relation.md#compteurs) need, around a structure,
how many active, available candidates live in each commune with each maximum distance, and how
many of the 2 000 km ones live in the whole territory. Counting candidates read up to ~70 000
index entries per screen at 400 000 candidates; the tally holds one row per (commune, distance)
instead (a few thousand for a whole territory).

A second tally counts per département, so that the "whole territory" tranche (2 000 km) sums
at most a hundred rows. Database triggers on the candidate profiles table keep both: every
insert, delete or change of availability, activation, commune or maximum distance moves the
counts in the same transaction, whatever the write path (ORM, bulk_create, queryset update, raw
SQL). On PostgreSQL a concurrent write to a candidate of the same commune (or département) and
distance waits for the row's lock (one short upsert, rows taken in key order).
`differences()` compares both with a live count (`rebuild_matches --check`), `rebuild()`
recomputes them (`rebuild_matches --fix`, and the migrations that created them).
"""

from django.db import connection, transaction

from cnum.candidates.models import CandidateProfile
from cnum.matching.models import EligibleDepartementTally, EligibleTally
from cnum.territories.models import Commune

TABLE = EligibleTally._meta.db_table
DEPARTEMENTS = EligibleDepartementTally._meta.db_table
CANDIDATES = CandidateProfile._meta.db_table
COMMUNES = Commune._meta.db_table
ELIGIBLE = "{row}.is_available AND {row}.activated_at IS NOT NULL"
COLUMNS = "is_available, activated_at, commune_id, max_distance_km"


def _postgresql():
    # One upsert per table, the rows in key order (a move decrements one row and increments
    # another): two concurrent moves lock rows in the same order and never deadlock each other.
    deltas = (
        "(VALUES (old_commune, old_km, -1, old_ok), (new_commune, new_km, 1, new_ok)) "
        "AS k(commune_id, km, delta, ok)"
    )
    return f"""CREATE FUNCTION matching_tally() RETURNS trigger AS $$
DECLARE
    old_ok boolean := false;
    new_ok boolean := false;
    old_commune varchar;
    new_commune varchar;
    old_km integer;
    new_km integer;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_ok := {ELIGIBLE.format(row="OLD")};
        old_commune := OLD.commune_id;
        old_km := OLD.max_distance_km;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_ok := {ELIGIBLE.format(row="NEW")};
        new_commune := NEW.commune_id;
        new_km := NEW.max_distance_km;
    END IF;
    INSERT INTO {TABLE} (commune_id, max_distance_km, n)
    SELECT k.commune_id, k.km, SUM(k.delta) FROM {deltas}
    WHERE k.ok GROUP BY k.km, k.commune_id ORDER BY k.km, k.commune_id
    ON CONFLICT (max_distance_km, commune_id) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
    INSERT INTO {DEPARTEMENTS} (departement_id, max_distance_km, n)
    SELECT m.departement_id, k.km, SUM(k.delta) FROM {deltas}
    JOIN {COMMUNES} m ON m.code_insee = k.commune_id
    WHERE k.ok GROUP BY k.km, m.departement_id ORDER BY k.km, m.departement_id
    ON CONFLICT (max_distance_km, departement_id) DO UPDATE SET n = {DEPARTEMENTS}.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql"""  # noqa: S608 (identifiers only)


def _sqlite_decrement(extra=""):
    return (
        f"UPDATE {TABLE} SET n = n - 1 WHERE max_distance_km = OLD.max_distance_km "  # noqa: S608
        f"AND commune_id = OLD.commune_id{extra}; "
        f"UPDATE {DEPARTEMENTS} SET n = n - 1 WHERE max_distance_km = OLD.max_distance_km "
        f"AND departement_id = (SELECT departement_id FROM {COMMUNES} "
        f"WHERE code_insee = OLD.commune_id){extra};"
    )


def _sqlite_increment():
    new = ELIGIBLE.format(row="NEW")
    return (
        f"INSERT INTO {TABLE} (commune_id, max_distance_km, n) "  # noqa: S608
        f"SELECT NEW.commune_id, NEW.max_distance_km, 1 WHERE {new} "
        f"ON CONFLICT (max_distance_km, commune_id) DO UPDATE SET n = {TABLE}.n + 1; "
        f"INSERT INTO {DEPARTEMENTS} (departement_id, max_distance_km, n) "
        f"SELECT m.departement_id, NEW.max_distance_km, 1 FROM {COMMUNES} m "
        f"WHERE m.code_insee = NEW.commune_id AND {new} "
        f"ON CONFLICT (max_distance_km, departement_id) DO UPDATE SET n = {DEPARTEMENTS}.n + 1;"
    )


def statements(vendor, install=True):
    if vendor == "postgresql":
        drops = [
            f"DROP TRIGGER IF EXISTS matching_tally_write ON {CANDIDATES}",
            f"DROP TRIGGER IF EXISTS matching_tally_change ON {CANDIDATES}",
            "DROP FUNCTION IF EXISTS matching_tally()",
        ]
        if not install:
            return drops
        return [
            *drops,
            _postgresql(),
            f"""CREATE TRIGGER matching_tally_write AFTER INSERT OR DELETE ON {CANDIDATES}
    FOR EACH ROW EXECUTE FUNCTION matching_tally()""",
            f"""CREATE TRIGGER matching_tally_change AFTER UPDATE OF {COLUMNS} ON {CANDIDATES}
    FOR EACH ROW WHEN (
        OLD.is_available IS DISTINCT FROM NEW.is_available
        OR (OLD.activated_at IS NULL) <> (NEW.activated_at IS NULL)
        OR OLD.commune_id IS DISTINCT FROM NEW.commune_id
        OR OLD.max_distance_km IS DISTINCT FROM NEW.max_distance_km
    ) EXECUTE FUNCTION matching_tally()""",
        ]
    if vendor == "sqlite":
        # SQLite writers are serialised by the database lock. A decrement never inserts: Django's
        # test flush may empty the tally before the candidates.
        names = ("matching_tally_insert", "matching_tally_delete", "matching_tally_change")
        drops = [f"DROP TRIGGER IF EXISTS {name}" for name in names]
        if not install:
            return drops
        old, new = ELIGIBLE.format(row="OLD"), ELIGIBLE.format(row="NEW")
        return [
            *drops,
            f"""CREATE TRIGGER matching_tally_insert AFTER INSERT ON {CANDIDATES}
    WHEN {new}
    BEGIN {_sqlite_increment()} END""",
            f"""CREATE TRIGGER matching_tally_delete AFTER DELETE ON {CANDIDATES}
    WHEN {old}
    BEGIN {_sqlite_decrement()} END""",
            f"""CREATE TRIGGER matching_tally_change AFTER UPDATE OF {COLUMNS} ON {CANDIDATES}
    WHEN ({old}) IS NOT ({new})
        OR OLD.commune_id IS NOT NEW.commune_id
        OR OLD.max_distance_km IS NOT NEW.max_distance_km
    BEGIN
        {_sqlite_decrement(f" AND {old}")}
        {_sqlite_increment()}
    END""",
        ]
    return []


def install(conn=connection):
    with conn.cursor() as cursor:
        for sql in statements(conn.vendor, install=True):
            cursor.execute(sql)


def remove(conn=connection):
    with conn.cursor() as cursor:
        for sql in statements(conn.vendor, install=False):
            cursor.execute(sql)


LIVE = (
    f"SELECT c.commune_id, c.max_distance_km, COUNT(*) FROM {CANDIDATES} c "  # noqa: S608
    f"WHERE {ELIGIBLE.format(row='c')} GROUP BY c.commune_id, c.max_distance_km"
)
LIVE_DEPARTEMENTS = (
    f"SELECT m.departement_id, c.max_distance_km, COUNT(*) FROM {CANDIDATES} c "  # noqa: S608
    f"JOIN {COMMUNES} m ON m.code_insee = c.commune_id "
    f"WHERE {ELIGIBLE.format(row='c')} GROUP BY m.departement_id, c.max_distance_km"
)
KINDS = (
    ("commune", TABLE, "commune_id", LIVE),
    ("département", DEPARTEMENTS, "departement_id", LIVE_DEPARTEMENTS),
)


def differences():
    """[(kind, code, maximum distance, stored, live)] where a tally disagrees with a live
    count (kind: "commune" or "département")."""
    found = []
    with connection.cursor() as cursor:
        for kind, table, column, live_sql in KINDS:
            cursor.execute(live_sql)
            live = {(code, km): n for code, km, n in cursor.fetchall()}
            cursor.execute(f"SELECT {column}, max_distance_km, n FROM {table}")  # noqa: S608
            stored = {(code, km): n for code, km, n in cursor.fetchall()}
            found += sorted(
                (kind, code, km, stored.get((code, km), 0), live.get((code, km), 0))
                for code, km in stored.keys() | live.keys()
                if stored.get((code, km), 0) != live.get((code, km), 0)
            )
    return found


def rebuild():
    """Recompute both tallies from the candidates (locked against concurrent candidate writes
    on PostgreSQL)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {CANDIDATES} IN SHARE MODE")
        for _, table, column, live_sql in KINDS:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({column}, max_distance_km, n) {live_sql}")  # noqa: S608
