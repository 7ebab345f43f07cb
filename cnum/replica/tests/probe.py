"""Run by the replica tests in a process of its own, configured with DATABASE_URL (primary) and
DATABASE_REPLICA_URL (streaming replica): `python -m cnum.replica.tests.probe SCENARIO`.

Requests go through Django's whole stack (middleware, router, views); every SQL statement is
recorded with the alias of the connection that ran it. Prints one JSON object.
"""

import asyncio
import contextlib
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings_test")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from cnum.replica import health  # noqa: E402
from cnum.replica.state import replica_reads  # noqa: E402
from cnum.territories.models import Region  # noqa: E402

WITNESS = "Z9"  # a région code no real région uses


@contextlib.contextmanager
def recorded():
    """{alias: [sql, …]} of the statements run inside the block."""
    seen = {alias: [] for alias in connections}

    def recorder(alias):
        def wrapper(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(recorder(alias)))
        yield seen


def get(path):
    with recorded() as seen:
        response = Client().get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "bytes": len(body),
        "replica": len(seen["replica"]),
        "default": len(seen["default"]),
    }


def in_recovery(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def readiness():
    """What the readiness endpoint's replica check says, through django-health-check."""
    result = asyncio.run(health.ReplicaLagCheck().get_result())
    return str(result.error) if result.error else "OK"


def wait_for_replay(present, timeout=30):
    """Until the witness région is (or is not) visible on the replica."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Region.objects.using("replica").filter(code=WITNESS).exists() == present:
            return True
        time.sleep(0.1)
    return False


def routes():
    Region.objects.filter(code=WITNESS).delete()
    result = {
        "replica_in_recovery": in_recovery("replica"),
        "default_in_recovery": in_recovery("default"),
        "map": get("/carte/?q=Lyon"),
        "open_data_csv": get("/api/v1/lieux-mediation-numerique.csv"),
        "data_inclusion": get("/api/v1/data-inclusion/structures"),
        "public_statistics": get("/statistiques/publiques/"),
        "unmarked_api": get("/api/v1/communes?q=lyon"),
        "readiness": readiness(),
    }
    with replica_reads(), recorded() as seen:
        Region.objects.filter(code=WITNESS).exists()
        before_write = {alias: len(sql) for alias, sql in seen.items()}
        Region.objects.create(code=WITNESS, nom="Région témoin")
        after_write = {alias: len(sql) for alias, sql in seen.items()}
        result["read_after_write_sees_row"] = Region.objects.filter(code=WITNESS).exists()
        final = {alias: len(sql) for alias, sql in seen.items()}
    result["before_write"] = before_write
    result["write"] = {a: after_write[a] - before_write[a] for a in after_write}
    result["read_after_write"] = {a: final[a] - after_write[a] for a in final}
    result["write_on_primary"] = Region.objects.using("default").filter(
        code=WITNESS
    ).exists() and not in_recovery("default")
    result["replayed"] = wait_for_replay(present=True)
    Region.objects.filter(code=WITNESS).delete()
    return result


def replica_down():
    return {
        "map": get("/carte/?q=Lyon"),
        "open_data_csv": get("/api/v1/lieux-mediation-numerique.csv"),
        "readiness": readiness(),
    }


def lagging():
    """Replay is paused on the replica (by the test): a row written now is missing there."""
    Region.objects.create(code=WITNESS, nom="Région témoin")
    primary = connections["default"]
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    received = False
    deadline = time.monotonic() + 30
    while not received and time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", [lsn])
            received = cursor.fetchone()[0]
        time.sleep(0.1)
    result = {"received": received}
    # Within the limit: the stale replica still serves (the new row is not seen there).
    with override_settings(REPLICA_MAX_LAG_SECONDS=600):
        health.replica_status(fresh=True)
        with replica_reads():
            result["within_limit_sees_row"] = Region.objects.filter(code=WITNESS).exists()
        result["within_limit_readiness"] = readiness()
    # Beyond the limit: skipped, the primary answers and readiness says why.
    time.sleep(1.5)
    with override_settings(REPLICA_MAX_LAG_SECONDS=1):
        status = health.replica_status(fresh=True)
        result["lag"] = status.lag
        with replica_reads(), recorded() as seen:
            result["beyond_limit_sees_row"] = Region.objects.filter(code=WITNESS).exists()
        result["beyond_limit"] = {alias: len(sql) for alias, sql in seen.items()}
        result["beyond_limit_readiness"] = readiness()
    Region.objects.filter(code=WITNESS).delete()
    return result


if __name__ == "__main__":
    scenario = {"routes": routes, "replica_down": replica_down, "lagging": lagging}[sys.argv[1]]
    assert "replica" in settings.DATABASES, "DATABASE_REPLICA_URL manquante"
    print(json.dumps(scenario()))
