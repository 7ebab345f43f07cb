"""The administration's page of periodic jobs: every job with its schedule and last run, and
"run now" behind a confirmation."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.ops import schedule, services
from cnum.ops.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def test_the_page_lists_every_job_with_its_schedule_and_last_run(client, admin, run_tasks):
    services.enqueue_scheduled("verify_ledger")
    run_tasks()
    page = client.get(reverse("ops:jobs")).content.decode()
    for job in schedule.JOBS:
        assert escape(job.label) in page
    assert "Chaque jour à 3 h 45" in page  # verify_ledger
    assert "Toutes les 15 minutes" in page  # publish_stats
    assert "Réussi" in page
    assert "Jamais" in page  # the jobs that never ran yet
    assert "Prochaine exécution" in page


def test_run_now_asks_for_confirmation_then_runs_the_job(client, admin, run_tasks):
    url = reverse("ops:job_run", kwargs={"name": "verify_ledger"})
    page = client.get(url)
    assert "Lancer la tâche maintenant" in page.content.decode()
    client.post(url)  # a POST without the confirmation field only shows the page again
    assert not JobRun.objects.exists()

    response = client.post(url, {"confirm": "1"}, follow=True)
    run = JobRun.objects.get()
    assert run.trigger == JobRun.Trigger.MANUAL and run.requested_by == admin
    assert "est lancée" in response.content.decode()
    run_tasks()
    detail = client.get(reverse("ops:job_detail", kwargs={"name": "verify_ledger"}))
    text = detail.content.decode()
    assert "Lancé à la main par" in text and "Réussi" in text
    assert "Grand livre cohérent" in text


@pytest.mark.parametrize("role", [Role.CONSEILLER, Role.PREFET, Role.OPERATEUR_FINANCIER])
def test_other_roles_get_403_and_start_nothing(client, role):
    login(client, make_user(role))
    assert client.get(reverse("ops:jobs")).status_code == 403
    url = reverse("ops:job_run", kwargs={"name": "verify_ledger"})
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert not JobRun.objects.exists() and not DBTaskResult.objects.exists()


def test_an_unknown_job_is_a_404(client, admin):
    url = reverse("ops:job_run", kwargs={"name": "inconnue"})
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert not JobRun.objects.exists()
