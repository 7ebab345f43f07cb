"""The manifest written beside each backup: what it holds, row counts, file checksums."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection

FILENAME = "manifeste.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class Manifest:
    engine: str  # "postgresql" or "sqlite"
    created_at: str
    database_file: str
    media_file: str | None
    counts: dict[str, int]
    checksums: dict[str, str] = field(default_factory=dict)
    media_files: int = 0
    format: int = FORMAT

    def write(self, directory: Path):
        path = directory / FILENAME
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")
        return path

    @classmethod
    def read(cls, directory: Path):
        path = directory / FILENAME
        if not path.is_file():
            raise BackupError(f"{path} est introuvable : ce dossier n'est pas une sauvegarde.")
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise BackupError(f"Format de sauvegarde inconnu : {data.get('format')}.")
        return cls(**data)

    def verify_checksums(self, directory: Path):
        for name, expected in self.checksums.items():
            path = directory / name
            if not path.is_file():
                raise BackupError(f"{name} manque dans la sauvegarde.")
            if sha256(path) != expected:
                raise BackupError(
                    f"{name} ne correspond pas à son empreinte : fichier abîmé ou modifié."
                )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def counted_tables():
    """Every table of the installed models (the schema the code expects), sorted."""
    return sorted(connection.introspection.django_table_names(include_views=False))


def count_rows(cursor, tables, quote):
    """Rows of each table through a DB-API cursor (PostgreSQL or SQLite)."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 — model table names
        counts[table] = cursor.fetchone()[0]
    return counts


def differences(expected, actual):
    """Lines describing the tables whose counts differ, for the operator."""
    return [
        f"{table} : {expected[table]} ligne(s) sauvegardée(s), {actual.get(table)} restaurée(s)"
        for table in expected
        if actual.get(table) != expected[table]
    ]
