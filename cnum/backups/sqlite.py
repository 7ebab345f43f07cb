"""SQLite: the online backup API of sqlite3, consistent while the application writes.

One backup step copies every page under a single read transaction; in WAL mode the writers go
on meanwhile and the copy is the database as of the step's start.
"""

import sqlite3
from pathlib import Path

from cnum.backups.manifest import BackupError, count_rows

TABLES = "SELECT name FROM sqlite_master WHERE type = 'table'"


def _quote(table):
    return '"' + table.replace('"', '""') + '"'


class Sqlite:
    engine = "sqlite"

    def __init__(self, settings_dict):
        self.name = str(settings_dict["NAME"])
        self.path = Path(self.name)

    def dump(self, path, tables):
        if not self.path.is_file():
            raise BackupError(f"La base SQLite {self.path} est introuvable.")
        source = sqlite3.connect(self.path, timeout=30)
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # all pages in one step: one consistent snapshot
        finally:
            source.close()
        try:
            target.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
            return count_rows(target.cursor(), self._existing(target, tables), _quote)
        finally:
            target.close()

    def restore(self, path, force):
        if self.path.exists() and self._has_tables() and not force:
            raise BackupError(
                f"La base {self.path} contient déjà des tables : restaurez vers un nouveau "
                "fichier ou ajoutez --force pour la remplacer."
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(self.path, timeout=30)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def count(self, tables):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            return count_rows(conn.cursor(), self._existing(conn, tables), _quote)
        finally:
            conn.close()

    def _has_tables(self):
        conn = sqlite3.connect(self.path)
        try:
            return bool(conn.execute(TABLES).fetchall())
        finally:
            conn.close()

    @staticmethod
    def _existing(conn, tables):
        present = {row[0] for row in conn.execute(TABLES)}
        return [table for table in tables if table in present]
