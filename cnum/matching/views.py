"""Pages of a structure's managers: candidates screen, candidate detail, notes, manual search,
contact requests; the candidate's answers to those requests. Thin: rules in
eligibility/screen/services/contact/reveals, scope in policies."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.candidates import services as candidate_services
from cnum.candidates.models import CandidateProfile
from cnum.candidates.policies import can_download_cv
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate
from cnum.matching import batch, contact, reveals, screen, services
from cnum.matching.eligibility import Eligibility
from cnum.matching.enums import RevealKind
from cnum.matching.forms import (
    ActionForm,
    AnswerForm,
    FilterForm,
    IdsField,
    NoteForm,
    PostponeForm,
    RefuseForm,
    RevealFilterForm,
    SearchForm,
)
from cnum.matching.models import CandidateReveal
from cnum.matching.policies import (
    NOT_VALIDATED,
    candidate_for_structure,
    contact_allowed,
    may_see_candidates,
)
from cnum.structures.policies import managed_structure
from cnum.workflow.engine import InvalidTransition

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)


def candidates_view(view):
    """A manager of the structure, which must be validated by the committee to see any
    candidate (403 with the reason otherwise); the view receives the structure."""

    @manager_required
    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        structure = managed_structure(request.user, pk)
        if not may_see_candidates(structure):
            context = {"title": "Structure non validée", "structure": structure}
            context["message"] = NOT_VALIDATED
            return render(request, "matching/not_validated.html", context, status=403)
        return view(request, structure, *args, **kwargs)

    return wrapped


@require_GET
@candidates_view
def candidates(request, structure):
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
        "batch": result.tab in screen.BATCH_TABS and bool(result.rows),
    }
    return render(request, "matching/candidates.html", context)


BATCH_FORMS = {"refuser": RefuseForm, "reporter": PostponeForm}


@require_POST
@candidates_view
def batch_action(request, structure):
    """Ticked rows of the screen → a confirmation page (reason or delay) → the moves. A
    candidate the structure may not act on refuses the whole batch (403, nothing changes)."""
    tab = request.POST.get("onglet")
    tab = tab if tab in screen.TABS else screen.NEW
    back = f"{reverse('matching:candidates', kwargs={'pk': structure.pk})}?onglet={tab}"
    action = request.POST.get("action")
    form_class = BATCH_FORMS.get(action)
    if form_class is None:
        messages.error(request, "Action inconnue : rechargez la page et réessayez.")
        return redirect(back)
    try:
        ids = IdsField(max_count=batch.MAX_SELECTION).clean(request.POST.getlist("candidats"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    chosen = batch.selection(structure, ids)
    if not confirmed(request):
        form = form_class(initial={"candidats": ids, "action": action, "onglet": tab})
        return _batch_confirmation(request, action, chosen, form, back)
    form = form_class(request.POST)
    if not form.is_valid():
        return _batch_confirmation(request, action, chosen, form, back, status=400)
    if action == "refuser":
        outcome = batch.refuse(structure, chosen, request.user, form.cleaned_data["motif"])
        done = "{n} candidat(s) non retenu(s)."
    else:
        outcome, until = batch.postpone(structure, chosen, form.cleaned_data["delai"])
        done = f"{{n}} candidat(s) reporté(s) jusqu'au {until:%d/%m/%Y}."
    if outcome.done:
        messages.success(request, done.format(n=len(outcome.done)))
    for profile, reason in outcome.skipped:
        messages.warning(request, f"{profile.user.get_full_name()} : {reason}.")
    return redirect(back)


def _batch_confirmation(request, action, chosen, form, back, status=200):
    names = ", ".join(profile.user.get_full_name() for profile, _ in chosen)
    count = len(chosen)
    if action == "refuser":
        title = f"Ne pas retenir {count} candidat(s) ?"
        consequences = [
            "Ces candidats passent dans l'onglet « Non retenues » : vous pourrez les remettre "
            "parmi les nouvelles candidatures.",
            "Si vous choisissez un motif, chacun le reçoit par courriel ; sans motif, ils ne "
            "sont pas prévenus.",
        ]
        label = "Confirmer : ne pas retenir"
    else:
        title = f"Reporter {count} candidat(s) ?"
        consequences = [
            "Ces candidats passent dans l'onglet « Reportées » jusqu'à la date choisie, puis "
            "reviennent dans leur onglet. Ils ne sont pas prévenus."
        ]
        label = "Confirmer le report"
    return confirmation_page(
        request,
        title=title,
        consequences=consequences,
        confirm_label=label,
        cancel_url=back,
        form=form,
        details=[("Candidats sélectionnés", names)],
        status=status,
    )


@require_GET
@candidates_view
def candidate_detail(request, structure, candidate_pk):
    return render(
        request, "matching/candidate.html", _detail_context(request, structure, candidate_pk)
    )


def _reveal_contact(request, structure, profile, match):
    """(contact details shown?, message if refused): each showing is recorded."""
    if not contact_allowed(structure, profile, match):
        return False, ""
    try:
        reveals.record(structure, profile, request.user, RevealKind.CONTACT)
    except reveals.RevealRefused as error:
        return False, error.message
    return True, ""


def _detail_context(request, structure, candidate_pk, note_form=None):
    profile, match = candidate_for_structure(structure, candidate_pk)
    eligibility = Eligibility(structure)
    shown, refused = _reveal_contact(request, structure, profile, match)
    return {
        "title": f"Candidat : {profile.user.get_full_name()}",
        "structure": structure,
        "candidate": profile,
        "match": match,
        "distance_km": eligibility.distance_to(profile.commune),
        "eligible": eligibility.is_eligible(profile),
        "late": profile.availability_date > structure.mission_start,
        "may_contact": shown,
        "reveal_refused": refused,
        "can_download_cv": shown and can_download_cv(request.user, profile),
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
        "expiree": ["preselect", "not_retained", "back_to_new"],
    }.get(status, [])


@require_POST
@candidates_view
def note_create(request, structure, candidate_pk):
    pk = structure.pk
    profile, _ = candidate_for_structure(structure, candidate_pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(structure, profile, request.user, form.cleaned_data)
        messages.success(request, "Votre note est enregistrée.")
        return redirect("matching:candidate", pk=pk, candidate_pk=candidate_pk)
    context = _detail_context(request, structure, candidate_pk, note_form=form)
    return render(request, "matching/candidate.html", context, status=400)


@require_POST
@candidates_view
def match_action(request, structure, candidate_pk):
    pk = structure.pk
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Action inconnue : rechargez la page et réessayez.")
        return redirect("matching:candidates", pk=pk)
    action = form.cleaned_data["action"]
    profile = _profile_for_action(structure, candidate_pk, action)
    try:
        ACTIONS[action](structure, profile, request.user)
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


ACTIONS = {**services.ACTIONS, "request_contact": contact.request_contact}
DONE = {
    "preselect": "{name} est présélectionné(e) : ses coordonnées sont visibles.",
    "not_retained": "{name} n'est pas retenu(e).",
    "back_to_new": "{name} est remis(e) parmi les nouvelles candidatures.",
    "request_contact": "Votre demande de contact est envoyée à {name}, qui va y répondre "
    "depuis son espace. Ses coordonnées vous seront visibles si elle l'accepte.",
}


def _profile_for_action(structure, candidate_pk, action):
    """Pre-selection and contact requests also reach candidates found by the manual search
    (any available active candidate of France: the services apply the zone rule); other
    moves only those the structure sees."""
    if action in ("preselect", "request_contact"):
        found = services.searchable(candidate_pk)
        if found is not None:
            return found
    profile, _ = candidate_for_structure(structure, candidate_pk)
    return profile


@require_GET
@candidates_view
def search(request, structure):
    form = SearchForm(request.GET)
    results, error = [], ""
    if form.is_valid():
        results, error = services.search(form.cleaned_data["nom"], form.cleaned_data["commune"])
    eligibility = Eligibility(structure)
    requests = {
        r.candidate_id: r for r in structure.contact_requests.select_related("candidate__user")
    }
    rows = [
        (
            profile,
            eligibility.distance_to(profile.commune),
            eligibility.is_eligible(profile),
            requests.get(profile.pk),
        )
        for profile in results
    ]
    context = {
        "title": f"Rechercher un candidat — {structure.name}",
        "structure": structure,
        "form": form,
        "rows": rows,
        "error": error,
        "searched": bool(form.is_valid() and any(form.cleaned_data.values())),
        "is_open": eligibility.is_open,
        "requests": list(requests.values()),
    }
    return render(request, "matching/search.html", context)


@require_GET
@candidates_view
def cv_download(request, structure, candidate_pk):
    """The CV of a candidate this structure may contact; anyone else gets a 404."""
    profile, match = candidate_for_structure(structure, candidate_pk)
    if not (contact_allowed(structure, profile, match) and can_download_cv(request.user, profile)):
        raise Http404
    return _cv_response(request, structure, profile)


def _cv_response(request, structure, profile):
    """The CV as a download, recorded; past the daily limit a French page and no CV."""
    try:
        reveals.record(structure, profile, request.user, RevealKind.CV)
    except reveals.RevealRefused as error:
        context = {"title": "Limite quotidienne atteinte", "message": error.message}
        return render(request, "matching/reveal_refused.html", context, status=429)
    response = HttpResponse(candidate_services.read_cv(profile), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cv-candidat-{profile.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The candidate answers the structures' contact requests.


@require_GET
@require_role(Role.CANDIDAT)
def contact_requests(request):
    profile = _own_profile(request.user)
    context = {
        "title": "Demandes de contact des structures",
        "requests": contact.requests_of(profile) if profile else [],
    }
    return render(request, "matching/contact_requests.html", context)


@require_POST
@require_role(Role.CANDIDAT)
def contact_answer(request, request_pk):
    profile = _own_profile(request.user)
    found = get_object_or_404(contact.requests_of(profile), pk=request_pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Réponse inconnue : choisissez « Accepter » ou « Refuser ».")
        return redirect("matching:requests")
    accept = form.cleaned_data["reponse"] == "accepter"
    try:
        contact.answer(found, accept, request.user)
    except InvalidTransition:
        messages.error(request, "Cette demande a changé entre-temps : rechargez la page.")
    else:
        name = found.structure.name
        messages.success(
            request,
            f"Vous acceptez d'être contacté(e) par {name} : elle voit vos coordonnées et votre CV."
            if accept
            else f"Vous refusez la demande de {name} : elle ne voit pas vos coordonnées.",
        )
    return redirect("matching:requests")


def _own_profile(user):
    return CandidateProfile.objects.filter(user=user).first()


# The administration reads the record of reveals.

REVEALS_PAGE = 50


@require_GET
@require_role(Role.ADMINISTRATEUR)
def reveal_list(request):
    form = RevealFilterForm(request.GET or None)
    rows = CandidateReveal.objects.select_related("structure", "viewer", "candidate__user")
    if form.is_valid():
        rows = form.apply(rows)
    page, query = paginate(request, rows, REVEALS_PAGE)
    context = {
        "title": "Consultations des coordonnées de candidats",
        "form": form,
        "page": page,
        "query": query,
    }
    return render(request, "matching/reveals.html", context)
