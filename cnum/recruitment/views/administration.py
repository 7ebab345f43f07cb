"""The administration's validation queue and decisions; the recruitments list for deciders."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.pages import paginate
from cnum.core.params import choice_param, int_param, str_param
from cnum.core.search import text_search
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.recruitment import services
from cnum.recruitment.forms import DecisionForm
from cnum.recruitment.policies import (
    attach_live,
    visible_match,
    visible_matches,
    with_recruitment_data,
)
from cnum.structures.models import Structure
from cnum.territories.models import Departement
from cnum.workflow.engine import InvalidTransition
from cnum.workflow.models import TransitionLog

admin_required = require_role(Role.ADMINISTRATEUR)
deciders_required = require_role(Role.PREFET, Role.ADMINISTRATEUR)
PAGE_SIZE = 50
WAITING = tuple(services.DECISIONS)
RECRUITMENT_STATUSES = (
    S.RECRUTEE,
    S.FINALISEE,
    S.NOUVELLE_RUPTURE,
    S.RENOUVELLEMENT_INITIE,
    S.FINALISEE_RUPTURE,
    S.TERMINEE,
)
SEARCH_FIELDS = (
    "candidate__user__first_name",
    "candidate__user__last_name",
    "candidate__user__email",
    "structure__name",
    "structure__siret",
)
KINDS = {
    "recrutements": S.RECRUTEE,
    "ruptures": S.NOUVELLE_RUPTURE,
    "renouvellements": S.RENOUVELLEMENT_INITIE,
}


def _with_waiting_since(queryset):
    """Annotate when each match entered its current status (its latest transition)."""
    content_type = ContentType.objects.get_for_model(Match)
    latest = TransitionLog.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    return queryset.annotate(since=Subquery(latest.order_by("-at", "-pk").values("at")[:1]))


def _list_filters(request, matches):
    """Text, département and structure filters of the recruitments list (bound parameters)."""
    text = str_param(request.GET, "q", max_length=100)
    departement = str_param(request.GET, "departement", max_length=3)
    structure_pk = int_param(request.GET, "structure")
    departements = Departement.objects.filter(
        code__in=matches.values("structure__departement")
    ).order_by("code")
    matches = text_search(matches, text, SEARCH_FIELDS)
    if departement:
        matches = matches.filter(structure__departement=departement)
    structure = None
    if structure_pk is not None:
        matches = matches.filter(structure=structure_pk)
        # Named only if in the decider's scope: another id filters to nothing and says nothing.
        structure = Structure.objects.visible_to(request.user).filter(pk=structure_pk).first()
    return {
        "matches": matches,
        "q": text,
        "departement": departement,
        "departements": departements,
        "structure": structure,
    }


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@admin_required
def queue(request):
    kind = choice_param(request.GET, "type", KINDS)
    statuses = [KINDS[kind]] if kind else list(WAITING)
    queryset = _with_waiting_since(
        with_recruitment_data(visible_matches(request.user).filter(status__in=statuses))
    ).order_by("since", "pk")
    page = _page(request, queryset)
    page.object_list = attach_live(list(page.object_list))
    context = {
        "title": "Recrutements à valider",
        "page": page,
        "kind": kind,
        "kinds": [
            ("", "Tout"),
            ("recrutements", "Recrutements"),
            ("ruptures", "Ruptures"),
            ("renouvellements", "Renouvellements"),
        ],
        "query": f"type={kind}" if kind in KINDS else "",
    }
    return render(request, "recruitment/queue.html", context)


@require_POST
@admin_required
def decide(request, pk):
    match = visible_match(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("recruitment:match", pk=pk)
    accept = form.cleaned_data["accept"]
    try:
        services.decide(match, request.user, accept=accept, comment=form.cleaned_data["comment"])
    except InvalidTransition:
        messages.error(request, "Ce dossier a déjà été traité.")
        return redirect("recruitment:match", pk=pk)
    messages.success(
        request,
        f"Décision enregistrée pour {match.candidate.user} ({match.structure.name}) : "
        f"{'validé' if accept else 'refusé'}.",
    )
    return redirect("recruitment:queue")


@require_GET
@deciders_required
def recruitment_list(request):
    """Every recruitment in the decider's scope (a préfet: their territory), newest first."""
    status = choice_param(request.GET, "statut", RECRUITMENT_STATUSES)
    statuses = [status] if status else list(RECRUITMENT_STATUSES)
    matches = visible_matches(request.user).filter(status__in=statuses)
    filters = _list_filters(request, matches)
    queryset = with_recruitment_data(filters.pop("matches")).order_by("-pk")
    page, query = paginate(request, queryset, PAGE_SIZE)
    page.object_list = attach_live(list(page.object_list))
    context = {
        "title": "Recrutements",
        "page": page,
        "status": status,
        "statuses": [(s, S(s).label) for s in RECRUITMENT_STATUSES],
        "query": query,
        **filters,
    }
    return render(request, "recruitment/list.html", context)
