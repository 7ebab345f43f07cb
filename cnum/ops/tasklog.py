"""Each background task logs under the context of the request that enqueued it, with its
duration, and feeds the task metrics (connected in OpsConfig.ready)."""

import structlog
from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

from cnum.ops import metrics
from cnum.ops.task_backend import stored_context

logger = structlog.get_logger("cnum.tasks")


@receiver(task_started)
def bind_task_context(sender, task_result, **kwargs):
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(
        **stored_context(task_result),
        task_id=str(task_result.id),
        task=task_result.task.module_path,
    )


@receiver(task_finished)
def log_task_finished(sender, task_result, **kwargs):
    metrics.record_task(task_result)
    duration_ms = None
    if task_result.started_at and task_result.finished_at:
        seconds = (task_result.finished_at - task_result.started_at).total_seconds()
        duration_ms = round(seconds * 1000)
    failed = task_result.status == "FAILED"
    log = logger.error if failed else logger.info
    log("task_finished", status=str(task_result.status), duration_ms=duration_ms)
    structlog.contextvars.clear_contextvars()
