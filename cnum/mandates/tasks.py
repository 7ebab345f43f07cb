from django_tasks import task

from cnum.mandates import retention


@task()
def send_expiry_reminders() -> int:
    return retention.send_expiry_reminders()


@task()
def purge_ended_mandates() -> int:
    return retention.purge_ended_mandates()
