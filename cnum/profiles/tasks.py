from django_tasks import task

from cnum.profiles import dormancy


@task()
def process_inactive_accounts() -> dict:
    """Daily: warn, deactivate, then anonymise accounts nobody logs into (see dormancy)."""
    return dormancy.run()
