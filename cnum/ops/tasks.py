from django_tasks import task


@task()
def run_job(run_id: int) -> str:
    """Run one attempt of a periodic job (cnum.ops.services.execute)."""
    from cnum.ops.services import execute

    return execute(run_id)
