"""Daily reminder to the people registered to tomorrow's workshops (Europe/Paris)."""

from django_tasks import task

from cnum.workshops.services import send_reminders


@task()
def workshop_reminders_task() -> int:
    return send_reminders()
