import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

# The test database holds the full territories reference data (loaded once per session).
pytest_plugins = [
    "cnum.territories.testing",
    "cnum.core.browser_testing",
    "cnum.core.cache_testing",
]


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the real background worker over every task waiting in the queue, then return."""
    # The worker recycles connections between tasks; inside a test's transaction that would
    # close the test's own connection (as Django's test client avoids for requests).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


@pytest.fixture
def keep_connection_across_requests():
    """For tests calling the WSGI application directly (not through Django's test client)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def send_emails(django_capture_on_commit_callbacks, run_tasks, mailoutbox):
    """Run the on-commit hooks of a block, then the task worker: the e-mails land in mailoutbox."""

    class Sender:
        def __enter__(self):
            self._capture = django_capture_on_commit_callbacks(execute=True)
            return self._capture.__enter__()

        def __exit__(self, *exc):
            self._capture.__exit__(*exc)
            if exc[0] is None:
                run_tasks()

    return Sender


def pytest_collection_modifyitems(config, items):
    """Modules of browser journeys first, then the others largest first. `make test` gives whole
    modules to each worker in this order (--dist loadscope --no-loadscope-reorder): the slow
    journeys start at once on every worker, and the quick modules fill in at the end, instead of
    a few journey modules (small in number of tests, so scheduled last by default) ending the run
    on one worker while the others wait. Other runs keep their order (--ff, changed apps first)."""
    if config.getoption("loadscopereorder", default=True):
        return
    modules = {}
    for item in items:
        module = modules.setdefault(item.nodeid.split("::")[0], [False, 0])
        module[0] |= item.get_closest_marker("browser") is not None
        module[1] += 1

    def order(item):
        browser, count = modules[item.nodeid.split("::")[0]]
        return (not browser, -count, item.nodeid.split("::")[0])

    items.sort(key=order)
