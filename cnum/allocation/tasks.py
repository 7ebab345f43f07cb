"""The allocation runs in the background worker: it may take a minute at national scale."""

from django_tasks import task

from cnum.allocation import services
from cnum.allocation.models import AllocationRun


@task()
def run_allocation(run_id: int) -> int:
    """Compute run `run_id`; returns the number of posts filled by the optimum."""
    run = AllocationRun.objects.select_related("session", "departement").get(pk=run_id)
    if run.finished_at is not None:
        return run.optimal_filled  # already computed (a task delivered twice)
    try:
        services.compute(run)
    except Exception as error:  # recorded for the administration, then re-raised for the log
        services.fail(run, error)
        raise
    return run.optimal_filled
