"""Database triggers that make a table append-only: defence in depth under the model's refusal.

PostgreSQL refuses UPDATE and DELETE row by row; its test flush uses TRUNCATE, which row
triggers do not see. SQLite refuses UPDATE; Django's test flush deletes rows of every table in no
fixed order, so a DELETE trigger is only installed where a guard (a WHEN condition) can tell that
kind of emptying from tampering.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AppendOnly:
    table: str
    name: str  # prefix of the trigger and function names
    message: str  # French: what the database says when a change is refused
    sqlite_delete_guard: str = ""  # WHEN condition under which SQLite refuses a DELETE
    sqlite_delete_message: str = ""

    def _postgresql(self, install):
        function = f"{self.name}_append_only"
        if not install:
            return [
                f"DROP TRIGGER IF EXISTS {function} ON {self.table}",
                f"DROP FUNCTION IF EXISTS {function}()",
            ]
        return [
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{self.message} (%).', TG_OP;
END;
$$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS {function} ON {self.table}",
            f"""CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {function}()""",
        ]

    def _sqlite(self, install):
        no_update, no_delete = f"{self.name}_no_update", f"{self.name}_no_delete"
        drops = [f"DROP TRIGGER IF EXISTS {no_update}", f"DROP TRIGGER IF EXISTS {no_delete}"]
        if not install:
            return drops
        statements = [
            *drops,
            f"""CREATE TRIGGER {no_update} BEFORE UPDATE ON {self.table}
    BEGIN SELECT RAISE(ABORT, '{self.message}.'); END""",
        ]
        if self.sqlite_delete_guard:
            statements.append(
                f"""CREATE TRIGGER {no_delete} BEFORE DELETE ON {self.table}
    WHEN {self.sqlite_delete_guard}
    BEGIN SELECT RAISE(ABORT, '{self.sqlite_delete_message}.'); END"""
            )
        return statements

    def statements(self, vendor, install):
        if vendor == "postgresql":
            return self._postgresql(install)
        if vendor == "sqlite":
            return self._sqlite(install)
        return []

    def install(self, connection):
        self._execute(connection, install=True)

    def remove(self, connection):
        self._execute(connection, install=False)

    def _execute(self, connection, install):
        with connection.cursor() as cursor:
            for sql in self.statements(connection.vendor, install):
                cursor.execute(sql)
