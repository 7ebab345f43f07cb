"""The replica router against a real streaming replica: a primary and its replica are built for
this module (clusters.py), loaded with the test database's schema and data, and the application
runs against them in a process of its own (probe.py) for each situation: both up, replica
stopped, replica replay paused.
"""

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from cnum.replica.tests import clusters

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="Réplique en streaming : la suite sur PostgreSQL exécute ce test.",
    ),
    pytest.mark.skipif(bool(clusters.available()), reason=clusters.available() or ""),
    # The test database (schema and reference data) is what the primary is loaded with.
    pytest.mark.django_db,
]


def source_url():
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    built = clusters.build(source_url())
    yield built
    built.remove()


def probe(pair, scenario):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="cnum.settings_test",
        DATABASE_URL=pair.primary_url,
        DATABASE_REPLICA_URL=pair.replica_url,
    )
    result = subprocess.run(  # noqa: S603 — our own probe
        [sys.executable, "-m", "cnum.replica.tests.probe", scenario],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_marked_views_read_on_the_replica_and_writes_go_to_the_primary(pair):
    seen = probe(pair, "routes")
    # The "replica" connection is the standby, "default" the primary.
    assert seen["replica_in_recovery"] is True
    assert seen["default_in_recovery"] is False
    # The public map and the open-data feeds (one streamed) read on the replica only.
    for page in ("map", "open_data_csv", "data_inclusion"):
        assert seen[page]["status"] == 200
        assert seen[page]["replica"] > 0 and seen[page]["default"] == 0, page
    assert seen["public_statistics"]["status"] == 200
    assert seen["public_statistics"]["replica"] > 0
    # A view that is not marked reads on the primary.
    assert seen["unmarked_api"]["status"] == 200
    assert seen["unmarked_api"]["replica"] == 0 and seen["unmarked_api"]["default"] > 0
    # Read on the replica, write on the primary, then read what was written on the primary.
    assert seen["before_write"] == {"default": 0, "replica": 1}
    assert seen["write"]["replica"] == 0 and seen["write"]["default"] >= 1
    assert seen["read_after_write"] == {"default": 1, "replica": 0}
    assert seen["read_after_write_sees_row"] and seen["write_on_primary"]
    assert seen["replayed"]  # and the replica follows
    assert seen["readiness"] == "OK"


def test_a_stopped_replica_is_skipped_and_reported(pair):
    pair.stop("replica")
    try:
        seen = probe(pair, "replica_down")
    finally:
        pair.start("replica")
        pair.wait_for_streaming()
    for page in ("map", "open_data_csv"):
        assert seen[page]["status"] == 200
        assert seen[page]["replica"] == 0 and seen[page]["default"] > 0, page
    assert "injoignable" in seen["readiness"]


def test_a_lagging_replica_is_skipped_beyond_the_limit(pair):
    with pair.connect(pair.replica_port) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        seen = probe(pair, "lagging")
    finally:
        with pair.connect(pair.replica_port) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
    assert seen["received"]
    # Within the limit the replica serves what it has replayed: not the new row yet.
    assert seen["within_limit_sees_row"] is False
    assert seen["within_limit_readiness"] == "OK"
    # Beyond it, the primary answers (the row is there) and readiness says why.
    assert seen["lag"] > 1
    assert seen["beyond_limit_sees_row"] is True
    assert seen["beyond_limit"]["replica"] == 0
    assert "retard" in seen["beyond_limit_readiness"]
