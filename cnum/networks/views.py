"""Hubs and national networks: the lists of their scope and their exports; the managed list of
networks for the administration (docs/domaine.md#hubs-et-reseaux)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.pages import paginate
from cnum.exports.writers import tabular_response
from cnum.networks import lists
from cnum.networks.forms import NetworkNameForm, ScopeFilterForm
from cnum.structures import networks
from cnum.structures.models import Network

PER_PAGE = 50
FORMATS = ("csv", "xlsx")
scope_roles = require_role(*lists.SCOPE_ROLES)
administration_only = require_role(Role.ADMINISTRATEUR)

STRUCTURES = {
    "title": "Structures de mon périmètre",
    "filename": "structures-perimetre",
    "header": lists.STRUCTURE_HEADER,
    "values": lists.structure_values,
    "row": lists.structure_row,
    "with_structure": False,
    "export": "networks:structures_export",
    "template": "networks/structures.html",
}
CONSEILLERS = {
    "title": "Conseillers de mon périmètre",
    "filename": "conseillers-perimetre",
    "header": lists.CONSEILLER_HEADER,
    "values": lists.conseiller_values,
    "row": lists.conseiller_row,
    "with_structure": True,
    "export": "networks:conseillers_export",
    "template": "networks/conseillers.html",
}


def _read(request, kind):
    """The filter form and the values it selects (None when a filter is refused)."""
    form = ScopeFilterForm(
        request.GET or None, user=request.user, with_structure=kind["with_structure"]
    )
    if form.is_bound and not form.is_valid():
        return form, None
    filters = form.filters() if form.is_bound else {}
    return form, kind["values"](lists.filtered_structures(request.user, **filters))


def _list(request, kind):
    form, values = _read(request, kind)
    context = {"title": kind["title"], "form": form, "header": kind["header"], "kind": kind}
    if values is None:
        return render(request, kind["template"], context, status=400)
    page, query = paginate(request, values, PER_PAGE)
    rows = [kind["row"](v) for v in page.object_list]
    context.update(page=page, query=query, rows=rows, export_url=kind["export"])
    return render(request, kind["template"], context)


def _export(request, kind, fmt):
    if fmt not in FORMATS:
        raise Http404
    form, values = _read(request, kind)
    if values is None:
        context = {"title": kind["title"], "form": form, "header": kind["header"], "kind": kind}
        return render(request, kind["template"], context, status=400)
    rows = lists.streamed(values, kind["row"])
    return tabular_response(fmt, kind["filename"], kind["title"], kind["header"], rows)


@scope_roles
@require_GET
def structure_list(request):
    return _list(request, STRUCTURES)


@scope_roles
@require_GET
def structure_export(request, fmt):
    return _export(request, STRUCTURES, fmt)


@scope_roles
@require_GET
def conseiller_list(request):
    return _list(request, CONSEILLERS)


@scope_roles
@require_GET
def conseiller_export(request, fmt):
    return _export(request, CONSEILLERS, fmt)


# --- The managed list of networks (administration) ----------------------------------------


@administration_only
@require_GET
def network_list(request):
    found = Network.objects.annotate(members=Count("structures")).order_by("-active", "name")
    context = {"title": "Grands réseaux", "networks": found}
    return render(request, "networks/admin_list.html", context)


def _name_page(request, *, title, network=None, save):
    form = NetworkNameForm(
        request.POST if request.method == "POST" else None,
        initial={"name": network.name} if network else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data["name"])
        except networks.NetworkError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Grand réseau « {saved.name} » enregistré.")
            return redirect("networks:admin_list")
    context = {"title": title, "form": form, "network": network}
    status = 400 if form.is_bound else 200
    return render(request, "networks/admin_form.html", context, status=status)


@administration_only
@require_http_methods(["GET", "POST"])
def network_create(request):
    return _name_page(
        request,
        title="Ajouter un grand réseau",
        save=lambda name: networks.create_network(name, actor=request.user),
    )


@administration_only
@require_http_methods(["GET", "POST"])
def network_rename(request, pk):
    network = get_object_or_404(Network, pk=pk)
    return _name_page(
        request,
        title=f"Renommer « {network.name} »",
        network=network,
        save=lambda name: networks.rename_network(network, name, actor=request.user),
    )


@administration_only
@require_POST
def network_toggle(request, pk):
    network = get_object_or_404(Network, pk=pk)
    networks.set_active(network, not network.active, actor=request.user)
    if network.active:
        messages.success(request, f"« {network.name} » est de nouveau proposé aux structures.")
    else:
        messages.success(
            request,
            f"« {network.name} » n'est plus proposé ; ses structures et ses comptes le gardent.",
        )
    return redirect("networks:admin_list")
