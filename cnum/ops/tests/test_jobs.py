"""Periodic jobs through the real task worker: one run per tick, a lease, retries, records."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cnum.ops import locks, services
from cnum.ops.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_declared_job_runs_in_the_task_worker_and_records_its_run(run_tasks):
    run = services.enqueue_scheduled("verify_ledger")
    assert JobRun.objects.get().status == JobRun.Status.PENDING
    run_tasks()
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED
    assert run.trigger == JobRun.Trigger.SCHEDULE and run.attempt == 1
    assert run.started_at <= run.finished_at and run.duration is not None
    assert "Grand livre cohérent" in run.output
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_tick_is_enqueued_once_however_many_schedulers_fire():
    # Two seconds after the 10:15 tick (Paris time).
    now = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 15, 2))
    first = services.enqueue_scheduled("publish_stats", now=now)
    # A second scheduler (another machine) serving the same tick a few seconds later.
    again = services.enqueue_scheduled("publish_stats", now=now + datetime.timedelta(seconds=3))
    assert first is not None and again is None
    assert JobRun.objects.count() == 1 and DBTaskResult.objects.count() == 1
    assert timezone.localtime(first.scheduled_for).time() == datetime.time(10, 15)


def test_a_run_is_skipped_while_another_one_holds_the_job(test_jobs, run_tasks):
    # Another worker, elsewhere, is running the job.
    assert locks.acquire("essai_compte", "run-ailleurs", datetime.timedelta(minutes=10))
    run = services.enqueue_scheduled("essai_compte")
    run_tasks()
    run.refresh_from_db()
    assert run.status == JobRun.Status.SKIPPED and test_jobs.calls == []
    # Once it is done, the next tick runs normally.
    locks.release("essai_compte", "run-ailleurs")
    later = services.enqueue_scheduled("essai_compte", now=timezone.now() + datetime.timedelta(1))
    run_tasks()
    later.refresh_from_db()
    assert later.status == JobRun.Status.SUCCEEDED and test_jobs.calls == ["ok"]


def test_an_expired_lease_does_not_block_the_job(test_jobs, run_tasks):
    # A worker died mid-run an hour ago: its lease has run out.
    assert locks.acquire("essai_compte", "run-mort", datetime.timedelta(seconds=-1))
    run = services.enqueue_scheduled("essai_compte")
    run_tasks()
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED and test_jobs.calls == ["ok"]


def test_a_failing_job_is_retried_then_recorded_as_failed_with_its_error(
    test_jobs, run_tasks, caplog
):
    services.enqueue_scheduled("essai_en_echec")
    with caplog.at_level("ERROR", logger="cnum.ops.jobs"):
        run_tasks()
    runs = list(JobRun.objects.order_by("attempt"))
    assert [run.attempt for run in runs] == [1, 2, 3]  # declared: 2 retries
    assert {run.status for run in runs} == {JobRun.Status.FAILED}
    assert len({run.scheduled_for for run in runs}) == 1
    assert all("serveur de fichiers injoignable" in run.error for run in runs)
    assert all("RuntimeError" in run.error for run in runs)
    assert test_jobs.calls == ["échec"] * 3
    failures = [r.msg for r in caplog.records if r.levelname == "ERROR"]
    assert [f["event"] for f in failures] == ["job_failed"] * 3
    assert "serveur de fichiers injoignable" in failures[0]["error"]
    # The lease is free again for the next tick.
    assert locks.acquire("essai_en_echec", "suivant", datetime.timedelta(minutes=1))


def test_a_failing_command_is_recorded_with_its_message(run_tasks):
    from cnum.funding.models import Envelope

    # A cached total edited behind the ledger's back: the nightly check must say so.
    Envelope.objects.filter(code="conseillers-2020").update(committed_cents=123)
    run = services.enqueue_scheduled("verify_ledger")
    run_tasks()
    run.refresh_from_db()
    assert run.status == JobRun.Status.FAILED and run.attempt == 1  # checks are not retried
    assert "1 solde(s) différent(s) de la somme des écritures" in run.error
    assert "Écart" in run.output
