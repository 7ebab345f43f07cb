"""Aidant pages: usagers and mandates of their structure(s), attestations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.mandates import attestation as attestations
from cnum.mandates import services
from cnum.mandates.forms import MandateForm, RenewForm, UsagerForm
from cnum.mandates.models import Authorisation, JournalEntry, Mandate, Usager
from cnum.mandates.policies import (
    managed_structure_ids,
    mandate_structures,
    require_aidant,
    require_fresh_totp,
)

TABS = {"actifs": "Actifs", "expires": "Expirés", "revoques": "Révoqués"}


def _mandates(user):
    return Mandate.objects.visible_to(user).select_related("usager", "organisation")


@require_GET
@require_aidant
def home(request):
    tab = request.GET.get("onglet", "actifs")
    if tab not in TABS:
        tab = "actifs"
    query = request.GET.get("q", "").strip()[:100]
    mandates = _mandates(request.user).not_hidden()
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
            "can_create": bool(mandate_structures(request.user)),
            "manages": bool(managed_structure_ids(request.user)),
            "title": "Mandats Aidants Connect",
        },
    )


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def usager_create(request):
    structures = mandate_structures(request.user)
    if not structures:
        raise PermissionDenied
    form = UsagerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        usager = services.establish_identity_manually(
            aidant=request.user, organisation=structures[0], **data
        )
        return redirect("mandates:mandate_create", usager_pk=usager.pk)
    return render(
        request,
        "mandates/usager_form.html",
        {
            "form": form,
            "structure": structures[0],
            "title": "Identifier l'usager",
        },
    )


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def mandate_create(request, usager_pk):
    usager = get_object_or_404(Usager.objects.visible_to(request.user), pk=usager_pk)
    habilitation = getattr(usager.organisation, "habilitation", None)
    allowed = habilitation.domains if habilitation else []
    form = MandateForm(request.POST if request.method == "POST" else None, allowed_domains=allowed)
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
        },
    )


@require_GET
@require_aidant
def mandate_detail(request, pk):
    mandate = get_object_or_404(_mandates(request.user), pk=pk)
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
    mandate = get_object_or_404(_mandates(request.user), pk=pk)
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


@require_POST
@require_aidant
@require_fresh_totp
def mandate_revoke(request, pk):
    mandate = get_object_or_404(_mandates(request.user), pk=pk)
    try:
        services.revoke_mandate(mandate, aidant=request.user)
    except services.MandateRefused as error:
        messages.error(request, str(error))
        return redirect("mandates:mandate_detail", pk=pk)
    messages.success(request, "Le mandat est révoqué : imprimez l'attestation de révocation.")
    return redirect(reverse("mandates:attestation", args=[pk]) + "?type=revocation")


@require_POST
@require_aidant
@require_fresh_totp
def authorisation_revoke(request, pk):
    authorisation = get_object_or_404(
        Authorisation.objects.filter(mandate__in=_mandates(request.user)), pk=pk
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
    mandate = get_object_or_404(_mandates(request.user).select_related("created_by"), pk=pk)
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
            "title": "Attestation de révocation"
            if kind == "revocation"
            else "Attestation de mandat",
        },
    )
