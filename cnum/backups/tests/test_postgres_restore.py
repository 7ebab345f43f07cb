"""A PostgreSQL backup of a seeded database, restored into a new database, is a working copy:
the daily integrity checks pass on it and every table has the rows the backup counted.

The source is a copy of the test database (schema and territories) seeded with the demo data
by `seed_demo` in its own process; backup and restore are the real commands, the checks run as
`manage.py` processes on the restored database.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from cnum.backups import services
from cnum.backups.manifest import Manifest
from cnum.core import encryption

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="pg_dump / pg_restore : la suite sur PostgreSQL exécute ce test.",
    ),
    # The test database is the source's template: it must exist, even when run alone.
    pytest.mark.django_db,
]

CHECKS = [
    ["verify_ledger"],
    ["verify_journal"],
    ["rebuild_stats", "--check"],
    ["rebuild_matches", "--check"],
]
CV_TEXT = b"%PDF-1.4 CV de Camille Martin, 12 rue des Lilas"


def url(name):
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{name}"


def admin(statement):
    """CREATE / DROP DATABASE, from the server's maintenance database."""
    with psycopg.connect(
        url("postgres").replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(statement)


def manage(*args, database, var_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="cnum.settings_test",
        DATABASE_URL=url(database),
        CNUM_VAR_DIR=str(var_dir),
        DEBUG="1",  # seed_demo runs only in development
    )
    return subprocess.Popen(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finished(process):
    output, _ = process.communicate(timeout=300)
    return process.returncode, output


@pytest.fixture(scope="module")
def restored(django_db_setup, tmp_path_factory):
    """(manifest, backup folder, source name, restored name, media folders) of one round trip."""
    tmp = tmp_path_factory.mktemp("sauvegarde")
    suffix = os.getpid()
    source, copy = f"cnum_bk_source_{suffix}", f"cnum_bk_restored_{suffix}"
    template = connection.settings_dict["NAME"]
    connections.close_all()  # a template database must have no session
    admin(f'CREATE DATABASE "{source}" TEMPLATE "{template}"')
    try:
        code, output = finished(manage("seed_demo", database=source, var_dir=tmp / "source"))
        assert code == 0, output
        source_media = tmp / "source" / "media"
        (source_media / "candidats").mkdir(parents=True)
        (source_media / "candidats" / "cv.bin").write_bytes(encryption.encrypt(CV_TEXT))
        with override_settings(MEDIA_ROOT=source_media):
            call_command("backup", output=str(tmp / "sauvegarde"), database_url=url(source))
        admin(f'CREATE DATABASE "{copy}"')
        with override_settings(MEDIA_ROOT=tmp / "restored" / "media"):
            call_command("restore", input=str(tmp / "sauvegarde"), database_url=url(copy))
        yield Manifest.read(tmp / "sauvegarde"), tmp / "sauvegarde", source, copy, tmp
    finally:
        for name in (source, copy):
            admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_daily_checks_pass_on_the_restored_copy(restored):
    manifest, _, _, copy, tmp = restored
    processes = [
        manage(*check, database=copy, var_dir=tmp / f"verification-{index}")
        for index, check in enumerate(CHECKS)
    ]
    for check, process in zip(CHECKS, processes, strict=True):
        code, output = finished(process)
        assert code == 0, f"{' '.join(check)} : {output}"
    # The checks had something to check: the demo data is in the copy.
    assert manifest.counts["funding_ledgerentry"] > 0
    assert manifest.counts["stats_activityrollup"] > 0


def test_every_table_has_the_same_rows_on_both_sides(restored):
    manifest, _, source, copy, _ = restored
    tables = list(manifest.counts)
    assert services.database_from_url(url(source)).count(tables) == manifest.counts
    assert services.database_from_url(url(copy)).count(tables) == manifest.counts
    assert manifest.counts["accounts_user"] > 1000
    assert manifest.counts["territories_commune"] > 30000


def test_documents_come_back_still_encrypted(restored):
    manifest, _, _, _, tmp = restored
    source, copy = tmp / "source" / "media", tmp / "restored" / "media"
    files = sorted(path.relative_to(source) for path in source.rglob("*") if path.is_file())
    # The demo's funding dossier pieces and the CV added here.
    assert len(files) > 1 and manifest.media_files == len(files)
    for name in files:
        stored = (copy / name).read_bytes()
        assert stored == (source / name).read_bytes()
        assert not stored.startswith(b"%PDF")
    cv = (copy / "candidats" / "cv.bin").read_bytes()
    assert b"Camille" not in cv and encryption.decrypt(cv) == CV_TEXT


def test_a_database_holding_data_is_not_overwritten_without_force(restored):
    _, folder, _, copy, tmp = restored
    with (
        override_settings(MEDIA_ROOT=tmp / "empty"),
        pytest.raises(CommandError, match="contient déjà .* table"),
    ):
        call_command("restore", input=str(folder), database_url=url(copy))


def test_a_damaged_backup_is_refused_before_touching_the_target(restored, tmp_path):
    _, folder, _, _, _ = restored
    damaged = tmp_path / "abimee"
    damaged.mkdir()
    for path in Path(folder).iterdir():
        (damaged / path.name).write_bytes(path.read_bytes())
    dump = damaged / "base.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="base.dump ne correspond pas à son empreinte"):
        call_command("restore", input=str(damaged), database_url=url("cnum_bk_never_created"))
