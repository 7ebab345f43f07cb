"""Administration screens of the national allocation: launch a run, read its results."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.allocation import services
from cnum.allocation.forms import LaunchForm
from cnum.allocation.models import AllocationRun, RunStructure, Suggestion
from cnum.territories.models import Departement

admin_required = require_role(Role.ADMINISTRATEUR)
PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@admin_required
def runs(request):
    form = LaunchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.request_run(
                request.user,
                data["scope"],
                session=data["session"],
                departement=data["departement"],
            )
        except services.RunRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                "La répartition est lancée : les résultats s'affichent dès la fin du calcul.",
            )
            return redirect("allocation:run", pk=run.pk)
    page = Paginator(
        AllocationRun.objects.select_related("session", "departement", "launched_by"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {"title": "Répartition nationale des candidats", "form": form, "page": page}
    return render(request, "allocation/runs.html", context, status=400 if form.errors else 200)


@require_GET
@admin_required
def run(request, pk):
    run = get_object_or_404(
        AllocationRun.objects.select_related("session", "departement", "launched_by"), pk=pk
    )
    context = {
        "title": str(run),
        "run": run,
        "departements": services.departement_summary(run) if run.is_finished else [],
    }
    return render(request, "allocation/run.html", context)


@require_GET
@admin_required
def run_departement(request, pk, code):
    """The structures of one département in a run, each with its suggested candidates."""
    run = get_object_or_404(AllocationRun.objects.select_related("session", "departement"), pk=pk)
    departement = get_object_or_404(Departement, pk=code)
    rows = (
        RunStructure.objects.filter(run=run, departement=departement)
        .select_related("structure__commune")
        .order_by("structure__organisation_ptr__name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    structure_ids = [row.structure_id for row in page]
    suggestions = {}
    for suggestion in Suggestion.objects.filter(
        run=run, structure_id__in=structure_ids
    ).select_related("candidate__user", "candidate__commune"):
        suggestions.setdefault(suggestion.structure_id, []).append(suggestion)
    for row in page:
        row.suggested = suggestions.get(row.structure_id, [])
    context = {
        "title": f"{run} — {departement}",
        "run": run,
        "departement": departement,
        "page": page,
    }
    return render(request, "allocation/run_departement.html", context)
