"""Daily end of contracts (run by `manage.py end_contracts`)."""

from django_tasks import task

from cnum.recruitment.services import end_expired_contracts


@task()
def end_contracts_task() -> int:
    return end_expired_contracts()
