"""Database triggers that refuse UPDATE and DELETE on the journal (defence in depth).

SQLite: Django's test flush runs DELETE FROM every table, in no fixed order, and SQLite has no
TRUNCATE. The DELETE trigger therefore lets through only the deletion of the chain's first
remaining row (what a whole-table DELETE does, row by row in insertion order) or any row once
the chain head is gone. Rows removed that way are what `verify_journal` reports first (missing
start of the chain, or head deleted); a row in the middle or at the end is always refused.
PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

TABLE = "mandates_journalentry"

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION mandates_journal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal Aidants Connect ne se modifie pas (%).', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS mandates_journal_append_only ON {TABLE};
CREATE TRIGGER mandates_journal_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION mandates_journal_append_only();
"""
POSTGRESQL_REMOVE = f"""
DROP TRIGGER IF EXISTS mandates_journal_append_only ON {TABLE};
DROP FUNCTION IF EXISTS mandates_journal_append_only();
"""

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS mandates_journal_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'Le journal Aidants Connect ne se modifie pas.'); END""",
    "DROP TRIGGER IF EXISTS mandates_journal_no_delete",
    """CREATE TRIGGER mandates_journal_no_delete BEFORE DELETE ON mandates_journalentry
    WHEN EXISTS (SELECT 1 FROM mandates_journalhead)
    AND EXISTS (SELECT 1 FROM mandates_journalentry WHERE position < OLD.position)
    BEGIN SELECT RAISE(ABORT, 'Le journal Aidants Connect ne se supprime pas.'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS mandates_journal_no_update",
    "DROP TRIGGER IF EXISTS mandates_journal_no_delete",
]


def _statements(vendor, install):
    if vendor == "postgresql":
        return [POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE]
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    return []


def install(connection):
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection):
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)
