"""ProConnect login: start, callback, and the one-time confirmation that links an account."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from cnum.accounts import grants, proconnect
from cnum.accounts.models import AccountEvent, ProConnectDevice, ProConnectIdentity, User
from cnum.accounts.policies import second_factor_pending, second_factor_url
from cnum.accounts.proconnect import AGENT_ROLES, ProConnectBackend, ProConnectError
from cnum.accounts.sessions import second_factor_passed

PENDING_KEY = "proconnect_pending"
# Time allowed between leaving for ProConnect and coming back, then to confirm the link.
FLOW_LIFETIME_SECONDS = 600


def _account_backend():
    """The site's account backend (a ModelBackend) under which the session is opened."""
    for path in settings.AUTHENTICATION_BACKENDS:
        if issubclass(import_string(path), ModelBackend):
            return path
    raise ImproperlyConfigured("Aucun ModelBackend dans AUTHENTICATION_BACKENDS.")


def _require_configured():
    if not proconnect.is_configured():
        raise Http404


@method_decorator(login_not_required, name="dispatch")
class StartView(OIDCAuthenticationRequestView):
    """Sends the agent to ProConnect with a fresh state and nonce (kept by the library)."""

    get_settings = staticmethod(proconnect.oidc_setting)

    def get(self, request):
        _require_configured()
        return super().get(request)


def _may_use_proconnect(user):
    return user is not None and user.is_active and user.has_role(*AGENT_ROLES)


def _checked_claims(request):
    """ProConnect's answer, matched to a flow started in this session (used once), verified."""
    states = request.session.get("oidc_states")
    states = states if isinstance(states, dict) else {}
    flow = states.pop(request.GET.get("state", ""), None)
    request.session["oidc_states"] = states
    if request.GET.get("error"):
        raise ProConnectError(proconnect.CANCELLED)
    if flow is None or not request.GET.get("code"):
        raise ProConnectError(proconnect.UNEXPECTED)
    if time.time() - flow.get("added_on", 0) > FLOW_LIFETIME_SECONDS:
        raise ProConnectError(proconnect.UNEXPECTED)
    return ProConnectBackend().verified_claims(request, nonce=flow["nonce"])


def _refused(request, reason):
    context = {"title": "Connexion avec ProConnect impossible", "reason": reason}
    return render(request, "accounts/proconnect_refused.html", context, status=403)


@login_not_required
@require_GET
def callback(request):
    _require_configured()
    try:
        claims = _checked_claims(request)
    except ProConnectError as error:
        messages.error(request, str(error))
        return redirect("accounts:login")
    mfa = proconnect.second_factor_checked(claims)
    identity = ProConnectIdentity.objects.filter(sub=claims["sub"]).select_related("user").first()
    if identity is not None:
        if not _may_use_proconnect(identity.user):
            return _refused(request, "roles")
        return _log_in(request, identity.user, mfa)
    user = User.objects.filter(email__iexact=claims["email"].strip()).first()
    if not _may_use_proconnect(user):
        return _refused(request, "unknown" if user is None else "roles")
    if ProConnectIdentity.objects.filter(user=user).exists():
        return _refused(request, "other_identity")
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "sub": claims["sub"],
        "email": claims["email"],
        "mfa": mfa,
        "at": time.time(),
    }
    return redirect("accounts:proconnect_link")


def _pending(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending["at"] > FLOW_LIFETIME_SECONDS:
        return None
    return pending


@login_not_required
@require_http_methods(["GET", "POST"])
def link(request):
    """ "C'est bien mon compte": nothing is linked, and nobody logged in, without this POST."""
    _require_configured()
    pending = _pending(request)
    user = User.objects.filter(pk=pending["user"]).first() if pending else None
    if not _may_use_proconnect(user):
        request.session.pop(PENDING_KEY, None)
        messages.error(request, proconnect.UNEXPECTED)
        return redirect("accounts:login")
    if request.method == "POST":
        request.session.pop(PENDING_KEY, None)
        if request.POST.get("confirm") != "1":
            messages.info(
                request, "Aucun compte n'a été lié à ProConnect : vous n'êtes pas connecté."
            )
            return redirect("accounts:login")
        try:
            with transaction.atomic():
                ProConnectIdentity.objects.create(user=user, sub=pending["sub"])
                grants.log(user, AccountEvent.PROCONNECT_LINKED, actor=user)
        except IntegrityError:
            return _refused(request, "other_identity")
        return _log_in(request, user, pending["mfa"])
    context = {
        "title": "Lier votre compte à ProConnect",
        "link_user": user,
        "proconnect_email": pending["email"],
        "memberships": user.memberships.filter(is_active=True).select_related("organisation"),
    }
    return render(request, "accounts/proconnect_link.html", context)


def _log_in(request, user, mfa):
    next_url = request.session.get("oidc_login_next") or ""
    auth_login(request, user, backend=_account_backend())
    if mfa:
        device, _ = ProConnectDevice.objects.get_or_create(
            user=user, name="ProConnect", defaults={"confirmed": True}
        )
        second_factor_passed(request, device)
    elif second_factor_pending(user):
        return redirect(second_factor_url(user, next_url))
    return redirect(next_url or "accounts:dashboard")
