import pytest
from django.core.management import call_command


@pytest.fixture
def run_tasks():
    """Run the real background worker over every task waiting in the queue, then return."""

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run
