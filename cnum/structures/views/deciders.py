"""Préfet and administration screens over the structures in their scope."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.pages import paginate
from cnum.core.params import int_param, str_param
from cnum.core.workflow import InvalidTransition
from cnum.structures import services
from cnum.structures.enums import AWAITING_DECISION, Status
from cnum.structures.forms import (
    AmendmentOpinionForm,
    DecisionForm,
    PrefetOpinionForm,
    StructureFilterForm,
)
from cnum.structures.models import CommitteeSession, Structure
from cnum.structures.policies import visible_amendment, visible_structure
from cnum.workflow.models import TransitionLog

deciders_required = require_role(Role.PREFET, Role.ADMINISTRATEUR)
admin_required = require_role(Role.ADMINISTRATEUR)
PAGE_SIZE = 50
STATUS_ACTIONS = [
    (Status.ABANDON, "Abandon"),
    (Status.ANNULEE, "Annuler"),
    (Status.DOUBLON, "Doublon"),
    (Status.CREEE, "Rouvrir"),
]


def transfer_candidates(user, structure):
    """Structures of the same département the préfet may suggest moving the posts to."""
    return (
        Structure.objects.visible_to(user)
        .filter(departement=structure.departement_id)
        .exclude(pk=structure.pk)
        .exclude(status__in=[Status.ABANDON, Status.ANNULEE, Status.DOUBLON])
    )


@require_GET
@deciders_required
def structure_list(request):
    form = StructureFilterForm(request.GET or None)
    queryset = (
        form.apply(Structure.objects.visible_to(request.user))
        .select_related("commune", "departement")
        .with_posts_granted()
        .order_by("-confirmed_at", "-pk")
    )
    page, query = paginate(request, queryset, PAGE_SIZE)
    context = {"title": "Structures d'accueil", "form": form, "page": page, "query": query}
    return render(request, "structures/list.html", context)


def _decider_context(request, structure, **forms):
    user = request.user
    is_prefet, is_admin = user.has_role(Role.PREFET), user.has_role(Role.ADMINISTRATEUR)
    awaiting = structure.status in AWAITING_DECISION
    neighbours = transfer_candidates(user, structure)
    return {
        "title": structure.name,
        "structure": structure,
        "opinions": structure.opinions.select_related("author", "transfer_to"),
        "decisions": structure.decisions.select_related("session", "decided_by"),
        "history": TransitionLog.objects.for_object(structure).select_related("actor"),
        "amendments": structure.amendments.select_related("prefet_by"),
        "managers": structure.managers(),
        "is_prefet": is_prefet,
        "is_admin": is_admin,
        "opinion_form": (forms.get("opinion_form") or PrefetOpinionForm(structures=neighbours))
        if is_prefet and awaiting
        else None,
        "decision_form": forms.get("decision_form") or DecisionForm() if is_admin else None,
        "sessions": CommitteeSession.objects.all()[:20] if is_admin else [],
        "status_actions": [
            (to, label)
            for to, label in STATUS_ACTIONS
            if is_admin and structure.workflow.can(structure, to, user)
        ],
        "amendment_opinion_form": AmendmentOpinionForm() if is_prefet else None,
    }


@require_GET
@deciders_required
def structure_detail(request, pk):
    structure = visible_structure(request.user, pk)
    return render(request, "structures/decider_detail.html", _decider_context(request, structure))


@require_POST
@require_role(Role.PREFET)
def prefet_opinion(request, pk):
    structure = visible_structure(request.user, pk)
    neighbours = transfer_candidates(request.user, structure)
    form = PrefetOpinionForm(request.POST, structures=neighbours)
    if form.is_valid():
        services.give_prefet_opinion(structure, request.user, **form.cleaned_data)
        messages.success(request, "Votre avis est enregistré.")
        return redirect("structures:decider_detail", pk=pk)
    context = _decider_context(request, structure, opinion_form=form)
    return render(request, "structures/decider_detail.html", context, status=400)


@require_POST
@require_role(Role.PREFET)
def amendment_opinion(request, amendment_pk):
    amendment = visible_amendment(request.user, amendment_pk)
    form = AmendmentOpinionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Avis non enregistré : le commentaire compte 10 à 1 000 caractères."
        )
    else:
        services.give_amendment_opinion(amendment, request.user, **form.cleaned_data)
        messages.success(request, "Votre avis sur la demande est enregistré.")
    return redirect("structures:decider_detail", pk=amendment.structure_id)


@require_POST
@admin_required
def decision(request, pk):
    structure = visible_structure(request.user, pk)
    form = DecisionForm(request.POST)
    session = CommitteeSession.objects.filter(pk=int_param(request.POST, "session")).first()
    if form.is_valid() and session is not None:
        try:
            services.record_decision(structure, request.user, session=session, **form.cleaned_data)
        except services.AlreadyDecided:
            messages.error(request, f"La structure a déjà une décision en {session}.")
        except ValueError as error:  # e.g. the envelope cannot fund the posts: nothing recorded
            messages.error(request, str(error))
        else:
            messages.success(request, f"Décision enregistrée ({session}).")
        return redirect("structures:decider_detail", pk=pk)
    if session is None:
        form.add_error(None, "Choisissez la séance du comité.")
    context = _decider_context(request, structure, decision_form=form)
    return render(request, "structures/decider_detail.html", context, status=400)


@require_POST
@admin_required
def status_change(request, pk):
    structure = visible_structure(request.user, pk)
    to = str_param(request.POST, "to")
    if to not in dict(STATUS_ACTIONS):
        raise PermissionDenied
    original = None
    if to == Status.DOUBLON:
        original = (
            Structure.objects.submitted()
            .filter(siret=str_param(request.POST, "siret"))
            .exclude(pk=structure.pk)
            .order_by("confirmed_at", "pk")
            .first()
        )
    try:
        services.change_status(
            structure,
            request.user,
            to,
            str_param(request.POST, "comment", max_length=1000),
            original,
        )
    except (InvalidTransition, ValueError):
        messages.error(
            request,
            "Changement impossible : vérifiez le statut actuel et, pour un doublon, le SIRET "
            "de la structure d'origine.",
        )
    else:
        messages.success(request, f"Statut modifié : {Status(to).label}.")
    return redirect("structures:decider_detail", pk=pk)


@require_POST
@admin_required
def amendment_decision(request, amendment_pk):
    amendment = visible_amendment(request.user, amendment_pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_amendment(
            amendment,
            request.user,
            accept=accept,
            comment=str_param(request.POST, "comment", max_length=1000),
        )
    except (InvalidTransition, ValueError) as error:
        messages.error(request, f"Décision impossible. {error}")
    else:
        messages.success(request, "Décision enregistrée ; la structure en est informée.")
    return redirect("structures:decider_detail", pk=amendment.structure_id)
