"""Test settings: the production settings with a throwaway key and a fast password hasher."""

import os

from cryptography.fernet import Fernet

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Files at rest are encrypted in every test, as in production (a fresh key per run).
os.environ.setdefault("CV_ENCRYPTION_KEY", Fernet.generate_key().decode())
# Cache keys of their own for each test process (xdist workers and runs may share one Redis);
# subprocesses started by a test inherit them.
os.environ.setdefault(
    "CACHE_KEY_PREFIX", f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)

from cnum.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
# Templates used only by the tests (e.g. a sample e-mail).
TEMPLATES[0]["DIRS"].append(BASE_DIR / "cnum" / "core" / "tests" / "templates")  # noqa: F405
# Static files straight from the apps (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if REDIS_URL:  # noqa: F405
    CACHES["default"]["BACKEND"] = "cnum.core.cache_testing.ProcessRedisCache"  # noqa: F405
