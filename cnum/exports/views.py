"""Export pages: the list of exports with their filters, and the streamed downloads."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.exports import writers
from cnum.exports.datasets import DATASETS
from cnum.exports.forms import ExportForm
from cnum.exports.policies import EXPORT_ROLES, departements_in_scope


def _page(request, forms, status=200):
    context = {
        "title": "Exports",
        "forms": forms,
        "departements": departements_in_scope(request.user).order_by("code"),
    }
    return render(request, "exports/index.html", context, status=status)


def _form(request, dataset, data=None):
    return ExportForm(data, dataset=dataset, departements=departements_in_scope(request.user))


@require_GET
@require_role(*EXPORT_ROLES)
def index(request):
    return _page(request, [(d, _form(request, d)) for d in DATASETS.values()])


@require_GET
@require_role(*EXPORT_ROLES)
def download(request, slug):
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    form = _form(request, dataset, request.GET)
    if not form.is_valid():
        forms = [(d, form if d is dataset else _form(request, d)) for d in DATASETS.values()]
        return _page(request, forms, status=400)
    data = form.cleaned_data
    rows = dataset.rows(request.user, data["departement"], data["status"])
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    filename = f"{dataset.slug}-{data['departement'] or 'tous'}-{stamp}"
    if data["format"] == "xlsx":
        return writers.xlsx_response(filename, dataset.title, dataset.header, rows)
    return writers.csv_response(filename, dataset.header, rows)
