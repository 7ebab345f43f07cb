"""Database triggers refusing UPDATE and DELETE of ledger rows (defence in depth).

PostgreSQL refuses both. SQLite refuses UPDATE only: Django's test flush empties tables with
DELETE in no fixed order, which a DELETE trigger would break; the model and its queryset refuse
deletion on both engines. PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

TABLE = "funding_ledgerentry"

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION funding_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Une écriture comptable ne se modifie ni ne se supprime (%).', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS funding_ledger_append_only ON {TABLE};
CREATE TRIGGER funding_ledger_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION funding_ledger_append_only();
"""
POSTGRESQL_REMOVE = f"""
DROP TRIGGER IF EXISTS funding_ledger_append_only ON {TABLE};
DROP FUNCTION IF EXISTS funding_ledger_append_only();
"""
SQLITE_INSTALL = f"""CREATE TRIGGER IF NOT EXISTS funding_ledger_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'Une écriture comptable ne se modifie pas.'); END"""
SQLITE_REMOVE = "DROP TRIGGER IF EXISTS funding_ledger_no_update"


def _run(connection, install):
    if connection.vendor == "postgresql":
        sql = POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    elif connection.vendor == "sqlite":
        sql = SQLITE_INSTALL if install else SQLITE_REMOVE
    else:
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)


def install(connection):
    _run(connection, True)


def remove(connection):
    _run(connection, False)
