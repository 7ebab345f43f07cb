"""gunicorn settings read by deploy/launch: Prometheus metrics shared by the worker processes."""

import os


def child_exit(server, worker):
    # A recycled worker's live gauges leave the shared metrics directory with it.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
