"""Pages of a structure's managers: candidates screen, candidate detail, notes, manual search.
Thin: rules in eligibility/screen/services, scope in policies."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.candidates import services as candidate_services
from cnum.candidates.policies import can_download_cv
from cnum.core.workflow import InvalidTransition
from cnum.matching import screen, services
from cnum.matching.eligibility import Eligibility
from cnum.matching.forms import ActionForm, FilterForm, NoteForm, SearchForm
from cnum.matching.policies import candidate_for_structure, may_contact
from cnum.structures.policies import managed_structure

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)


@require_GET
@manager_required
def candidates(request, pk):
    structure = managed_structure(request.user, pk)
    form = FilterForm(request.GET)
    result = screen.build(
        structure,
        tab=request.GET.get("onglet", screen.NEW),
        filters=form.filters(),
        order=form.order(),
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("onglet", None)
    context = {
        "title": f"Candidats — {structure.name}",
        "structure": structure,
        "screen": result,
        "tabs": [(name, label, result.counts[name]) for name, (label, _) in screen.TABS.items()],
        "form": form,
        "query": query.urlencode(),
        "tab_query": tab_query.urlencode(),
    }
    return render(request, "matching/candidates.html", context)


@require_GET
@manager_required
def candidate_detail(request, pk, candidate_pk):
    structure = managed_structure(request.user, pk)
    return render(
        request, "matching/candidate.html", _detail_context(request, structure, candidate_pk)
    )


def _detail_context(request, structure, candidate_pk, note_form=None):
    profile, match = candidate_for_structure(structure, candidate_pk)
    eligibility = Eligibility(structure)
    return {
        "title": f"Candidat : {profile.user.get_full_name()}",
        "structure": structure,
        "candidate": profile,
        "match": match,
        "distance_km": eligibility.distance_to(profile.commune),
        "eligible": eligibility.is_eligible(profile),
        "late": profile.availability_date > structure.mission_start,
        "may_contact": may_contact(match),
        "can_download_cv": may_contact(match) and can_download_cv(request.user, profile),
        "notes": services.notes_for(structure, profile),
        "note_form": note_form or NoteForm(),
        "actions": _actions(match),
        "is_open": eligibility.is_open,
    }


def _actions(match):
    """The sorting moves offered from the current status (POST buttons)."""
    status = match.status if match else "nouvelle"
    return {
        "nouvelle": ["preselect", "not_retained"],
        "interessee": ["not_retained", "back_to_new"],
        "nonInteressee": ["preselect", "back_to_new"],
    }.get(status, [])


@require_POST
@manager_required
def note_create(request, pk, candidate_pk):
    structure = managed_structure(request.user, pk)
    profile, _ = candidate_for_structure(structure, candidate_pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(structure, profile, request.user, form.cleaned_data)
        messages.success(request, "Votre note est enregistrée.")
        return redirect("matching:candidate", pk=pk, candidate_pk=candidate_pk)
    context = _detail_context(request, structure, candidate_pk, note_form=form)
    return render(request, "matching/candidate.html", context, status=400)


@require_POST
@manager_required
def match_action(request, pk, candidate_pk):
    structure = managed_structure(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Action inconnue : rechargez la page et réessayez.")
        return redirect("matching:candidates", pk=pk)
    action = form.cleaned_data["action"]
    profile = _profile_for_action(structure, candidate_pk, action)
    try:
        services.ACTIONS[action](structure, profile, request.user)
    except services.MatchingError as error:
        messages.error(request, error.message)
    except InvalidTransition:
        messages.error(request, "Ce candidat a changé d'état entre-temps : rechargez la page.")
    else:
        messages.success(request, DONE[action].format(name=profile.user.get_full_name()))
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("matching:candidate", kwargs={"pk": pk, "candidate_pk": candidate_pk})
    return redirect(target)


DONE = {
    "preselect": "{name} est présélectionné(e) : ses coordonnées sont visibles.",
    "not_retained": "{name} n'est pas retenu(e).",
    "back_to_new": "{name} est remis(e) parmi les nouvelles candidatures.",
}


def _profile_for_action(structure, candidate_pk, action):
    """Pre-selection also reaches candidates found by the manual search (any available
    active candidate of France); other moves only those the structure sees."""
    if action == "preselect":
        found = services.searchable(candidate_pk)
        if found is not None:
            return found
    profile, _ = candidate_for_structure(structure, candidate_pk)
    return profile


@require_GET
@manager_required
def search(request, pk):
    structure = managed_structure(request.user, pk)
    form = SearchForm(request.GET)
    results, error = [], ""
    if form.is_valid():
        results, error = services.search(form.cleaned_data["nom"], form.cleaned_data["commune"])
    eligibility = Eligibility(structure)
    rows = [(profile, eligibility.distance_to(profile.commune)) for profile in results]
    context = {
        "title": f"Rechercher un candidat — {structure.name}",
        "structure": structure,
        "form": form,
        "rows": rows,
        "error": error,
        "searched": bool(form.is_valid() and any(form.cleaned_data.values())),
        "is_open": eligibility.is_open,
    }
    return render(request, "matching/search.html", context)


@require_GET
@manager_required
def cv_download(request, pk, candidate_pk):
    """The CV of a candidate this structure pre-selected; anyone else gets a 404."""
    structure = managed_structure(request.user, pk)
    profile, match = candidate_for_structure(structure, candidate_pk)
    if not (may_contact(match) and can_download_cv(request.user, profile)):
        raise Http404
    response = HttpResponse(candidate_services.read_cv(profile), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-candidat-{profile.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
