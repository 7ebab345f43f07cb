"""Mon compte: own details, e-mail address, personal data, deletion, "Mon emploi"; structure
contact details and corrections; the administration's queue of corrections."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.profiles import erasure, forms, services
from cnum.profiles.employment import employment_of
from cnum.profiles.models import CorrectionStatus, StructureCorrection
from cnum.profiles.transitions import CorrectionRefused
from cnum.structures.policies import managed_structure
from cnum.workflow.engine import InvalidTransition

admin_required = require_role(Role.ADMINISTRATEUR)
manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)


def _account_context(request, form):
    user = request.user
    return {
        "title": "Mon compte",
        "form": form,
        "is_conseiller": user.has_role(Role.CONSEILLER),
        "managed_structures": _managed(user),
        "pending_change": user.email_changes.filter(confirmed_at__isnull=True).first(),
    }


def _managed(user):
    from cnum.structures.models import Structure

    if not user.has_role(Role.GESTIONNAIRE_STRUCTURE):
        return []
    return list(Structure.objects.managed_by(user).only("pk", "organisation_ptr__name"))


@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    details = services.contact_details(user)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": details.phone,
        "job_title": details.job_title,
        "work_phone": details.work_phone,
    }
    form = forms.IdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_identity(user, **form.cleaned_data)
        messages.success(request, "Vos informations sont enregistrées.")
        return redirect("profiles:account")
    # Errors re-render with 200, as the other forms of the site do for browsers.
    return render(request, "profiles/account.html", _account_context(request, form))


@require_http_methods(["GET", "POST"])
def email_change(request):
    form = forms.EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.request_email_change(request.user, form.cleaned_data["email"])
        request.session["email_change_to"] = form.cleaned_data["email"]
        return redirect("profiles:email_change_sent")
    context = {
        "title": "Changer d'adresse électronique",
        "form": form,
        "hours": services.email_change_hours(),
    }
    return render(request, "profiles/email_change.html", context)


@require_GET
def email_change_sent(request):
    context = {
        "title": "Consultez votre nouvelle messagerie",
        "new_email": request.session.get("email_change_to", ""),
        "hours": services.email_change_hours(),
    }
    return render(request, "profiles/email_change_sent.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link sent to the new address: a page whose button confirms (mail scanners GET it)."""
    change = services.pending_change(token)
    if change is None:
        context = {"title": "Lien invalide ou expiré", "hours": services.email_change_hours()}
        return render(request, "profiles/email_confirm_invalid.html", context)
    if request.method == "POST":
        try:
            services.confirm_email_change(change)
        except services.EmailTaken:
            context = {"title": "Adresse déjà utilisée"}
            return render(request, "profiles/email_confirm_taken.html", context)
        messages.success(request, f"Votre adresse de connexion est désormais {change.new_email}.")
        if request.user.is_authenticated:
            return redirect("profiles:account")
        return redirect("accounts:login")
    context = {"title": "Confirmer votre nouvelle adresse", "change": change}
    return render(request, "profiles/email_confirm.html", context)


# Personal data


@require_GET
def export_json(request):
    data = erasure.export_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-conseiller-numerique.json"'
    return response


@require_GET
def export_csv(request):
    data = erasure.export_data(request.user)
    response = HttpResponse(erasure.export_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-conseiller-numerique.csv"'
    return response


@require_http_methods(["GET", "POST"])
def delete(request):
    user = request.user
    blockers = erasure.deletion_blockers(user)
    form = forms.DeletionForm(request.POST or None, user=user)
    if request.method == "POST" and not blockers and form.is_valid():
        erasure.erase_account(user)
        logout(request)
        return redirect("profiles:deleted")
    context = {"title": "Supprimer mon compte", "form": form, "blockers": blockers}
    return render(request, "profiles/delete.html", context)


@login_not_required
@require_GET
def deleted(request):
    return render(request, "profiles/deleted.html", {"title": "Compte supprimé"})


# The conseiller's job


@require_GET
@require_role(Role.CONSEILLER)
def my_job(request):
    context = {"title": "Mon emploi", "employment": employment_of(request.user)}
    return render(request, "profiles/my_job.html", context)


# Structure managers


def _structure_context(structure, contact_form=None, correction_form=None):
    return {
        "title": f"Coordonnées de {structure.name}",
        "structure": structure,
        "contact_form": contact_form or forms.StructureContactForm(instance=structure),
        "correction_form": correction_form or forms.CorrectionForm(),
        "corrections": structure.corrections.order_by("-requested_at", "-pk")[:20],
    }


@require_http_methods(["GET", "POST"])
@manager_required
def structure_contact(request, pk):
    structure = managed_structure(request.user, pk)
    if request.method == "GET":
        return render(request, "profiles/structure_contact.html", _structure_context(structure))
    form = forms.StructureContactForm(request.POST, instance=structure)
    if form.is_valid():
        services.update_structure_contact(structure, form.cleaned_data)
        messages.success(request, "Les coordonnées de la structure sont enregistrées.")
        return redirect("profiles:structure_contact", pk=pk)
    structure.refresh_from_db()
    context = _structure_context(structure, contact_form=form)
    return render(request, "profiles/structure_contact.html", context)


@require_POST
@manager_required
def correction_request(request, pk):
    structure = managed_structure(request.user, pk)
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.request_correction(
                structure,
                request.user,
                kind=data["kind"],
                value=data["value"],
                reason=data["reason"],
            )
        except CorrectionRefused as error:
            form.add_error("value", str(error))
        else:
            messages.success(
                request, "Votre demande de correction est transmise à l'administration."
            )
            return redirect("profiles:structure_contact", pk=pk)
    context = _structure_context(structure, correction_form=form)
    return render(request, "profiles/structure_contact.html", context)


# The administration's queue


def _queue_context(forms_by_pk=None):
    pending = list(
        StructureCorrection.objects.filter(status=CorrectionStatus.DEMANDEE)
        .select_related("structure__commune", "requested_by")
        .order_by("requested_at", "pk")
    )
    forms_by_pk = forms_by_pk or {}
    for correction in pending:
        correction.form = forms_by_pk.get(correction.pk) or forms.DecisionForm(
            prefix=f"c{correction.pk}"
        )
    return {"title": "Corrections de structures", "pending": pending}


@require_GET
@admin_required
def corrections(request):
    return render(request, "profiles/corrections.html", _queue_context())


@require_POST
@admin_required
def correction_decide(request, pk):
    correction = get_object_or_404(StructureCorrection, pk=pk)
    form = forms.DecisionForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        apply = form.cleaned_data["decision"] == "appliquer"
        try:
            services.decide_correction(
                correction, request.user, apply=apply, comment=form.cleaned_data["comment"]
            )
        except CorrectionRefused as error:
            form.add_error(None, f"Correction impossible : {error}")
        except InvalidTransition:
            messages.error(request, "Cette demande est déjà traitée.")
            return redirect("profiles:corrections")
        else:
            done = "appliquée" if apply else "refusée"
            messages.success(request, f"Correction {done} pour {correction.structure.name}.")
            return redirect("profiles:corrections")
    context = _queue_context({correction.pk: form})
    return render(request, "profiles/corrections.html", context)
