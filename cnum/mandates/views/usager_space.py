"""The usager's own space: FranceConnect sign-in, their mandates, revocation
(docs/aidants-connect.md#espace-usager). Public views: the space has its own session keys and
never uses staff accounts."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.core.confirm import confirmation_page, confirmed
from cnum.mandates import franceconnect, usager_space
from cnum.mandates.models import Authorisation

TITLE = "Mon espace usager Aidants Connect"
FAILED = (
    "La connexion avec FranceConnect n'a pas abouti : votre espace n'est pas ouvert. "
    "Recommencez dans quelques minutes."
)
EXPIRED = "Votre session a expiré ou vous n'êtes pas connecté(e) : connectez-vous à nouveau."


def _callback_uri():
    # Registered with FranceConnect: built from SITE_URL, never from the Host header.
    return f"{settings.SITE_URL}{reverse('usager_space:callback')}"


def require_usager(view):
    """The space's pages need a signed-in usager; otherwise back to the sign-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        usager = usager_space.current(request)
        if usager is None:
            messages.info(request, EXPIRED)
            return redirect("usager_space:home")
        return view(request, usager, *args, **kwargs)

    return wrapped


@login_not_required
@require_GET
def home(request):
    usager = usager_space.current(request)
    if usager is None:
        return _sign_in_page(request)
    mandates = list(
        usager_space.mandates_of(usager["sub"])
        .not_hidden()
        .prefetch_related(
            Prefetch("authorisations", queryset=Authorisation.objects.order_by("domain"))
        )
    )
    uses = usager_space.uses_of(m.pk for m in mandates)
    rows = [(m, uses.get(m.pk, [])) for m in mandates]
    return render(
        request,
        "mandates/usager_space/home.html",
        {"usager": usager, "rows": rows, "title": TITLE},
    )


def _sign_in_page(request):
    config = franceconnect.Config.from_settings()
    response = render(
        request,
        "mandates/usager_space/sign_in.html",
        {"franceconnect": config is not None, "title": TITLE},
    )
    if config is not None:
        # The sign-in form's POST is redirected to the provider: form-action must allow it.
        response._csp_update = {"form-action": [config.issuer]}
    return response


@login_not_required
@require_POST
def sign_in(request):
    config = franceconnect.Config.from_settings()
    if config is None:
        messages.error(request, FAILED)
        return redirect("usager_space:home")
    try:
        url = franceconnect.begin(
            request, config, structure_id=usager_space.FLOW, redirect_uri=_callback_uri()
        )
    except franceconnect.FranceConnectError:
        messages.error(request, FAILED)
        return redirect("usager_space:home")
    return redirect(url)


@login_not_required
@require_GET
def callback(request):
    config = franceconnect.Config.from_settings()
    if config is None:
        messages.error(request, FAILED)
        return redirect("usager_space:home")
    try:
        identity, _, _ = franceconnect.complete(
            request, config, structure_id=usager_space.FLOW, params=request.GET
        )
    except franceconnect.FranceConnectError:
        messages.error(request, FAILED)
        return redirect("usager_space:home")
    usager_space.sign_in(request, identity)
    messages.success(request, f"Bienvenue, {identity.given_names} {identity.family_name}.")
    return redirect("usager_space:home")


@login_not_required
@require_POST
def sign_out(request):
    usager_space.sign_out(request)
    messages.success(request, "Vous êtes déconnecté(e) de votre espace usager.")
    return redirect("usager_space:home")


@login_not_required
@require_http_methods(["GET", "POST"])
@require_usager
def mandate_revoke(request, usager, pk):
    mandate = get_object_or_404(usager_space.mandates_of(usager["sub"]), pk=pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=f"Révoquer le mandat n° {mandate.pk}",
            consequences=[
                f"{mandate.organisation} ne pourra plus faire de démarche en votre nom.",
                "Toutes les autorisations encore actives de ce mandat prennent fin maintenant.",
                "La structure est prévenue par courriel.",
            ],
            confirm_label="Révoquer le mandat",
            cancel_url=reverse("usager_space:home"),
        )
    try:
        usager_space.revoke_mandate(mandate, sub=usager["sub"])
    except usager_space.RevocationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Le mandat n° {mandate.pk} est révoqué.")
    return redirect("usager_space:home")


@login_not_required
@require_http_methods(["GET", "POST"])
@require_usager
def authorisation_revoke(request, usager, pk):
    authorisation = get_object_or_404(
        Authorisation.objects.filter(mandate__in=usager_space.mandates_of(usager["sub"])),
        pk=pk,
    )
    label = authorisation.get_domain_display()
    if not confirmed(request):
        return confirmation_page(
            request,
            title=f"Retirer l'autorisation « {label} »",
            consequences=(
                f"{authorisation.mandate.organisation} ne pourra plus faire de démarche en votre "
                "nom dans ce domaine ; les autres autorisations du mandat restent valables."
            ),
            confirm_label="Retirer l'autorisation",
            cancel_url=reverse("usager_space:home"),
        )
    try:
        usager_space.revoke_authorisation(authorisation, sub=usager["sub"])
    except usager_space.RevocationRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"L'autorisation « {label} » est retirée.")
    return redirect("usager_space:home")
