"""The structure's own space (managers): status, decisions, posts, amendments, managers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.models import Membership, User
from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.structures import services
from cnum.structures.coordinators import conseillers_in_post
from cnum.structures.enums import AWAITING_DECISION, AmendmentStatus, Status
from cnum.structures.forms import (
    AmendmentForm,
    CoordinatorRequestForm,
    DesignationForm,
    InviteManagerForm,
)
from cnum.structures.models import Structure
from cnum.structures.policies import managed_structure
from cnum.workflow.engine import InvalidTransition, apply_transition
from cnum.workflow.models import TransitionLog

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)


@require_GET
@manager_required
def space(request):
    structures = list(Structure.objects.managed_by(request.user).with_posts_granted())
    if len(structures) == 1:
        return redirect("structures:detail", pk=structures[0].pk)
    return render(
        request, "structures/space.html", {"title": "Mes structures", "structures": structures}
    )


def designation_form(structure, data=None):
    """Designating a coordinator: a choice among the structure's conseillers in post."""
    users = conseillers_in_post(structure).values("user")
    return DesignationForm(data, conseillers=User.objects.filter(pk__in=users).order_by("email"))


def _detail_context(request, structure, **forms):
    return {
        # Coordinator posts (docs/domaine.md#coordinateurs)
        "coordinator_requests": structure.coordinator_requests.all(),
        "coordinator_request_form": forms.get("coordinator_request_form")
        or CoordinatorRequestForm(),
        "designations": structure.coordinator_designations.select_related("conseiller"),
        "designation_form": forms.get("designation_form") or designation_form(structure),
        "title": structure.name,
        "structure": structure,
        "decisions": structure.decisions.select_related("session", "decided_by"),
        "history": TransitionLog.objects.for_object(structure).select_related("actor"),
        "amendments": structure.amendments.all(),
        "managers": structure.managers().order_by("user__last_name", "user__email"),
        "amendment_form": forms.get("amendment_form") or AmendmentForm(),
        "invite_form": forms.get("invite_form") or InviteManagerForm(),
        "can_withdraw": structure.status in AWAITING_DECISION,
    }


@require_GET
@manager_required
def detail(request, pk):
    structure = managed_structure(request.user, pk)
    return render(request, "structures/detail.html", _detail_context(request, structure))


@require_http_methods(["POST"])
@manager_required
def amendment_create(request, pk):
    structure = managed_structure(request.user, pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.request_amendment(structure, request.user, **form.cleaned_data)
        except ValueError as error:
            form.add_error("number", str(error))
        else:
            messages.success(request, "Votre demande de modification de postes est enregistrée.")
            return redirect("structures:detail", pk=pk)
    context = _detail_context(request, structure, amendment_form=form)
    return render(request, "structures/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@manager_required
def amendment_cancel(request, pk, amendment_pk):
    """The structure cancels a request for posts still awaiting a decision, once confirmed."""
    structure = managed_structure(request.user, pk)
    amendment = get_object_or_404(structure.amendments, pk=amendment_pk)
    if amendment.status == AmendmentStatus.DEMANDEE and not confirmed(request):
        return confirmation_page(
            request,
            title="Annuler la demande de modification de postes",
            consequences=[
                f"La demande « {amendment} » de « {structure.name} » est annulée : elle ne "
                "sera pas examinée.",
                "Pour la reprendre, il faudra déposer une nouvelle demande.",
            ],
            details=[("Motif", amendment.get_motif_display())],
            confirm_label="Annuler la demande",
            cancel_url=reverse("structures:detail", args=[pk]),
        )
    try:
        apply_transition(amendment, AmendmentStatus.ANNULEE, request.user)
    except InvalidTransition:
        messages.error(request, "Cette demande a déjà été traitée.")
    else:
        messages.success(request, "Votre demande est annulée.")
    return redirect("structures:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@manager_required
def withdraw(request, pk):
    """The structure abandons its application (before the committee validates it), once it has
    confirmed. When the move is not allowed, the transition below refuses it: nothing changes."""
    structure = managed_structure(request.user, pk)
    if not confirmed(request) and structure.workflow.can(structure, Status.ABANDON, request.user):
        return confirmation_page(
            request,
            title="Retirer la demande de la structure",
            consequences=[
                f"La demande de « {structure.name} » est abandonnée : elle ne sera pas examinée.",
                "Pour accueillir un conseiller plus tard, il faudra déposer une nouvelle demande.",
            ],
            confirm_label="Retirer la demande",
            cancel_url=reverse("structures:detail", args=[pk]),
        )
    try:
        apply_transition(structure, Status.ABANDON, request.user, "Retrait par la structure")
    except InvalidTransition:
        messages.error(request, "Cette demande ne peut plus être retirée.")
    else:
        messages.success(request, "Votre demande est retirée.")
    return redirect("structures:detail", pk=pk)


@require_POST
@manager_required
def manager_invite(request, pk):
    structure = managed_structure(request.user, pk)
    form = InviteManagerForm(request.POST)
    if form.is_valid():
        services.invite_manager(structure, request.user, **form.cleaned_data)
        messages.success(
            request,
            f"{form.cleaned_data['email']} gère désormais la structure ; un courriel l'en informe.",
        )
        return redirect("structures:detail", pk=pk)
    context = _detail_context(request, structure, invite_form=form)
    return render(request, "structures/detail.html", context, status=400)


@require_POST
@manager_required
def manager_remove(request, pk, membership_pk):
    structure = managed_structure(request.user, pk)
    try:
        removed = services.remove_manager(structure, request.user, membership_pk)
    except Membership.DoesNotExist:
        raise Http404 from None
    except services.LastManager:
        messages.error(
            request,
            "La structure doit garder au moins un gestionnaire : ajoutez-en un autre avant.",
        )
    else:
        messages.success(request, f"{removed.user.email} ne gère plus la structure.")
        if removed.user_id == request.user.pk:
            return redirect("accounts:dashboard")
    return redirect("structures:detail", pk=pk)
