"""Préfet and administration screens over the structures in their scope."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.pages import paginate
from cnum.core.params import int_param, str_param
from cnum.structures import services
from cnum.structures.enums import AWAITING_DECISION, CLOSED, Status
from cnum.structures.forms import (
    AmendmentOpinionForm,
    CoordinatorOpinionForm,
    DecisionCorrectionForm,
    DecisionForm,
    PrefetOpinionForm,
    StatusChangeForm,
    StructureFilterForm,
)
from cnum.structures.models import CommitteeDecision, CommitteeSession, Structure
from cnum.structures.policies import visible_amendment, visible_structure
from cnum.workflow.engine import InvalidTransition
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
        form.apply(Structure.objects.visible_to(request.user).with_prefet_opinion())
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
    actions = _status_actions(user, structure)
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
        "decision_form": (
            forms.get("decision_form")
            or DecisionForm(
                initial={"coordinator_posts_granted": structure.current_coordinator_posts()}
            )
        )
        if is_admin
        else None,
        # docs/domaine.md#coordinateurs
        "coordinator_requests": structure.coordinator_requests.select_related(
            "prefet_by", "decision__session"
        ),
        "coordinator_opinion_form": CoordinatorOpinionForm() if is_prefet else None,
        "sessions": CommitteeSession.objects.all()[:20] if is_admin else [],
        "status_form": StatusChangeForm(actions=actions) if actions else None,
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
    form = DecisionForm(request.POST, posts_wanted=structure.posts_wanted)
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


@require_http_methods(["GET", "POST"])
@admin_required
def decision_correct(request, pk):
    """Correct or cancel the latest committee decision: a reason, a confirmation, the ledger
    adjusted with it (services.correct_decision)."""
    decision = get_object_or_404(
        CommitteeDecision.objects.select_related("structure", "session"), pk=pk
    )
    structure = visible_structure(request.user, decision.structure_id)
    form = DecisionCorrectionForm(request.POST or None, posts_wanted=structure.posts_wanted)
    if confirmed(request) and form.is_valid():
        try:
            services.correct_decision(decision, request.user, **form.cleaned_data)
        except ValueError as error:  # not the latest, fewer posts than filled, envelope short
            form.add_error(None, str(error))
        else:
            messages.success(request, "La décision est corrigée ; le budget engagé est ajusté.")
            return redirect("structures:decider_detail", pk=structure.pk)
    return confirmation_page(
        request,
        title=f"Corriger ou annuler la décision du comité pour « {structure.name} »",
        consequences=[
            "La décision est réécrite ; l'ancienne et le motif restent dans l'historique.",
            "Le budget engagé pour la structure est ajusté au nouveau nombre de postes, dans "
            "la même opération (ce qui est déjà versé ne peut pas être désengagé).",
            "Une annulation ramène la structure au statut de sa décision précédente, ou à "
            "« Déposée, non encore examinée ».",
        ],
        details=[
            ("Séance", decision.session or "Hors séance"),
            (
                "Décision actuelle",
                f"{decision.get_opinion_display()}, {decision.posts_granted} poste(s)",
            ),
            ("Postes demandés par la structure", structure.posts_wanted),
        ],
        confirm_label="Enregistrer la correction",
        cancel_url=reverse("structures:decider_detail", args=[structure.pk]),
        form=form,
        status=400 if form.errors else 200,
    )


def _status_actions(user, structure):
    """Moves the administration may make here; reopening is for closed files only (a decided
    one goes back through a correction of its decision, which adjusts the ledger)."""
    return [
        (to, label)
        for to, label in STATUS_ACTIONS
        if user.has_role(Role.ADMINISTRATEUR)
        and structure.workflow.can(structure, to, user)
        and (to != Status.CREEE or structure.status in CLOSED)
    ]


def _status_confirmation(request, structure, form, status=200):
    to = form.cleaned_data["to"] if form.is_bound and form.is_valid() else None
    consequence = (
        f"La structure « {structure.name} » passe du statut « {structure.get_status_display()} » "
        f"au statut « {Status(to).label} »."
        if to
        else f"Choisissez le nouveau statut de « {structure.name} » et indiquez le motif."
    )
    return confirmation_page(
        request,
        title="Changer le statut de la structure",
        consequences=[consequence, "Le motif figure dans l'historique de la structure."],
        confirm_label="Changer le statut",
        cancel_url=reverse("structures:decider_detail", args=[structure.pk]),
        form=form,
        status=status,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def status_change(request, pk):
    """Abandon, cancel, reopen or mark as duplicate: a chosen status and a reason, confirmed."""
    structure = visible_structure(request.user, pk)
    form = StatusChangeForm(request.POST or None, actions=_status_actions(request.user, structure))
    if not form.is_valid():
        return _status_confirmation(request, structure, form, status=400 if form.is_bound else 200)
    if not confirmed(request):
        return _status_confirmation(request, structure, form)
    to = form.cleaned_data["to"]
    original = None
    if to == Status.DOUBLON:
        original = (
            Structure.objects.submitted()
            .filter(siret=form.cleaned_data["siret"])
            .exclude(pk=structure.pk)
            .order_by("confirmed_at", "pk")
            .first()
        )
    try:
        services.change_status(structure, request.user, to, form.cleaned_data["comment"], original)
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
