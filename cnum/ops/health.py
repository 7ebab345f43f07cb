"""Readiness checks (django-health-check): database, cache, pending migrations, task backlog.

Each runs one tiny query or cache round trip, in the request's thread and connection. Their
answers name the failing part, never any data. To add a check (a replica…), append it to
READINESS_CHECKS.
"""

import dataclasses
import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.utils import timezone
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

from cnum.replica.health import ReplicaLagCheck


@dataclasses.dataclass
class Database(checks.Database):
    """SELECT 1 on the request's own (persistent) connection, not a new one per probe."""

    label = "base_de_donnees"

    async def run(self):
        await sync_to_async(checks.Database.run)(self)


@dataclasses.dataclass
class Cache(checks.Cache):
    label = "cache"

    async def run(self):
        try:
            await super().run()
        except ServiceUnavailable:
            raise
        except Exception as error:  # django-redis wraps Redis errors in its own
            raise ServiceUnavailable("cache injoignable") from error


_migrated = set()


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration this code knows is applied (remembered once true: it stays true)."""

    alias: str = DEFAULT_DB_ALIAS
    label = "migrations"

    async def run(self):
        await sync_to_async(self._check)()

    def _check(self):
        if self.alias in _migrated:
            return
        executor = MigrationExecutor(connections[self.alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise ServiceUnavailable("migrations en attente")
        _migrated.add(self.alias)


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """A due task waiting longer than HEALTH_TASK_BACKLOG_MINUTES: the workers are stopped or
    overwhelmed. A warning only: the web servers still serve (see README)."""

    label = "file_de_taches"
    warning_only = True

    async def run(self):
        await sync_to_async(self._check)()

    def _check(self):
        from django_tasks_db.models import DBTaskResult, get_date_max

        cutoff = timezone.now() - datetime.timedelta(minutes=settings.HEALTH_TASK_BACKLOG_MINUTES)
        late = DBTaskResult.objects.filter(status="READY").filter(
            Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
        )
        if late.order_by().exists():
            raise ServiceWarning(
                f"tâches en attente depuis plus de {settings.HEALTH_TASK_BACKLOG_MINUTES} minutes"
            )


READINESS_CHECKS = [Database, Cache, Migrations, TaskBacklog, ReplicaLagCheck]
