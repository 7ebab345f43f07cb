"""Is the replica usable? Measured on the replica itself, remembered a few seconds per process.

Lag is `now() - pg_last_xact_replay_timestamp()`, except when the replica has replayed all it
received from a live stream (an idle primary sends no transaction: the timestamp ages, the
replica is not behind). A replica that does not answer within its connect_timeout is down.
"""

import dataclasses
import logging
import threading
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connections
from health_check.base import HealthCheck
from health_check.exceptions import ServiceWarning

ALIAS = "replica"
CHECK_EVERY_SECONDS = 5
logger = logging.getLogger(__name__)

LAG_SQL = """
SELECT pg_is_in_recovery(),
       coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'), false),
       extract(epoch FROM now() - pg_last_xact_replay_timestamp())
"""


@dataclasses.dataclass(frozen=True)
class Status:
    usable: bool
    lag: float | None = None  # seconds
    problem: str = ""


_lock = threading.Lock()
_last = {"at": float("-inf"), "status": None}


def configured():
    return ALIAS in settings.DATABASES


def replica_status(fresh=False):
    """The replica's status, measured at most every CHECK_EVERY_SECONDS in this process."""
    now = time.monotonic()
    with _lock:
        if not fresh and now - _last["at"] < CHECK_EVERY_SECONDS and _last["status"]:
            return _last["status"]
    status = measure()
    with _lock:
        _last.update(at=time.monotonic(), status=status)
    return status


def measure():
    if not configured():
        return Status(usable=False, problem="aucune réplique configurée")
    connection = connections[ALIAS]
    try:
        with connection.temporary_connection() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, caught_up, seconds = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Réplique injoignable : %s", error.__class__.__name__)
        connection.close()
        return Status(usable=False, problem="réplique injoignable")
    if not in_recovery or caught_up:
        lag = 0.0
    else:
        lag = float("inf") if seconds is None else max(float(seconds), 0.0)
    limit = settings.REPLICA_MAX_LAG_SECONDS
    if lag > limit:
        return Status(usable=False, lag=lag, problem=f"retard de {lag:.0f} s (limite {limit:g} s)")
    return Status(usable=True, lag=lag)


@dataclasses.dataclass
class ReplicaLagCheck(HealthCheck):
    """Readiness: the replica answers and is within REPLICA_MAX_LAG_SECONDS. When it is not,
    reads fall back to the primary and the service keeps working: a warning only."""

    label = "replique"
    warning_only = True

    async def run(self):
        if not configured():
            return
        status = await sync_to_async(replica_status)()
        if not status.usable:
            raise ServiceWarning(
                f"réplique ignorée, lectures servies par la base principale : {status.problem}"
            )
