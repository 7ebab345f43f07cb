"""Test settings: the production settings with a throwaway key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

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
