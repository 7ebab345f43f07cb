"""Aidant pages: usagers and mandates of their structure(s), attestations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cnum.accounts.models import Organisation
from cnum.core.confirm import confirmation_page, confirmed
from cnum.core.params import choice_param, str_param
from cnum.mandates import attestation as attestations
from cnum.mandates import franceconnect, mentions, services
from cnum.mandates.forms import MandateForm, RenewForm, UsagerForm
from cnum.mandates.models import Authorisation, JournalEntry
from cnum.mandates.policies import (
    can_create_mandates,
    current_mandates,
    current_structure_id,
    current_usagers,
    managed_structure_ids,
    require_aidant,
    require_fresh_totp,
)

TABS = {"actifs": "Actifs", "expires": "Expirés", "revoques": "Révoqués"}


def _mandates(request):
    """Mandates of the structure the aidant acts for (another structure's id is a 404)."""
    return current_mandates(request).select_related("usager", "organisation")


def mandate_structure(request):
    """The current structure, where the aidant must be allowed to create mandates (else 403)."""
    structure = Organisation.objects.filter(pk=current_structure_id(request)).first()
    if structure is None or not can_create_mandates(request.user, structure):
        raise PermissionDenied
    return structure


@require_GET
@require_aidant
def home(request):
    tab = choice_param(request.GET, "onglet", TABS, default="actifs")
    query = str_param(request.GET, "q", max_length=100)
    mandates = _mandates(request).not_hidden()
    mandates = {
        "actifs": mandates.active(),
        "expires": mandates.expired(),
        "revoques": mandates.revoked(),
    }[tab]
    if query:
        for word in query.split()[:5]:
            mandates = mandates.filter(
                Q(usager__family_name__icontains=word) | Q(usager__given_names__icontains=word)
            )
    mandates = mandates.prefetch_related(
        Prefetch("authorisations", queryset=Authorisation.objects.order_by("domain"))
    )[:200]
    return render(
        request,
        "mandates/home.html",
        {
            "mandates": mandates,
            "tab": tab,
            "tabs": TABS,
            "query": query,
            "can_create": can_create_mandates(request.user, current_structure_id(request)),
            "manages": bool(managed_structure_ids(request.user)),
            "title": "Mandats Aidants Connect",
        },
    )


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def usager_create(request):
    structure = mandate_structure(request)
    form = UsagerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        usager = services.establish_identity_manually(
            aidant=request.user, organisation=structure, **data
        )
        return redirect("mandates:mandate_create", usager_pk=usager.pk)
    config = franceconnect.Config.from_settings()
    response = render(
        request,
        "mandates/usager_form.html",
        {
            "form": form,
            "structure": structure,
            "franceconnect": config is not None,
            "title": "Identifier l'usager",
        },
    )
    if config is not None:
        # The FranceConnect form's POST is redirected to the provider: form-action must allow it.
        response._csp_update = {"form-action": [config.issuer]}
    return response


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def mandate_create(request, usager_pk):
    usager = get_object_or_404(current_usagers(request), pk=usager_pk)
    habilitation = getattr(usager.organisation, "habilitation", None)
    allowed = habilitation.domains if habilitation else []
    form = MandateForm(
        request.POST if request.method == "POST" else None,
        allowed_domains=allowed,
        initial={"language": mentions.language_of(request.GET.get("langue"))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.create_mandate(
                aidant=request.user, usager=usager, **form.cleaned_data
            )
        except services.MandateRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le mandat est créé : imprimez l'attestation à signer.")
            return redirect("mandates:mandate_detail", pk=mandate.pk)
    return render(
        request,
        "mandates/mandate_form.html",
        {
            "form": form,
            "usager": usager,
            "title": "Créer un mandat",
            **_mentions(request, form, usager.organisation),
        },
    )


def _mentions(request, form, structure):
    """The mentions in the language the usager chose (the form's, else `?langue=`)."""
    chosen = form.data.get("language") if form.is_bound else form.initial.get("language")
    code = mentions.language_of(chosen)
    return {
        "languages": mentions.choices(),
        "mentions_lang": code,
        "mentions_dir": mentions.direction(code),
        "mentions_heading": mentions.TEXTS[code]["heading"],
        "mentions": mentions.consent_paragraphs(code, structure.name),
    }


@require_GET
@require_aidant
def mandate_detail(request, pk):
    mandate = get_object_or_404(_mandates(request), pk=pk)
    return render(
        request,
        "mandates/mandate_detail.html",
        {
            "mandate": mandate,
            "authorisations": mandate.authorisations.all(),
            "title": f"Mandat n° {mandate.pk}",
        },
    )


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def mandate_renew(request, pk):
    mandate = get_object_or_404(_mandates(request), pk=pk)
    form = RenewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.renew_mandate(mandate, aidant=request.user, **form.cleaned_data)
        except services.MandateRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le mandat est renouvelé : imprimez la nouvelle attestation.")
            return redirect("mandates:mandate_detail", pk=new.pk)
    return render(
        request,
        "mandates/mandate_renew.html",
        {
            "form": form,
            "mandate": mandate,
            "title": f"Renouveler le mandat n° {mandate.pk}",
        },
    )


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def mandate_revoke(request, pk):
    mandate = get_object_or_404(_mandates(request), pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=f"Révoquer le mandat n° {mandate.pk}",
            consequences=[
                "Toutes les autorisations encore actives de ce mandat sont révoquées.",
                "Vous ne pourrez plus agir pour cet usager sans un nouveau mandat.",
                "Une attestation de révocation est à imprimer et à remettre à l'usager.",
            ],
            confirm_label="Révoquer le mandat",
            cancel_url=reverse("mandates:mandate_detail", args=[pk]),
        )
    try:
        services.revoke_mandate(mandate, aidant=request.user)
    except services.MandateRefused as error:
        messages.error(request, str(error))
        return redirect("mandates:mandate_detail", pk=pk)
    messages.success(request, "Le mandat est révoqué : imprimez l'attestation de révocation.")
    return redirect(reverse("mandates:attestation", args=[pk]) + "?type=revocation")


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def authorisation_revoke(request, pk):
    authorisation = get_object_or_404(
        Authorisation.objects.filter(mandate__in=_mandates(request)), pk=pk
    )
    if not confirmed(request):
        return confirmation_page(
            request,
            title=f"Révoquer l'autorisation « {authorisation.get_domain_display()} »",
            consequences=(
                "Vous ne pourrez plus agir pour l'usager dans ce domaine ; "
                "les autres autorisations du mandat restent actives."
            ),
            confirm_label="Révoquer l'autorisation",
            cancel_url=reverse("mandates:mandate_detail", args=[authorisation.mandate_id]),
        )
    try:
        services.revoke_authorisation(authorisation, aidant=request.user)
    except services.MandateRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"L'autorisation « {authorisation} » est révoquée.")
    return redirect("mandates:mandate_detail", pk=authorisation.mandate_id)


@require_GET
@require_aidant
@require_fresh_totp
def attestation(request, pk):
    mandate = get_object_or_404(_mandates(request).select_related("created_by"), pk=pk)
    kind = request.GET.get("type", "mandat")
    if kind not in ("mandat", "revocation") or (kind == "revocation" and not mandate.revoked_at):
        raise Http404
    content = attestations.attestation_content(mandate, kind)
    content_hash = attestations.attestation_hash(content)
    JournalEntry.log_attestation(
        request.user,
        mandate,
        kind=kind,
        content_hash=content_hash,
        template_version=attestations.TEMPLATE_VERSION,
    )
    return render(
        request,
        "mandates/attestation.html",
        {
            "mandate": mandate,
            "kind": kind,
            "content_hash": content_hash,
            "template_version": attestations.TEMPLATE_VERSION,
            "qr_code": attestations.attestation_qr(mandate, content_hash),
            "authorisations": mandate.authorisations.all(),
            "texts": mentions.attestation_texts(mandate, kind),
            "title": "Attestation de révocation"
            if kind == "revocation"
            else "Attestation de mandat",
        },
    )
