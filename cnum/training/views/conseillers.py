"""Conseillers seen by their structure and by the administration; enrolment in a session."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.models import Membership
from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.pages import paginate
from cnum.training import services
from cnum.training.forms import ConseillerFilterForm, EnrolForm
from cnum.training.policies import enrolling_structure, structure_conseiller
from cnum.training.state import current_enrolments, state_condition, state_of

PAGE_SIZE = 50
enrolling_roles = require_role(Role.GESTIONNAIRE_STRUCTURE, Role.ADMINISTRATEUR)


def _rows(memberships):
    """(membership, state, current enrolment) for a page of conseiller memberships."""
    current = current_enrolments(m.user_id for m in memberships)
    return [(m, state_of(current.get(m.user_id)), current.get(m.user_id)) for m in memberships]


@require_GET
@enrolling_roles
def structure_conseillers(request, pk):
    structure = enrolling_structure(request.user, pk)
    memberships = list(
        services.conseiller_memberships(structure).order_by("user__last_name", "user__email")
    )
    context = {
        "title": f"Formation des conseillers — {structure.name}",
        "structure": structure,
        "rows": _rows(memberships),
    }
    return render(request, "training/structure_conseillers.html", context)


@require_http_methods(["GET", "POST"])
@enrolling_roles
def enrol(request, pk, user_pk):
    structure = enrolling_structure(request.user, pk)
    conseiller = structure_conseiller(structure, user_pk)
    suggestions = services.suggest_organisations(structure)
    form = EnrolForm(request.POST or None, sessions=services.open_sessions())
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(
                request.user, conseiller, structure, form.cleaned_data["session"]
            )
        except services.TrainingError as error:
            form.add_error("session", str(error))
        else:
            messages.success(
                request,
                f"{conseiller} est inscrit à « {enrolment.session.name} » ; "
                "l'organisme de formation est prévenu.",
            )
            return redirect("training:structure_conseillers", pk=structure.pk)
    current = current_enrolments([conseiller.pk]).get(conseiller.pk)
    context = {
        "title": f"Inscrire {conseiller} en formation",
        "structure": structure,
        "conseiller": conseiller,
        "suggestions": suggestions,
        "form": form,
        "current": current,
        "state": state_of(current),
    }
    return render(request, "training/enrol.html", context, status=400 if form.errors else 200)


@require_GET
@require_role(Role.ADMINISTRATEUR)
def admin_conseillers(request):
    form = ConseillerFilterForm(request.GET or None)
    queryset = (
        Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__email", "pk")
    )
    if form.is_valid():
        if form.cleaned_data["state"]:
            queryset = queryset.filter(state_condition(form.cleaned_data["state"]))
        if q := form.cleaned_data["q"].strip():
            queryset = queryset.filter(
                Q(user__email__icontains=q)
                | Q(user__last_name__icontains=q)
                | Q(user__first_name__icontains=q)
            )
    page, query = paginate(request, queryset, PAGE_SIZE)
    context = {
        "title": "Formation des conseillers",
        "form": form,
        "page": page,
        "rows": _rows(list(page)),
        "query": query,
    }
    return render(request, "training/admin_conseillers.html", context)
