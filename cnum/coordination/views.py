"""The coordinator's screens: "Mon équipe", building the team, a member's page, and their own
activities (docs/coordination.md)."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.coordination import activities, services, team
from cnum.coordination.forms import ActivityForm, SearchForm, TeamFilterForm, TerritoryForm
from cnum.coordination.policies import coordinator_required, reachable_conseillers, team_member
from cnum.core.pages import paginate
from cnum.core.params import int_param
from cnum.exports.writers import csv_response, tabular_response
from cnum.stats import teams
from cnum.stats.models import Coordination, CoordinationTerritory
from cnum.workshops.models import Workshop

SEARCH_LIMIT = 20
RECENT_WORKSHOPS = 10
ACTIVITIES_PER_PAGE = 50

# --- Mon équipe ---------------------------------------------------------------------------


def _filtered_team(request):
    """(form, members shown, every member) of "Mon équipe" under the GET filters."""
    members = team.members(request.user)
    form = TeamFilterForm(
        request.GET or None, members=members, with_activity=team.last_activity_available()
    )
    shown = members
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        shown = team.filtered(
            members,
            structure=data["structure"],
            departement=data["departement"],
            state=data["formation"],
            inactive=data.get("sans_activite", False),
        )
    return form, shown, members


@require_GET
def team_view(request):
    coordinator_required(request.user)
    form, shown, members = _filtered_team(request)
    context = {
        "title": "Mon équipe",
        "form": form,
        "members": shown,
        "team_size": len(members),
        "has_last_activity": team.last_activity_available(),
        "query": request.GET.urlencode(),
        "summary": activities.summary(request.user),
        "territories": _territories(request.user),
    }
    return render(request, "coordination/team.html", context, status=400 if form.errors else 200)


@require_GET
def team_export(request):
    coordinator_required(request.user)
    form, shown, _ = _filtered_team(request)
    if form.errors:
        return redirect("coordination:team")
    rows = team.export_rows(shown)
    fmt = request.GET.get("format")
    return tabular_response(fmt, "mon-equipe", "Mon équipe", team.EXPORT_HEADER, rows)


@require_GET
def member(request, pk):
    coordinator_required(request.user)
    user = team_member(request.user, pk)
    (found,) = team.members(request.user, users=type(user).objects.filter(pk=user.pk))
    recent = (
        Workshop.objects.filter(conseiller=user)
        .select_related("place__commune")
        .order_by("-starts_at")[:RECENT_WORKSHOPS]
    )
    context = {
        "title": user.get_full_name(),
        "member": found,
        "workshops": recent,
        "has_last_activity": team.last_activity_available(),
    }
    return render(request, "coordination/member.html", context)


# --- Building the team --------------------------------------------------------------------


def _territories(coordinator):
    return list(
        CoordinationTerritory.objects.filter(coordinator=coordinator)
        .select_related("departement", "region")
        .order_by("region__nom", "departement__code")
    )


def _named(coordinator):
    return list(
        Coordination.objects.filter(coordinator=coordinator)
        .select_related("conseiller")
        .order_by("conseiller__last_name", "conseiller__first_name")
    )


@require_http_methods(["GET", "POST"])
def team_edit(request):
    coordinator = coordinator_required(request.user)
    territories = _territories(coordinator)
    initial = {
        "departements": [t.departement for t in territories if t.departement_id],
        "region": next((t.region for t in territories if t.region_id), None),
    }
    territory_form = TerritoryForm(initial=initial, coordinator=coordinator)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "territoire":
            territory_form = TerritoryForm(request.POST, coordinator=coordinator)
            if territory_form.is_valid():
                try:
                    services.set_territory(
                        coordinator,
                        departements=list(territory_form.cleaned_data["departements"]),
                        region=territory_form.cleaned_data["region"],
                    )
                except services.TeamError as error:
                    territory_form.add_error(None, str(error))
                else:
                    messages.success(request, "Le territoire de votre équipe est enregistré.")
                    return redirect("coordination:team_edit")
            status = 400
        elif action in ("ajouter", "retirer"):
            return _change_named(request, coordinator, action)
        else:
            messages.error(request, "Action inconnue.")
            status = 400
    search = SearchForm(request.GET if "q" in request.GET else None)
    context = {
        "title": "Composer mon équipe",
        "territory_form": territory_form,
        "named": _named(coordinator),
        "search": search,
        "results": _search(coordinator, search),
        "team_size": len(teams.team_ids(coordinator)),
    }
    return render(request, "coordination/team_edit.html", context, status=status)


def _change_named(request, coordinator, action):
    pk = int_param(request.POST, "conseiller")
    try:
        if pk is None:
            raise services.TeamError("Choisissez un conseiller.")
        if action == "ajouter":
            added = services.add_conseiller(coordinator, pk)
            messages.success(request, f"{added.get_full_name()} fait partie de votre équipe.")
        else:
            services.remove_conseiller(coordinator, pk)
            messages.success(request, "Le conseiller n'est plus nommé dans votre équipe.")
    except services.TeamError as error:
        messages.error(request, str(error))
    return redirect("coordination:team_edit")


def _search(coordinator, form):
    if not form.is_bound or not form.is_valid():
        return []
    named = Coordination.objects.filter(coordinator=coordinator).values("conseiller_id")
    found = reachable_conseillers(coordinator).exclude(pk__in=named)
    for word in form.cleaned_data["q"].split()[:4]:
        found = found.filter(_name_matches(word))
    return list(found.order_by("last_name", "first_name")[:SEARCH_LIMIT])


def _name_matches(word):
    return Q(first_name__icontains=word) | Q(last_name__icontains=word)


# --- The coordinator's own activities -----------------------------------------------------


def _my_activity(request, pk):
    return get_object_or_404(activities.of(request.user), pk=pk)


@require_GET
def activity_list(request):
    coordinator_required(request.user)
    rows = activities.of(request.user).select_related("structure", "departement")
    page, query = paginate(request, rows, ACTIVITIES_PER_PAGE)
    context = {"title": "Mes activités de coordination", "page": page, "query": query}
    return render(request, "coordination/activities.html", context)


@require_http_methods(["GET", "POST"])
def activity_create(request):
    return _activity_form(request, None)


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    coordinator_required(request.user)
    return _activity_form(request, _my_activity(request, pk))


def _activity_form(request, activity):
    coordinator = coordinator_required(request.user)
    form = ActivityForm(request.POST or None, instance=activity, coordinator=coordinator)
    if request.method == "POST" and form.is_valid():
        services.save_activity(coordinator, form)
        messages.success(request, "L'activité est enregistrée.")
        return redirect("coordination:activities")
    context = {
        "title": "Modifier une activité" if activity else "Nouvelle activité de coordination",
        "form": form,
        "activity": activity,
    }
    status = 400 if form.errors else 200
    return render(request, "coordination/activity_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    coordinator = coordinator_required(request.user)
    activity = _my_activity(request, pk)
    if request.method == "POST":
        services.delete_activity(coordinator, activity)
        messages.success(request, "L'activité est supprimée.")
        return redirect("coordination:activities")
    context = {"title": "Supprimer une activité", "activity": activity}
    return render(request, "coordination/activity_delete.html", context)


@require_GET
def activity_export(request):
    coordinator = coordinator_required(request.user)
    return csv_response(
        "activites-de-coordination", activities.EXPORT_HEADER, activities.export_rows(coordinator)
    )
