from django_tasks import task

from cnum.activity.retention import purge_expired


@task()
def purge_beneficiaries_task() -> int:
    """Retention of followed beneficiaries (run daily, see purge_beneficiaries)."""
    return purge_expired()
