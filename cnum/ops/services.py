"""Periodic jobs: handed to the task worker at each tick or on demand, run under a lease,
recorded as JobRun rows, retried as declared."""

import datetime
import io
import traceback

import structlog
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cnum.ops import cron, locks, metrics, schedule
from cnum.ops.models import JobRun
from cnum.ops.tasks import run_job

logger = structlog.get_logger("cnum.ops.jobs")

# How late a scheduler may serve a tick (APScheduler's misfire grace time); jobs must not
# run more often than this.
MISFIRE_GRACE = datetime.timedelta(minutes=5)
OUTPUT_LIMIT = 4000


def enqueue_scheduled(name, now=None):
    """Called by the scheduler at a tick of `name`: one run per tick, however many schedulers
    fire (the tick is part of a unique constraint). Returns the run, or None if already done."""
    job = schedule.get(name)
    now = now or timezone.now()
    tick = cron.last_fire(job.cron, now, MISFIRE_GRACE) or now.replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=name, trigger=JobRun.Trigger.SCHEDULE, scheduled_for=tick
            )
            run_job.enqueue(run.pk)
    except IntegrityError:
        logger.info("job_already_enqueued", job=name, tick=tick.isoformat())
        return None
    logger.info("job_enqueued", job=name, run_id=run.pk, tick=tick.isoformat())
    return run


def run_now(name, user):
    """An administrator's "run now": a run of its own, through the same worker and lease."""
    with transaction.atomic():
        run = JobRun.objects.create(job=name, trigger=JobRun.Trigger.MANUAL, requested_by=user)
        run_job.enqueue(run.pk)
    logger.info("job_enqueued", job=name, run_id=run.pk, trigger="manual")
    return run


def execute(run_id):
    """One attempt (the task worker calls this): skipped if another run holds the job's lease."""
    run = JobRun.objects.get(pk=run_id)
    job = schedule.get(run.job)
    if job is None:
        return _finish(
            run, JobRun.Status.FAILED, error="Tâche inconnue : elle n'est plus déclarée."
        )
    holder = f"run-{run.pk}"
    if not locks.acquire(job.name, holder, job.max_duration):
        logger.warning("job_skipped_locked", job=job.name, run_id=run.pk)
        return _finish(run, JobRun.Status.SKIPPED)
    try:
        return _attempt(job, run)
    finally:
        locks.release(job.name, holder)


def _attempt(job, run):
    run.status, run.started_at = JobRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    log = logger.bind(job=job.name, run_id=run.pk, attempt=run.attempt)
    log.info("job_started")
    output = io.StringIO()
    try:
        job.run(output)
    except Exception as error:
        log.error("job_failed", error=_describe(error), exc_info=True)
        _finish(run, JobRun.Status.FAILED, output=output.getvalue(), error=_error_text(error))
        _retry(job, run)
        return JobRun.Status.FAILED.value
    status = _finish(run, JobRun.Status.SUCCEEDED, output=output.getvalue())
    log.info("job_succeeded", duration_ms=round(run.duration.total_seconds() * 1000))
    return status


def _finish(run, status, *, output="", error=""):
    run.status, run.finished_at = status, timezone.now()
    run.output, run.error = output[-OUTPUT_LIMIT:], error
    run.save(update_fields=["status", "finished_at", "output", "error"])
    metrics.record_job(run)
    return status.value


def _retry(job, run):
    if run.attempt >= job.attempts:
        return
    retry = JobRun.objects.create(
        job=run.job,
        trigger=run.trigger,
        scheduled_for=run.scheduled_for,
        attempt=run.attempt + 1,
        requested_by=run.requested_by,
    )
    when = timezone.now() + job.retry_delay if job.retry_delay else None
    run_job.using(run_after=when).enqueue(retry.pk)
    logger.info("job_retry_enqueued", job=job.name, run_id=retry.pk, attempt=retry.attempt)


def _describe(error):
    return f"{type(error).__name__}: {error}"


def _error_text(error):
    """The error and the end of its traceback (where it was raised), for the administration."""
    lines = traceback.format_exception(error)
    return (_describe(error) + "\n\n" + "".join(lines[-6:]))[-OUTPUT_LIMIT:]


def latest_runs(names):
    """The last run of each job that actually ran (or is running), by job name."""
    last_ids = (
        JobRun.objects.filter(job__in=names)
        .exclude(status__in=[JobRun.Status.PENDING, JobRun.Status.SKIPPED])
        .values("job")
        .annotate(last=Max("id"))
        .values("last")
    )
    return {run.job: run for run in JobRun.objects.filter(pk__in=last_ids)}


def pending_jobs(names):
    """Names of the jobs with a run waiting for the worker (a retry, a manual run…)."""
    waiting = JobRun.objects.filter(job__in=names, status=JobRun.Status.PENDING)
    return set(waiting.values_list("job", flat=True))
