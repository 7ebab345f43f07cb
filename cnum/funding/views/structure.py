"""The structure's funding page (managers): convention and dossier, payments, kits."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.funding import checklist, ledger, policies, services
from cnum.funding.enums import EDITABLE_DOSSIER, KitStatus, PaymentStatus
from cnum.funding.forms import DocumentForm, KitRequestForm
from cnum.funding.ledger import FundingError
from cnum.structures.models import Structure
from cnum.workflow.engine import InvalidTransition

manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)
STALE = "Cette demande a déjà été traitée : la page a été mise à jour."


@require_GET
@manager_required
def space(request):
    structures = list(Structure.objects.managed_by(request.user))
    if len(structures) == 1:
        return redirect("funding:structure", pk=structures[0].pk)
    context = {"title": "Financement de mes structures", "structures": structures}
    return render(request, "funding/space.html", context)


def _context(request, structure, **forms):
    convention = services.convention_of(structure)
    dossier = services.current_dossier(convention)
    schedule, next_error = [], None
    if convention.validated_on:
        schedule = services.schedule(structure, convention)
        try:
            services.next_instalment(structure, timezone.localdate())
        except FundingError as error:
            next_error = str(error)
    return {
        "title": f"Financement — {structure.name}",
        "structure": structure,
        "convention": convention,
        "dossier": dossier,
        "documents": list(dossier.documents.all()) if dossier else [],
        "editable": dossier is not None and dossier.status in EDITABLE_DOSSIER,
        "document_form": forms.get("document_form") or DocumentForm(),
        "balance": ledger.structure_balance(structure),
        "kit_balance": ledger.structure_balance(structure, "KITS"),
        "schedule": schedule,
        "next_error": next_error,
        "payments": structure.payment_requests.all(),
        "kits": structure.kit_requests.select_related("kit_type", "commune"),
        "transitions": convention.workflow.allowed_targets(convention, request.user),
        "required_documents": checklist.DOCUMENTS,
    }


@require_GET
@manager_required
def structure(request, pk):
    structure = policies.managed_structure(request.user, pk)
    return render(request, "funding/structure.html", _context(request, structure))


def _act(request, action, success):
    """Run a use case; a broken money or workflow rule becomes a French message, never a 500."""
    try:
        action()
    except FundingError as error:
        messages.error(request, str(error))
    except InvalidTransition:
        messages.error(request, STALE)
    else:
        messages.success(request, success)


def _structure_action(service, success):
    """A button of the structure's funding page: run `service(structure, manager)`, then back."""

    @require_POST
    @manager_required
    def view(request, pk):
        structure = policies.managed_structure(request.user, pk)
        _act(request, lambda: service(structure, request.user), success)
        return redirect("funding:structure", pk=pk)

    return view


convention_start = _structure_action(
    services.start_convention,
    "Le conventionnement est engagé : déposez la convention signée et les pièces demandées.",
)
renewal_start = _structure_action(
    services.start_renewal,
    "Le reconventionnement est engagé : déposez les pièces du nouveau dossier.",
)
dossier_new = _structure_action(services.new_dossier, "Un nouveau dossier est ouvert.")


@require_POST
@manager_required
def document_upload(request, pk):
    structure = policies.managed_structure(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    dossier = services.current_dossier(services.convention_of(structure))
    if form.is_valid() and dossier is not None:
        try:
            services.add_document(dossier, request.user, form.cleaned_data["file"])
        except FundingError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, "La pièce est ajoutée au dossier.")
            return redirect("funding:structure", pk=pk)
    elif dossier is None:
        form.add_error(None, "Engagez d'abord le conventionnement.")
    context = _context(request, structure, document_form=form)
    return render(request, "funding/structure.html", context, status=400)


@require_POST
@manager_required
def document_delete(request, document_pk):
    document = policies.managed_document(request.user, document_pk)
    structure_pk = document.dossier.convention.structure_id
    _act(
        request,
        lambda: services.remove_document(document, request.user),
        "La pièce est retirée du dossier.",
    )
    return redirect("funding:structure", pk=structure_pk)


@require_POST
@manager_required
def dossier_submit(request, pk):
    structure = policies.managed_structure(request.user, pk)
    dossier = services.current_dossier(services.convention_of(structure))
    if dossier is None:
        messages.error(request, "Engagez d'abord le conventionnement.")
    else:
        _act(
            request,
            lambda: services.submit_dossier(dossier, request.user),
            "Votre dossier est déposé : l'opérateur de financement va l'examiner.",
        )
    return redirect("funding:structure", pk=pk)


@require_POST
@manager_required
def payment_request(request, pk):
    structure = policies.managed_structure(request.user, pk)
    _act(
        request,
        lambda: services.request_payment(structure, request.user, timezone.localdate()),
        "Votre demande de versement est envoyée à l'opérateur de financement.",
    )
    return redirect("funding:structure", pk=pk)


def _cancel_confirmation(request, structure_pk, title, consequence):
    return confirmation_page(
        request,
        title=title,
        consequences=[consequence, "Pour la reprendre, il faudra déposer une nouvelle demande."],
        confirm_label="Annuler la demande",
        cancel_url=reverse("funding:structure", args=[structure_pk]),
    )


@require_http_methods(["GET", "POST"])
@manager_required
def payment_cancel(request, request_pk):
    payment = policies.managed_payment(request.user, request_pk)
    if payment.status == PaymentStatus.DEMANDEE and not confirmed(request):
        return _cancel_confirmation(
            request,
            payment.structure_id,
            f"Annuler la demande de versement « {payment.label} »",
            "La demande de versement est annulée : l'opérateur ne l'examinera pas.",
        )
    _act(request, lambda: services.cancel(payment, request.user), "Votre demande est annulée.")
    return redirect("funding:structure", pk=payment.structure_id)


@require_http_methods(["GET", "POST"])
@manager_required
def kit_request(request, pk):
    structure = policies.managed_structure(request.user, pk)
    form = KitRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_kit(structure, request.user, **form.cleaned_data)
        except FundingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre demande de kit est envoyée.")
            return redirect("funding:structure", pk=pk)
    context = {"title": "Demander un kit de médiation", "structure": structure, "form": form}
    return render(request, "funding/kit_request.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@manager_required
def kit_cancel(request, kit_pk):
    kit = policies.managed_kit(request.user, kit_pk)
    if kit.status == KitStatus.DEMANDEE and not confirmed(request):
        return _cancel_confirmation(
            request,
            kit.structure_id,
            f"Annuler la demande de kit {kit.pk}",
            f"La demande de kit « {kit.kit_type} » (quantité : {kit.quantity}) est annulée : "
            "l'opérateur ne l'examinera pas.",
        )
    _act(request, lambda: services.cancel(kit, request.user), "Votre demande de kit est annulée.")
    return redirect("funding:structure", pk=kit.structure_id)


@require_POST
@manager_required
def kit_received(request, kit_pk):
    kit = policies.managed_kit(request.user, kit_pk)
    _act(
        request,
        lambda: services.confirm_delivery(kit, request.user),
        "La réception du kit est enregistrée.",
    )
    return redirect("funding:structure", pk=kit.structure_id)


@require_GET
def document_download(request, document_pk):
    """The structure's managers and the national funding roles; anyone else gets a 404."""
    from cnum.funding.documents import download_response

    return download_response(policies.visible_document(request.user, document_pk))
