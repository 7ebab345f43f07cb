"""The administration's view of coordinators: who coordinates what, and setting a coordinator's
territory (docs/coordination.md#equipe)."""

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.models import Membership, User
from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.coordination import services
from cnum.coordination.forms import TerritoryForm
from cnum.core.pages import paginate
from cnum.stats.models import CoordinationTerritory

PER_PAGE = 50


def _coordinators():
    active = Membership.objects.filter(user=OuterRef("pk"), role=Role.COORDINATEUR, is_active=True)
    posts = Membership.objects.filter(role=Role.COORDINATEUR, is_active=True).select_related(
        "organisation"
    )
    territories = CoordinationTerritory.objects.select_related("departement", "region")
    return (
        User.objects.filter(Exists(active))
        .annotate(named=Count("coordinated", distinct=True))
        .prefetch_related(
            Prefetch("memberships", queryset=posts, to_attr="posts"),
            Prefetch("coordinated_territories", queryset=territories, to_attr="territories"),
        )
        .order_by("last_name", "first_name", "pk")
    )


@require_GET
@require_role(Role.ADMINISTRATEUR)
def admin_list(request):
    page, query = paginate(request, _coordinators(), PER_PAGE)
    context = {"title": "Coordinateurs et leurs équipes", "page": page, "query": query}
    return render(request, "coordination/admin_list.html", context)


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMINISTRATEUR)
def admin_team(request, pk):
    coordinator = _coordinators().filter(pk=pk).first()
    if coordinator is None:
        raise Http404
    territories = coordinator.territories
    initial = {
        "departements": [t.departement for t in territories if t.departement_id],
        "region": next((t.region for t in territories if t.region_id), None),
    }
    form = TerritoryForm(
        request.POST or None, initial=initial, coordinator=coordinator, national=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_territory(
                coordinator,
                departements=list(form.cleaned_data["departements"]),
                region=form.cleaned_data["region"],
                by=request.user,
            )
        except services.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le territoire de l'équipe est enregistré.")
            return redirect("coordination:admin_list")
    title = f"Équipe de {coordinator.get_full_name()}"
    context = {"title": title, "form": form, "who": coordinator}
    status = 400 if form.errors else 200
    return render(request, "coordination/admin_team.html", context, status=status)
