"""Two task workers picking runs of the same job at the same instant, each on its own database
connection: the lease lets exactly one run it."""

import pytest
from django.db import connection

from cnum.core.concurrency_testing import race
from cnum.ops import services
from cnum.ops.models import JobRun

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def test_two_concurrent_runners_run_the_job_once(test_jobs):
    # Two runs of one job (two ticks, or a tick and a manual run), handed to two workers.
    first = JobRun.objects.create(job="essai_lent", trigger=JobRun.Trigger.SCHEDULE)
    second = JobRun.objects.create(job="essai_lent", trigger=JobRun.Trigger.MANUAL)
    outcomes = race([lambda: services.execute(first.pk), lambda: services.execute(second.pk)])
    assert outcomes == ["ok", "ok"]
    statuses = sorted(JobRun.objects.values_list("status", flat=True))
    assert statuses == sorted([JobRun.Status.SUCCEEDED, JobRun.Status.SKIPPED])
    assert test_jobs.calls == ["lent"]
