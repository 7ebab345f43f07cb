"""Backup and restore of the database and the media files (manage.py backup / restore).

A backup is one folder: the database (pg_dump custom format, or a SQLite copy), the media
files (tar.gz of ciphertext) and manifeste.json (row counts of every table, SHA-256 of each file).
The encryption keys are never part of it.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.utils import timezone

from cnum.backups import media
from cnum.backups.manifest import (
    FILENAME,
    BackupError,
    Manifest,
    counted_tables,
    differences,
    sha256,
)
from cnum.backups.postgres import Postgres
from cnum.backups.sqlite import Sqlite

DUMP_NAMES = {"postgresql": "base.dump", "sqlite": "base.sqlite3"}
MEDIA_NAME = "fichiers.tar.gz"


def database(settings_dict):
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return Postgres(settings_dict)
    if "sqlite3" in engine:
        return Sqlite(settings_dict)
    raise BackupError(f"Moteur de base non pris en charge : {engine}.")


def database_from_url(url):
    return database(dj_database_url.parse(url))


def backup(output: Path, database_url=None, with_media=True):
    """Write a backup into output (created; must be empty). Returns its manifest."""
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"Le dossier {output} n'est pas vide : choisissez un nouveau dossier.")
    source = (
        database_from_url(database_url) if database_url else database(settings.DATABASES["default"])
    )
    dump_name = DUMP_NAMES[source.engine]
    counts = source.dump(output / dump_name, counted_tables())
    manifest = Manifest(
        engine=source.engine,
        created_at=timezone.now().isoformat(),
        database_file=dump_name,
        media_file=MEDIA_NAME if with_media else None,
        counts=counts,
    )
    if with_media:
        # After the database: a file uploaded meanwhile is only an orphan in the archive; a
        # purge running meanwhile could leave a row without its file (schedule apart).
        manifest.media_files = media.archive(output / MEDIA_NAME)
    manifest.checksums = {
        name: sha256(output / name) for name in (dump_name, manifest.media_file) if name
    }
    manifest.write(output)
    return manifest


def dated_folder(root: Path):
    """root/cnum-AAAAMMJJ-HHMMSS (UTC): names sort in time order."""
    return root / timezone.now().strftime("cnum-%Y%m%d-%H%M%S")


def prune(root: Path, keep):
    """Delete the complete backups of root beyond the `keep` newest; returns their paths."""
    backups = sorted(path for path in root.glob("cnum-*") if (path / FILENAME).is_file())
    old = backups[: max(len(backups) - keep, 0)]
    for path in old:
        shutil.rmtree(path)
    return old


@dataclass
class Restored:
    manifest: Manifest
    media_files: int


def restore(source_dir: Path, database_url, force=False, with_media=True):
    """Check the backup, load it into database_url, then compare the row counts."""
    manifest = Manifest.read(source_dir)
    manifest.verify_checksums(source_dir)
    target = database_from_url(database_url)
    if target.engine != manifest.engine:
        raise BackupError(
            f"Sauvegarde {manifest.engine} : elle ne se restaure que dans une base "
            f"{manifest.engine}, pas {target.engine}."
        )
    restore_media = with_media and manifest.media_file
    if restore_media and media.existing_files() and not force:
        raise BackupError(
            "Le stockage des fichiers contient déjà des fichiers : ajoutez --force pour les "
            "remplacer par ceux de la sauvegarde, ou --sans-fichiers pour ne restaurer que la base."
        )
    target.restore(source_dir / manifest.database_file, force)
    wrong = differences(manifest.counts, target.count(list(manifest.counts)))
    if wrong:
        raise BackupError("Nombres de lignes différents après restauration :\n" + "\n".join(wrong))
    files = media.extract(source_dir / manifest.media_file) if restore_media else 0
    return Restored(manifest, files)
