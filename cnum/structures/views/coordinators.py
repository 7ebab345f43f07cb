"""Coordinator posts (docs/domaine.md#coordinateurs): the structure's request and designation,
the préfet's opinion, the committee's answer and the administration's validation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.params import str_param
from cnum.structures import coordinators, services
from cnum.structures.enums import CoordinatorRequestStatus, DesignationStatus, Status
from cnum.structures.forms import (
    CoordinatorOpinionForm,
    CoordinatorRequestForm,
    DesignationRefusalForm,
)
from cnum.structures.models import (
    CommitteeSession,
    CoordinatorDesignation,
    CoordinatorRequest,
    Structure,
)
from cnum.structures.policies import managed_structure
from cnum.structures.views import space
from cnum.workflow.engine import InvalidTransition

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)
admin_required = require_role(Role.ADMINISTRATEUR)


def _space_error(request, structure, **forms):
    context = space._detail_context(request, structure, **forms)
    return render(request, "structures/detail.html", context, status=400)


@require_POST
@manager_required
def request_create(request, pk):
    structure = managed_structure(request.user, pk)
    form = CoordinatorRequestForm(request.POST)
    if form.is_valid():
        try:
            coordinators.request_post(structure, request.user, **form.cleaned_data)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Votre demande de poste de coordinateur est enregistrée et transmise."
            )
            return redirect("structures:detail", pk=pk)
    return _space_error(request, structure, coordinator_request_form=form)


@require_POST
@manager_required
def request_cancel(request, pk, request_pk):
    structure = managed_structure(request.user, pk)
    coordinator_request = get_object_or_404(structure.coordinator_requests, pk=request_pk)
    try:
        coordinators.cancel_request(coordinator_request, request.user)
    except InvalidTransition:
        messages.error(request, "Cette demande a déjà été traitée.")
    else:
        messages.success(request, "Votre demande de poste de coordinateur est retirée.")
    return redirect("structures:detail", pk=pk)


@require_POST
@manager_required
def designate(request, pk):
    structure = managed_structure(request.user, pk)
    form = space.designation_form(structure, request.POST)
    if form.is_valid():
        try:
            coordinators.designate(structure, request.user, **form.cleaned_data)
        except ValueError as error:
            form.add_error("conseiller", str(error))
        else:
            messages.success(
                request, "La désignation est transmise à l'administration, qui la validera."
            )
            return redirect("structures:detail", pk=pk)
    return _space_error(request, structure, designation_form=form)


@require_POST
@require_role(Role.PREFET)
def opinion(request, request_pk):
    coordinator_request = get_object_or_404(
        CoordinatorRequest.objects.select_related("structure").filter(
            structure__in=Structure.objects.visible_to(request.user)
        ),
        pk=request_pk,
    )
    form = CoordinatorOpinionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for field in form.errors.values() for e in field)
        messages.error(request, f"Avis non enregistré : {errors}")
    else:
        try:
            coordinators.give_opinion(coordinator_request, request.user, **form.cleaned_data)
        except PermissionDenied:
            messages.error(request, "Cette demande a déjà été décidée par le comité.")
        else:
            messages.success(request, "Votre avis sur le poste de coordinateur est enregistré.")
    return redirect("structures:decider_detail", pk=coordinator_request.structure_id)


@require_POST
@admin_required
def request_decision(request, session_pk, request_pk):
    """From a committee session: grant or refuse a validated structure's coordinator request."""
    session = get_object_or_404(CommitteeSession, pk=session_pk)
    coordinator_request = get_object_or_404(
        CoordinatorRequest.objects.select_related("structure"), pk=request_pk
    )
    accept = request.POST.get("accept") == "1"
    comment = str_param(request.POST, "comment", max_length=1000)
    try:
        coordinators.decide_request(
            coordinator_request, request.user, session=session, accept=accept, comment=comment
        )
    except (InvalidTransition, ValueError) as error:
        messages.error(request, f"Décision impossible. {error}")
    except services.AlreadyDecided:
        messages.error(
            request,
            f"La structure a déjà une décision en {session} : corrigez-la pour y ajouter le "
            "poste de coordinateur.",
        )
    else:
        verb = "accordé" if accept else "refusé"
        messages.success(
            request, f"Poste de coordinateur {verb} à {coordinator_request.structure.name}."
        )
    return redirect("structures:session", pk=session_pk)


def pending_requests():
    """Requests of structures already validated: the committee answers them on their own."""

    return (
        CoordinatorRequest.objects.filter(
            status=CoordinatorRequestStatus.DEMANDEE,
            structure__status=Status.VALIDATION_COSELEC,
        )
        .select_related("structure", "structure__departement")
        .order_by("requested_at", "pk")
    )


@require_GET
@admin_required
def designations(request):
    pending = CoordinatorDesignation.objects.filter(status=DesignationStatus.PROPOSEE)
    decided = CoordinatorDesignation.objects.exclude(status=DesignationStatus.PROPOSEE)
    related = ("structure", "conseiller", "requested_by", "decided_by")
    context = {
        "title": "Désignations de coordinateurs",
        "pending": pending.select_related(*related).order_by("requested_at", "pk"),
        "decided": decided.select_related(*related)[:50],
    }
    return render(request, "structures/designations.html", context)


def _designation(pk):
    return get_object_or_404(
        CoordinatorDesignation.objects.select_related("structure", "conseiller"), pk=pk
    )


def _details(designation):
    return [
        ("Structure", designation.structure.name),
        (
            "Conseiller",
            f"{designation.conseiller.get_full_name()} ({designation.conseiller.email})".strip(),
        ),
        ("Proposée le", f"{designation.requested_at:%d/%m/%Y}"),
    ]


@require_http_methods(["GET", "POST"])
@admin_required
def designation_validate(request, pk):
    designation = _designation(pk)
    if confirmed(request):
        try:
            coordinators.validate_designation(designation, request.user)
        except (InvalidTransition, ValueError) as error:
            messages.error(request, f"Validation impossible. {error}".strip())
        else:
            messages.success(
                request,
                f"{designation.conseiller.email} est coordinateur de {designation.structure.name} ;"
                " la structure en est informée.",
            )
        return redirect("structures:designations")
    return confirmation_page(
        request,
        title="Valider la désignation du coordinateur",
        consequences=[
            "Le conseiller reçoit le rôle de coordinateur pour la structure.",
            "La structure et le conseiller en sont informés par courriel.",
        ],
        details=_details(designation),
        confirm_label="Valider la désignation",
        cancel_url=reverse("structures:designations"),
    )


@require_http_methods(["GET", "POST"])
@admin_required
def designation_refuse(request, pk):
    designation = _designation(pk)
    form = DesignationRefusalForm(request.POST or None)
    if confirmed(request) and form.is_valid():
        try:
            coordinators.refuse_designation(designation, request.user, **form.cleaned_data)
        except InvalidTransition:
            messages.error(request, "Cette désignation a déjà été traitée.")
        else:
            messages.success(request, "Désignation refusée ; la structure reçoit le motif.")
        return redirect("structures:designations")
    return confirmation_page(
        request,
        title="Refuser la désignation du coordinateur",
        consequences=[
            "Le conseiller ne devient pas coordinateur ; le poste reste ouvert à une autre "
            "désignation.",
            "Le motif est envoyé par courriel à la structure et au conseiller.",
        ],
        details=_details(designation),
        confirm_label="Refuser la désignation",
        cancel_url=reverse("structures:designations"),
        form=form,
        status=400 if form.errors else 200,
    )
