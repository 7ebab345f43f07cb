"""PostgreSQL: pg_dump (custom format) and pg_restore, with the client binaries of the machine.

The row counts of the manifest are read in the very snapshot pg_dump saves (an exported
snapshot held open by a REPEATABLE READ transaction): they match the dump even while the
application keeps writing.
"""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from cnum.backups.manifest import BackupError, count_rows

# libpq parameters worth passing on from Django's OPTIONS (others are Django's own).
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "target_session_attrs",
}


def tool(name):
    """pg_dump/pg_restore: PG_BIN_DIR, else the newest /usr/lib/postgresql/<version>/bin (it
    reads every older server), else the PATH."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [directory / name for directory in versions]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL (paquet "
            "postgresql-client) ou indiquez son dossier dans PG_BIN_DIR."
        )
    return found


class Postgres:
    """One PostgreSQL database, from a Django DATABASES entry."""

    engine = "postgresql"

    def __init__(self, settings_dict):
        params = {
            "dbname": settings_dict["NAME"],
            "user": settings_dict.get("USER") or None,
            "host": settings_dict.get("HOST") or None,
            "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        }
        for key, value in (settings_dict.get("OPTIONS") or {}).items():
            if key in LIBPQ_OPTIONS:
                params[key] = str(value)
        self.name = settings_dict["NAME"]
        self.conninfo = make_conninfo(**{k: v for k, v in params.items() if v})
        # The password goes through the environment, never on a command line (ps shows those).
        self.env = {**os.environ}
        if settings_dict.get("PASSWORD"):
            self.env["PGPASSWORD"] = settings_dict["PASSWORD"]

    def connect(self, **kwargs):
        try:
            return psycopg.connect(self.conninfo, password=self.env.get("PGPASSWORD"), **kwargs)
        except psycopg.OperationalError as error:
            raise BackupError(f"Connexion impossible à la base {self.name} : {error}") from error

    def dump(self, path, tables):
        """pg_dump -Fc into path; returns the row counts of the dumped snapshot."""
        with self.connect() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = count_rows(conn.cursor(), self.existing(conn, tables), _quote(conn))
            self._run(
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={path}",
                f"--dbname={self.conninfo}",
            )
            conn.rollback()
        return counts

    def restore(self, path, force):
        """pg_restore into this (existing) database, in one transaction: all or nothing."""
        with self.connect(autocommit=True) as conn:
            tables = self.existing_table_count(conn)
        if tables and not force:
            raise BackupError(
                f"La base {self.name} contient déjà {tables} table(s) : restaurez dans une base "
                "vide (createdb) ou ajoutez --force pour la remplacer."
            )
        options = ["--clean", "--if-exists"] if tables else []
        self._run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *options,
            f"--dbname={self.conninfo}",
            str(path),
        )

    def count(self, tables):
        with self.connect(autocommit=True) as conn:
            return count_rows(conn.cursor(), self.existing(conn, tables), _quote(conn))

    @staticmethod
    def existing(conn, tables):
        present = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        return [table for table in tables if table in present]

    @staticmethod
    def existing_table_count(conn):
        return conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]

    def _run(self, name, *args):
        result = subprocess.run(  # noqa: S603 — fixed binary, arguments built here
            [tool(name), *args], env=self.env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise BackupError(f"{name} a échoué : {result.stderr.strip()}")


def _quote(conn):
    return lambda table: sql.Identifier(table).as_string(conn)
