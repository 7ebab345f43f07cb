"""One lease per job, in the database: a job never runs twice at once, on any machine."""

from django.db.models import Q
from django.utils import timezone

from cnum.ops.models import JobLock


def acquire(job, holder, duration):
    """Take the lease of `job` for `duration` unless someone holds an unexpired one."""
    JobLock.objects.get_or_create(job=job)
    now = timezone.now()
    free = Q(expires_at__isnull=True) | Q(expires_at__lt=now)
    # One conditional UPDATE: PostgreSQL re-checks the condition after waiting for a
    # concurrent holder's row lock, SQLite runs one writer at a time.
    taken = JobLock.objects.filter(free, job=job).update(holder=holder, expires_at=now + duration)
    return taken == 1


def release(job, holder):
    JobLock.objects.filter(job=job, holder=holder).update(holder="", expires_at=None)
