"""The funding operator's screens: the queue, examining dossiers, payments and kits."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.funding import ledger, policies, services
from cnum.funding.enums import DossierStatus, KitStatus, PaymentStatus
from cnum.funding.forms import DecisionForm, ExamineForm, RecordPaymentForm, RecoveryForm
from cnum.funding.ledger import FundingError
from cnum.funding.models import Dossier, KitRequest, LedgerEntry, PaymentRequest
from cnum.workflow.engine import InvalidTransition
from cnum.workflow.models import TransitionLog

operator_required = require_role(Role.OPERATEUR_FINANCIER)
national_required = require_role(Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR)
STALE = "Cette demande a déjà été traitée : la page a été mise à jour."
QUEUE_LIMIT = 500


def _item(kind, obj, structure, since, url, state):
    return {
        "kind": kind,
        "obj": obj,
        "structure": structure,
        "since": since,
        "url": url,
        "state": state,
    }


@require_GET
@operator_required
def queue(request):
    """Everything waiting for the operator, oldest first (three queries)."""
    dossiers = Dossier.objects.filter(status=DossierStatus.DEPOSE).select_related(
        "convention__structure"
    )
    payments = PaymentRequest.objects.filter(
        status__in=[PaymentStatus.DEMANDEE, PaymentStatus.APPROUVEE]
    ).select_related("structure")
    kits = KitRequest.objects.filter(
        status__in=[KitStatus.DEMANDEE, KitStatus.ACCORDEE]
    ).select_related("structure", "kit_type")
    items = [
        _item(
            f"Dossier — {d.get_phase_display()}",
            d,
            d.convention.structure,
            d.submitted_at,
            reverse("funding:dossier", args=[d.pk]),
            d.get_status_display(),
        )
        for d in dossiers.order_by("submitted_at", "pk")[:QUEUE_LIMIT]
    ]
    items += [
        _item(
            f"Versement — {p.label}",
            p,
            p.structure,
            p.requested_at,
            reverse("funding:payment", args=[p.pk]),
            p.get_status_display(),
        )
        for p in payments.order_by("requested_at", "pk")[:QUEUE_LIMIT]
    ]
    items += [
        _item(
            f"Kit — {k.kit_type}",
            k,
            k.structure,
            k.requested_at,
            reverse("funding:kit", args=[k.pk]),
            k.get_status_display(),
        )
        for k in kits.order_by("requested_at", "pk")[:QUEUE_LIMIT]
    ]
    items.sort(key=lambda item: item["since"])
    return render(request, "funding/queue.html", {"title": "À traiter", "items": items})


def _history(obj):
    return TransitionLog.objects.for_object(obj).select_related("actor")


@require_http_methods(["GET", "POST"])
@operator_required
def dossier(request, pk):
    dossier = policies.dossier(pk)
    form = ExamineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.examine_dossier(dossier, request.user, data["decision"], data["message"])
        except InvalidTransition:
            messages.error(request, STALE)
        else:
            messages.success(
                request, "Votre décision est enregistrée ; la structure en est informée."
            )
            return redirect("funding:queue")
        return redirect("funding:dossier", pk=pk)
    context = {
        "title": f"Dossier — {dossier.convention.structure.name}",
        "dossier": dossier,
        "structure": dossier.convention.structure,
        "documents": dossier.documents.all(),
        "history": _history(dossier),
        "form": form,
        "can_examine": dossier.status == DossierStatus.DEPOSE,
    }
    return render(request, "funding/dossier.html", context, status=400 if form.errors else 200)


def _payment_context(payment, **forms):
    return {
        "title": f"{payment.label} — {payment.structure.name}",
        "payment": payment,
        "structure": payment.structure,
        "balance": ledger.structure_balance(payment.structure),
        "history": _history(payment),
        "form": forms.get("form") or DecisionForm(),
        "record_form": forms.get("record_form") or RecordPaymentForm(),
    }


@require_http_methods(["GET", "POST"])
@operator_required
def payment(request, pk):
    payment = policies.payment(pk)
    if request.method == "GET":
        return render(request, "funding/payment.html", _payment_context(payment))
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "accorder"
        try:
            services.decide_payment(payment, request.user, approve, form.cleaned_data["reason"])
        except InvalidTransition:
            messages.error(request, STALE)
        else:
            messages.success(
                request, "Votre décision est enregistrée ; la structure en est informée."
            )
        return redirect("funding:payment", pk=pk)
    return render(request, "funding/payment.html", _payment_context(payment, form=form), status=400)


@require_POST
@operator_required
def payment_record(request, pk):
    payment = policies.payment(pk)
    form = RecordPaymentForm(request.POST)
    if form.is_valid():
        try:
            services.record_payment(payment, request.user, **form.cleaned_data)
        except FundingError as error:
            form.add_error(None, str(error))
        except InvalidTransition:
            form.add_error(None, STALE)
        else:
            messages.success(request, "Le versement est enregistré.")
            return redirect("funding:payment", pk=pk)
    context = _payment_context(payment, record_form=form)
    return render(request, "funding/payment.html", context, status=400)


@require_http_methods(["GET", "POST"])
@operator_required
def kit(request, pk):
    kit = policies.kit(pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        grant = form.cleaned_data["decision"] == "accorder"
        try:
            services.decide_kit(kit, request.user, grant, form.cleaned_data["reason"])
        except FundingError as error:
            form.add_error(None, str(error))
        except InvalidTransition:
            form.add_error(None, STALE)
        else:
            messages.success(
                request, "Votre décision est enregistrée ; la structure en est informée."
            )
            return redirect("funding:kit", pk=pk)
    context = {
        "title": f"Kit — {kit.structure.name}",
        "kit": kit,
        "structure": kit.structure,
        "history": _history(kit),
        "form": form,
    }
    return render(request, "funding/kit.html", context, status=400 if form.errors else 200)


@require_POST
@operator_required
def kit_delivery(request, pk):
    kit = policies.kit(pk)
    try:
        services.advance_delivery(kit, request.user)
    except (FundingError, InvalidTransition):
        messages.error(request, STALE)
    else:
        messages.success(request, f"Livraison : {kit.get_status_display()}.")
    return redirect("funding:kit", pk=pk)


def _ledger_context(request, structure, **forms):
    is_operator = request.user.has_role(Role.OPERATEUR_FINANCIER)
    return {
        "title": f"Compte de {structure.name}",
        "structure": structure,
        "balance": ledger.structure_balance(structure),
        "kit_balance": ledger.structure_balance(structure, "KITS"),
        "entries": LedgerEntry.objects.filter(structure=structure)
        .select_related("envelope", "author")
        .order_by("-at", "-pk")[:200],
        "recovery_form": (forms.get("recovery_form") or RecoveryForm()) if is_operator else None,
    }


@require_GET
@national_required
def structure_ledger(request, pk):
    structure = policies.structure(pk)
    return render(request, "funding/structure_ledger.html", _ledger_context(request, structure))


@require_POST
@operator_required
def recovery(request, pk):
    structure = policies.structure(pk)
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.record_recovery(
                structure, request.user, form.cleaned_data["amount"], form.cleaned_data["reason"]
            )
        except FundingError as error:
            form.add_error("amount", str(error))
        else:
            messages.success(request, "Le reversement est enregistré.")
            return redirect("funding:structure_ledger", pk=pk)
    context = _ledger_context(request, structure, recovery_form=form)
    return render(request, "funding/structure_ledger.html", context, status=400)
