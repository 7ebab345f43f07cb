"""manage.py run_scheduler: the scheduler of the periodic jobs (cnum.ops.schedule).

At each tick it only enqueues a task (the job runs in a task worker, `manage.py db_worker`), so
it is light and may run on one machine or several: each tick is enqueued once.
"""

import signal
from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone

from cnum.ops import cron, schedule, services

logger = structlog.get_logger("cnum.ops.scheduler")


def tick(name):
    """Run by APScheduler in one of its threads: that thread's connection is closed after."""
    close_old_connections()
    try:
        services.enqueue_scheduled(name)
    except Exception:
        logger.exception("job_enqueue_failed", job=name)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = (
        "Planificateur des tâches périodiques : à chaque échéance, confie la tâche au "
        "travailleur de tâches (manage.py db_worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Lister les tâches et leur prochaine échéance."
        )

    def handle(self, *args, list=False, **options):
        if list:
            return self._list()
        scheduler = BlockingScheduler(
            timezone=ZoneInfo(settings.TIME_ZONE),
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(services.MISFIRE_GRACE.total_seconds()),
            },
        )
        for job in schedule.jobs():
            scheduler.add_job(
                tick, cron.trigger(job.cron), args=[job.name], id=job.name, name=job.label
            )

        def stop(signum, frame):
            logger.info("scheduler_stopping", signal=signal.Signals(signum).name)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("scheduler_started", jobs=len(schedule.jobs()))
        scheduler.start()

    def _list(self):
        now = timezone.now()
        for job in schedule.jobs():
            at = timezone.localtime(cron.next_fire(job.cron, now))
            self.stdout.write(
                f"{job.name:32} {cron.describe(job.cron):40} prochaine : {at:%d/%m/%Y %H:%M}"
            )
