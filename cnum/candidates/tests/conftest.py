import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path, monkeypatch):
    """CVs written under a temporary directory, encrypted with a key from the environment (as in
    production); throttling counters start at zero."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("CV_ENCRYPTION_KEY", Fernet.generate_key().decode())
    cache.clear()
    yield
    cache.clear()


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
