"""Test settings: the production settings with a throwaway key and a fast password hasher."""

import os

from cryptography.fernet import Fernet

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Files at rest are encrypted in every test, as in production (a fresh key per run).
os.environ.setdefault("CV_ENCRYPTION_KEY", Fernet.generate_key().decode())

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
# Cache keys of their own for each test process (xdist workers and other runs may share one
# Redis), unless CACHE_KEY_PREFIX names them (processes started by a test, sharing its cache).
if "CACHE_KEY_PREFIX" not in os.environ:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    CACHES["default"]["KEY_PREFIX"] = f"test-{worker}-{os.getpid()}"  # noqa: F405
if REDIS_URL:  # noqa: F405
    CACHES["default"]["BACKEND"] = "cnum.core.cache_testing.ProcessRedisCache"  # noqa: F405
