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
