from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cnum.core.params import str_param
from cnum.territories.forms import DEFAULT_RADIUS, CommuneSearchForm, RadiusForm
from cnum.territories.models import Commune
from cnum.territories.services import communes_within, search_communes

MAX_NEARBY_ROWS = 200  # Paris within 30 km is ~400 communes: a readable page, not all of them
MAX_SUGGESTIONS = 10


def _nearby(commune, radius):
    found = [
        nearby
        for nearby in communes_within(commune.latitude, commune.longitude, radius)
        if nearby.commune.pk != commune.pk
    ]
    return {"nearby": found[:MAX_NEARBY_ROWS], "nearby_total": len(found), "rayon": radius}


@login_not_required
@require_GET
def search(request):
    """Public entry point to the reference data: find a commune, see its neighbours."""
    bound = "commune" in request.GET
    data = request.GET.copy()
    data.setdefault("rayon", str(DEFAULT_RADIUS))  # so that the default radio shows as checked
    form = CommuneSearchForm(data if bound else None)
    context = {"title": "Trouver une commune", "form": form}
    if bound and form.is_valid():
        commune = form.cleaned_data["commune"]
        context.update(commune=commune, **_nearby(commune, form.cleaned_data["rayon"]))
    return render(request, "territories/search.html", context)


@login_not_required
@require_GET
def commune(request, code_insee):
    commune = get_object_or_404(
        Commune.objects.select_related("departement", "region", "parent"), pk=code_insee
    )
    data = request.GET.copy()
    data.setdefault("rayon", str(DEFAULT_RADIUS))
    form = RadiusForm(data)
    radius = form.cleaned_data["rayon"] if form.is_valid() else DEFAULT_RADIUS
    context = {
        "title": f"{commune.nom} ({commune.departement_id})",
        "commune": commune,
        "form": form,
        **_nearby(commune, radius),
    }
    return render(request, "territories/commune.html", context)


@login_not_required
@require_GET
def autocomplete(request):
    """Options of the commune combobox (an HTML fragment for htmx)."""
    q = str_param(request.GET, "q", max_length=100)
    communes = search_communes(q, MAX_SUGGESTIONS) if q else []
    return render(request, "territories/_suggestions.html", {"communes": communes})
