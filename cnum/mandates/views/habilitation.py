"""Habilitation pages: the structure's request, the administration's decisions, aidants."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.accounts.models import Organisation
from cnum.accounts.policies import require_role
from cnum.accounts.roles import OrganisationKind, Role
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.params import choice_param, int_param
from cnum.mandates import habilitation as rules
from cnum.mandates.forms import (
    AidantForm,
    DecisionForm,
    HabilitationRequestForm,
    MessageForm,
    StructureDomainsForm,
    TrainingForm,
)
from cnum.mandates.models import AidantProfile, Habilitation, HabilitationStatus
from cnum.mandates.policies import managed_structure_ids


def _managed_structure(request):
    """The structure the manager / référent acts for (`?structure=` among theirs)."""
    ids = managed_structure_ids(request.user)
    if not ids:
        raise PermissionDenied
    wanted = int_param(request.POST, "structure") or int_param(request.GET, "structure")
    pk = wanted if wanted in ids else min(ids)
    return get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.STRUCTURE)


def _is_admin(user):
    return user.has_role(Role.ADMINISTRATEUR)


@require_http_methods(["GET", "POST"])
@require_role(Role.GESTIONNAIRE_STRUCTURE)
def habilitation_request(request):
    structure = _managed_structure(request)
    existing = Habilitation.objects.filter(organisation=structure).first()
    if existing and existing.status != "modifications_demandees":
        return redirect("mandates:habilitation_detail", pk=existing.pk)
    initial = {}
    if existing:
        initial = {
            "siret": existing.siret,
            "structure_type": existing.structure_type,
            "aidants_to_train": existing.aidants_to_train,
            "domains": existing.domains,
        }
    form = HabilitationRequestForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            habilitation = rules.request_habilitation(
                organisation=structure,
                referent=request.user,
                siret=data["siret"],
                structure_type=data["structure_type"],
                aidants_to_train=data["aidants_to_train"],
                domains=data["domains"],
            )
        except rules.TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La demande d'habilitation est transmise.")
            return redirect("mandates:habilitation_detail", pk=habilitation.pk)
    return render(
        request,
        "mandates/habilitation_request.html",
        {
            "form": form,
            "structure": structure,
            "title": "Demander l'habilitation Aidants Connect",
        },
    )


@require_GET
@require_role(Role.ADMINISTRATEUR)
def habilitation_list(request):
    status = choice_param(request.GET, "statut", HabilitationStatus.values)
    habilitations = Habilitation.objects.select_related("organisation").order_by("-requested_at")
    if status:
        habilitations = habilitations.filter(status=status)
    return render(
        request,
        "mandates/habilitation_list.html",
        {
            "habilitations": habilitations[:200],
            "status": status,
            "title": "Demandes d'habilitation Aidants Connect",
        },
    )


def _visible_habilitation(request, pk):
    habilitations = Habilitation.objects.select_related("organisation", "referent")
    if not _is_admin(request.user):
        managed = managed_structure_ids(request.user)
        habilitations = habilitations.filter(organisation_id__in=managed)
    return get_object_or_404(habilitations, pk=pk)


@require_http_methods(["GET", "POST"])
def habilitation_detail(request, pk):
    habilitation = _visible_habilitation(request, pk)
    is_admin = _is_admin(request.user)
    decision = DecisionForm(prefix="decision")
    message = MessageForm(prefix="message")
    if request.method == "POST":
        if "decision-action" in request.POST:
            decision = DecisionForm(request.POST, prefix="decision")
            if not is_admin:
                raise PermissionDenied
            if decision.is_valid():
                try:
                    rules.decide(habilitation, actor=request.user, **decision.cleaned_data)
                except rules.TransitionRefused as error:
                    decision.add_error(None, str(error))
                else:
                    messages.success(request, "La décision est enregistrée et communiquée.")
                    return redirect("mandates:habilitation_detail", pk=pk)
        else:
            message = MessageForm(request.POST, prefix="message")
            if message.is_valid():
                rules.post_message(
                    habilitation, author=request.user, body=message.cleaned_data["body"]
                )
                return redirect("mandates:habilitation_detail", pk=pk)
    aidants = AidantProfile.objects.filter(
        membership__organisation=habilitation.organisation
    ).select_related("membership__user")
    return render(
        request,
        "mandates/habilitation_detail.html",
        {
            "habilitation": habilitation,
            "is_admin": is_admin,
            "decision": decision,
            "message_form": message,
            "messages_list": habilitation.messages.select_related("author"),
            "aidants": aidants,
            "training_form": TrainingForm(),
            "title": f"Habilitation — {habilitation.organisation}",
        },
    )


def _shown_domains(habilitation):
    """The domains ticked in the form: accepted ones and those awaiting the administration."""
    if habilitation is None:
        return []
    return habilitation.domains + habilitation.pending_domains


def _domains_saved_message(habilitation):
    if habilitation.pending_domains:
        return (
            "Les domaines sont enregistrés. Les nouveaux domaines sont transmis à "
            "l'administration : ils seront utilisables une fois acceptés."
        )
    return "Les domaines de la structure sont enregistrés."


@require_http_methods(["GET", "POST"])
def aidants(request):
    structure = _managed_structure(request)
    habilitation = Habilitation.objects.filter(organisation=structure).first()
    form = AidantForm(request.POST if "email" in request.POST else None)
    domains_form = StructureDomainsForm(
        request.POST if "domains" in request.POST else None,
        initial={"domains": _shown_domains(habilitation)},
    )
    if request.method == "POST" and form.is_valid():
        rules.add_aidant(structure, actor=request.user, **form.cleaned_data)
        messages.success(request, "L'aidant est ajouté ; il sera validé après sa formation.")
        return redirect(f"{request.path}?structure={structure.pk}")
    if request.method == "POST" and habilitation and domains_form.is_valid():
        habilitation = rules.set_domains(
            habilitation, actor=request.user, domains=domains_form.cleaned_data["domains"]
        )
        messages.success(request, _domains_saved_message(habilitation))
        return redirect(f"{request.path}?structure={structure.pk}")
    profiles = (
        AidantProfile.objects.filter(membership__organisation=structure)
        .select_related("membership__user")
        .order_by("-membership__is_active", "pk")
    )
    return render(
        request,
        "mandates/aidants.html",
        {
            "structure": structure,
            "habilitation": habilitation,
            "form": form,
            "domains_form": domains_form,
            "profiles": profiles,
            "title": f"Aidants de {structure}",
        },
    )


def _managed_profile(request, pk):
    return get_object_or_404(
        AidantProfile.objects.filter(
            membership__organisation_id__in=managed_structure_ids(request.user),
            membership__role=Role.AIDANT,
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def aidant_deactivate(request, pk):
    profile = _managed_profile(request, pk)
    back = f"{reverse('mandates:aidants')}?structure={profile.membership.organisation_id}"
    if profile.membership.user_id != request.user.pk and not confirmed(request):
        return confirmation_page(
            request,
            title=f"Désactiver l'aidant {profile}",
            consequences=[
                f"{profile} ne pourra plus créer ni utiliser de mandats pour la structure.",
                "Les mandats donnés à la structure restent valables.",
            ],
            confirm_label="Désactiver l'aidant",
            cancel_url=back,
        )
    if profile.membership.user_id == request.user.pk:
        messages.error(request, "Vous ne pouvez pas vous désactiver vous-même.")
    else:
        rules.deactivate_aidant(profile, actor=request.user)
        messages.success(request, f"{profile} n'est plus aidant de la structure.")
    return redirect(f"{reverse('mandates:aidants')}?structure={profile.membership.organisation_id}")


def _admin_profile(pk):
    return get_object_or_404(AidantProfile.objects.select_related("membership"), pk=pk)


def _back_to_habilitation(profile):
    habilitation = Habilitation.objects.filter(
        organisation_id=profile.membership.organisation_id
    ).first()
    if habilitation is None:
        return redirect("mandates:habilitation_list")
    return redirect("mandates:habilitation_detail", pk=habilitation.pk)


@require_POST
@require_role(Role.ADMINISTRATEUR)
def aidant_training(request, pk):
    profile = _admin_profile(pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        rules.record_training(profile, actor=request.user, **form.cleaned_data)
        messages.success(request, f"La formation de {profile} est enregistrée.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back_to_habilitation(profile)


@require_POST
@require_role(Role.ADMINISTRATEUR)
def aidant_validate(request, pk):
    profile = _admin_profile(pk)
    try:
        rules.validate_aidant(profile, actor=request.user)
    except rules.TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{profile} est validé : il peut créer des mandats.")
    return _back_to_habilitation(profile)
