import pytest
from django.core.management import call_command


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run the real task worker over what the code under test enqueued after commit."""

    def run(callbacks_context=None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run
