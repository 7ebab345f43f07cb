"""The production settings for the servers the launch smoke test starts, with one difference:
static files are served by WhiteNoise straight from the apps' directories, because collecting
and hashing the ~10 000 files of the design system takes minutes (deploy/launch prepare does it
in production)."""

from cnum.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# A job due every minute, so that the two machines' schedulers both reach one of its ticks
# during the test (the platform's own jobs are daily or quarter-hourly).
from cnum.ops.schedule import Job, register  # noqa: E402

SMOKE_JOB = "essai_lancement"
register(Job(SMOKE_JOB, "Tâche d'essai du lancement", "* * * * *", ("check",)))
