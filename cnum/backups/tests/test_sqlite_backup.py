"""An online SQLite backup, taken by `manage.py backup` in its own process while another writer
keeps inserting rows, is one consistent moment of the database: restored, every table has the
rows the manifest counted, and the encrypted files come back as they were."""

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from cnum.backups import services
from cnum.backups.manifest import Manifest
from cnum.core import encryption

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="Sauvegarde SQLite en ligne : la suite sur SQLite exécute ce test.",
    ),
    # The test database is copied to a file to be the source: no test transaction may hold it.
    pytest.mark.django_db(transaction=True),
]


class Writer(threading.Thread):
    """Writes on their own connection, as the application makes them: one row per transaction."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.written, self.running, self.error = path, 0, True, None

    def run(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            while self.running:
                conn.execute(
                    "INSERT INTO django_content_type (app_label, model) VALUES ('sauvegarde', ?)",
                    [f"ligne{self.written}"],
                )
                self.written += 1
        except sqlite3.Error as error:
            self.error = error
        finally:
            conn.close()


def copy_test_database(path):
    """The test database (schema and territories) as a file, in WAL mode like production."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()


def wait_until(writer, count):
    deadline = time.monotonic() + 120
    while writer.written < count and writer.error is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert writer.written >= count, writer.error


def content_types(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM django_content_type").fetchone()[0]
    finally:
        conn.close()


def test_backup_while_writing_restores_a_consistent_copy(tmp_path, django_db_blocker):
    source = tmp_path / "cnum.sqlite3"
    with django_db_blocker.unblock():
        copy_test_database(source)
    media = tmp_path / "media"
    (media / "candidats").mkdir(parents=True)
    cv = encryption.encrypt(b"%PDF-1.4 CV de Camille Martin")
    (media / "candidats" / "cv.bin").write_bytes(cv)
    before = content_types(source)
    writer = Writer(source)
    writer.start()
    try:
        wait_until(writer, 50)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DJANGO_SETTINGS_MODULE="cnum.settings_test",
            DATABASE_URL=f"sqlite:///{source}",
            CNUM_VAR_DIR=str(tmp_path),
        )
        backup = subprocess.run(  # noqa: S603 — our own manage.py
            [sys.executable, "manage.py", "backup", "--output", str(tmp_path / "sauvegarde")],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        during = writer.written
        wait_until(writer, during + 50)
    finally:
        writer.running = False
        writer.join()
    assert backup.returncode == 0, backup.stderr
    manifest = Manifest.read(tmp_path / "sauvegarde")
    saved = manifest.counts["django_content_type"]
    # The backup caught the database while it was being written to, not before nor after.
    assert before + 50 <= saved <= content_types(source) - 50

    restored = tmp_path / "restauree.sqlite3"
    with override_settings(MEDIA_ROOT=tmp_path / "media-restaurees"):
        call_command(
            "restore", input=str(tmp_path / "sauvegarde"), database_url=f"sqlite:///{restored}"
        )
    assert services.database_from_url(f"sqlite:///{restored}").count(manifest.counts) == (
        manifest.counts
    )
    conn = sqlite3.connect(restored)
    # Some CHECK constraints use REGEXP, which Django's connections define.
    conn.create_function("REGEXP", 2, lambda pattern, text: bool(re.search(pattern, text or "")))
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert (tmp_path / "media-restaurees" / "candidats" / "cv.bin").read_bytes() == cv
    # A second restore over the restored copy is refused: nothing is overwritten by mistake.
    with (
        override_settings(MEDIA_ROOT=tmp_path / "vide"),
        pytest.raises(CommandError, match="contient déjà des tables"),
    ):
        call_command(
            "restore", input=str(tmp_path / "sauvegarde"), database_url=f"sqlite:///{restored}"
        )
