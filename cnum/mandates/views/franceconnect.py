"""Identify the usager through FranceConnect (when configured), and pick the current structure."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cnum.core.params import int_param
from cnum.mandates import franceconnect, services
from cnum.mandates.policies import (
    current_usagers,
    require_aidant,
    require_fresh_totp,
    switch_structure,
)
from cnum.mandates.views.mandates import mandate_structure


def _config():
    config = franceconnect.Config.from_settings()
    if config is None:
        raise Http404
    return config


def _absolute(name):
    """Redirect URIs are registered with FranceConnect: built from SITE_URL, never the Host."""
    return f"{settings.SITE_URL}{reverse(name)}"


@require_POST
@require_aidant
@require_fresh_totp
def franceconnect_start(request):
    config = _config()
    structure = mandate_structure(request)
    try:
        url = franceconnect.begin(
            request,
            config,
            structure_id=structure.pk,
            redirect_uri=_absolute("mandates:franceconnect_callback"),
        )
    except franceconnect.FranceConnectError as error:
        messages.error(request, str(error))
        return redirect("mandates:usager_create")
    return redirect(url)


@require_GET
@require_aidant
@require_fresh_totp
def franceconnect_callback(request):
    config = _config()
    structure = mandate_structure(request)
    try:
        identity, id_token, end_session = franceconnect.complete(
            request, config, structure_id=structure.pk, params=request.GET
        )
    except franceconnect.FranceConnectError as error:
        messages.error(request, str(error))
        return redirect("mandates:usager_create")
    usager = services.establish_identity_franceconnect(
        aidant=request.user, organisation=structure, identity=identity
    )
    messages.success(request, f"{usager} est identifié(e) par FranceConnect.")
    if end_session:
        return redirect(
            franceconnect.logout_url(
                request,
                end_session,
                id_token=id_token,
                usager_pk=usager.pk,
                post_logout_redirect_uri=_absolute("mandates:franceconnect_logout"),
            )
        )
    return redirect("mandates:mandate_create", usager_pk=usager.pk)


@require_GET
@require_aidant
def franceconnect_logout(request):
    """Back from FranceConnect's end of session: on to the mandate for that usager."""
    usager_pk = franceconnect.logged_out_usager(request, request.GET)
    if usager_pk is None:
        return redirect("mandates:home")
    usager = get_object_or_404(current_usagers(request), pk=usager_pk)
    return redirect("mandates:mandate_create", usager_pk=usager.pk)


@require_POST
@require_aidant
def structure_switch(request):
    wanted = int_param(request.POST, "structure")
    if wanted is None or not switch_structure(request, wanted):
        raise Http404
    messages.success(request, "Vous agissez désormais pour cette structure.")
    return redirect("mandates:home")
