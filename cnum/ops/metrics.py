"""Prometheus metrics: request latency by view (django-prometheus middleware), background task
and periodic job durations and failures, task queue depth; served on /metrics to Prometheus
only (bearer token or allowed address)."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from cnum.core.throttling import client_ip

DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)

TASK_DURATION = Histogram(
    "cnum_task_duration_seconds",
    "Duration of background tasks, by task.",
    ["task"],
    buckets=DURATION_BUCKETS,
)
TASK_FAILURES = Counter("cnum_task_failures", "Background tasks that failed, by task.", ["task"])
JOB_RUNS = Counter("cnum_job_runs", "Periodic job attempts, by job and result.", ["job", "result"])
JOB_DURATION = Histogram(
    "cnum_job_duration_seconds",
    "Duration of periodic job attempts, by job.",
    ["job"],
    buckets=DURATION_BUCKETS,
)


def record_task(task_result):
    path = task_result.task.module_path
    if task_result.started_at and task_result.finished_at:
        duration = (task_result.finished_at - task_result.started_at).total_seconds()
        TASK_DURATION.labels(path).observe(duration)
    if task_result.status == "FAILED":
        TASK_FAILURES.labels(path).inc()


def record_job(run):
    JOB_RUNS.labels(run.job, run.status).inc()
    if run.duration is not None:
        JOB_DURATION.labels(run.job).observe(run.duration.total_seconds())


class QueueCollector:
    """Read at each scrape from the database, so it holds for every worker on every machine."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        due = DBTaskResult.objects.ready().order_by()
        stats = due.aggregate(oldest=Min("enqueued_at"))
        depth = due.count()
        age = (timezone.now() - stats["oldest"]).total_seconds() if stats["oldest"] else 0
        yield GaugeMetricFamily(
            "cnum_task_queue_depth", "Background tasks due and waiting for a worker.", value=depth
        )
        yield GaugeMetricFamily(
            "cnum_task_queue_oldest_seconds", "Age of the oldest task waiting.", value=age
        )


def exposition():
    """The text Prometheus scrapes: this process's metrics, or those of every process of the
    machine when PROMETHEUS_MULTIPROC_DIR is set (gunicorn with several workers), then the queue."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queue = CollectorRegistry(auto_describe=False)
    queue.register(QueueCollector())
    return generate_latest(registry) + generate_latest(queue)


def enabled():
    return bool(settings.METRICS_TOKEN or settings.METRICS_ALLOWED_IPS)


def allowed(request):
    """The right bearer token (compared in constant time), or an address of METRICS_ALLOWED_IPS
    (addresses or networks, as seen through PROXY_COUNT trusted proxies)."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    networks = settings.METRICS_ALLOWED_IPS
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
