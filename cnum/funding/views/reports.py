"""National screens: envelope dashboard, accounting export, cost report, envelopes, grid, kits."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.params import int_param
from cnum.exports import writers
from cnum.funding import reports
from cnum.funding.forms import EnvelopeForm, KitTypeForm, PeriodForm
from cnum.funding.models import Envelope, GridVersion, KitType

national_required = require_role(Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR)
admin_required = require_role(Role.ADMINISTRATEUR)
PAGE_SIZE = 50


@require_GET
@national_required
def dashboard(request):
    data = reports.dashboard(int_param(request.GET, "enveloppe"))
    return render(request, "funding/dashboard.html", {"title": "Enveloppes", "data": data})


@require_GET
@national_required
def export(request):
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        context = {"title": "Export comptable", "form": form}
        return render(request, "funding/export.html", context, status=400 if form.errors else 200)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    entries = reports.export_entries(start, end)
    filename = f"ecritures-{start:%Y%m%d}-{end:%Y%m%d}"
    rows = reports.export_rows(entries)
    if form.cleaned_data["format"] == "xlsx":
        return writers.xlsx_response(filename, "Écritures", reports.HEADER, rows)
    return writers.csv_response(filename, reports.HEADER, rows)


@require_GET
@national_required
def cost_report(request):
    page = Paginator(reports.cost_rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"title": "Coût par conseiller", "page": page, "totals": reports.cost_totals()}
    return render(request, "funding/cost_report.html", context)


@require_GET
@national_required
def grid(request):
    versions = GridVersion.objects.prefetch_related("amounts", "instalments")
    return render(
        request, "funding/grid.html", {"title": "Grille de financement", "versions": versions}
    )


@require_http_methods(["GET", "POST"])
@admin_required
def envelopes(request):
    form = EnvelopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'enveloppe est créée.")
        return redirect("funding:envelopes")
    context = {"title": "Enveloppes budgétaires", "envelopes": Envelope.objects.all(), "form": form}
    return render(request, "funding/envelopes.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@admin_required
def kit_types(request):
    form = KitTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le kit est ajouté au catalogue.")
        return redirect("funding:kit_types")
    context = {"title": "Catalogue des kits", "kit_types": KitType.objects.all(), "form": form}
    return render(request, "funding/kit_types.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@admin_required
def kit_type_edit(request, pk):
    kit_type = get_object_or_404(KitType, pk=pk)
    form = KitTypeForm(request.POST or None, instance=kit_type)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, "Le kit est modifié ; les demandes déjà faites gardent leur coût."
        )
        return redirect("funding:kit_types")
    context = {"title": f"Modifier « {kit_type.name} »", "kit_type": kit_type, "form": form}
    return render(
        request, "funding/kit_type_edit.html", context, status=400 if form.errors else 200
    )
