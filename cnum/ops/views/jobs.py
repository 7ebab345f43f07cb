"""The administration's page of periodic jobs: schedule, last run, next run, run now."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.policies import require_role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.ops import cron, schedule, services
from cnum.ops.models import JobRun
from cnum.ops.policies import JOB_ROLES

HISTORY = 30


def _job_or_404(name):
    job = schedule.get(name)
    if job is None:
        raise Http404
    return job


def _row(job, last, pending, now):
    return {
        "job": job,
        "schedule": cron.describe(job.cron),
        "last": last,
        "pending": pending,
        "next": cron.next_fire(job.cron, now),
    }


@require_role(*JOB_ROLES)
@require_GET
def job_list(request):
    jobs = schedule.jobs()
    names = [job.name for job in jobs]
    latest, pending = services.latest_runs(names), services.pending_jobs(names)
    now = timezone.now()
    rows = [_row(job, latest.get(job.name), job.name in pending, now) for job in jobs]
    return render(request, "ops/jobs.html", {"rows": rows, "title": "Tâches planifiées"})


@require_role(*JOB_ROLES)
@require_GET
def job_detail(request, name):
    job = _job_or_404(name)
    runs = JobRun.objects.filter(job=name).select_related("requested_by").order_by("-id")
    context = {
        "row": _row(job, None, False, timezone.now()),
        "runs": runs[:HISTORY],
        "history": HISTORY,
        "title": job.label,
    }
    return render(request, "ops/job_detail.html", context)


@require_role(*JOB_ROLES)
@require_http_methods(["GET", "POST"])
def job_run(request, name):
    job = _job_or_404(name)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=f"Lancer maintenant : {job.label}",
            consequences=(
                f"La tâche « {job.label} » ({job.command_line}) sera confiée au travailleur de "
                "tâches dans les secondes qui viennent, en plus de ses échéances habituelles. "
                "Si elle est déjà en cours ailleurs, ce lancement sera ignoré."
            ),
            details=[("Planification", cron.describe(job.cron))],
            confirm_label="Lancer la tâche maintenant",
            cancel_url=reverse("ops:jobs"),
        )
    services.run_now(job.name, request.user)
    messages.success(
        request,
        f"La tâche « {job.label} » est lancée ; son résultat s'affichera ici dès la fin.",
    )
    return redirect("ops:job_detail", name=job.name)
