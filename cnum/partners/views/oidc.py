"""The OpenID Connect endpoints: authorization (an aidant picks the usager), token, userinfo,
discovery and keys. Token and userinfo are machine endpoints: no session, no login redirect."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import TokenView as BaseTokenView
from oauth2_provider.views import UserInfoView as BaseUserInfoView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2.rfc6749 import errors

from cnum.accounts.models import Organisation
from cnum.core.params import int_param, str_param
from cnum.mandates.domains import Domain
from cnum.mandates.policies import (
    can_create_mandates,
    current_structure_id,
    require_aidant,
    require_fresh_totp,
)
from cnum.partners.policies import offered_authorisations
from cnum.partners.scopes import BASE_SCOPES, SCOPES, domain_scopes
from cnum.partners.validators import CLAIMS

# What an authorization request may carry; anything else is refused (no silent ignoring).
AUTHORIZE_PARAMETERS = frozenset(
    {
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
        "prompt",
        "ui_locales",
    }
)
CHOOSER_LIMIT = 50  # a large structure searches by name rather than scrolling
TOKEN_PARAMETERS = frozenset(
    {"grant_type", "code", "redirect_uri", "code_verifier", "client_id", "client_secret", "scope"}
)


def issuer():
    return settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"]


def _endpoint(name):
    """Absolute URL on the issuer's origin (SITE_URL), whatever host the request came on."""
    origin = urlsplit(issuer())
    return f"{origin.scheme}://{origin.netloc}{reverse(f'partners:{name}')}"


def _unexpected(params, allowed):
    unknown = sorted(set(params) - allowed)
    duplicated = sorted(key for key in params if len(params.getlist(key)) > 1)
    if unknown:
        return f"Paramètre inconnu : {', '.join(unknown)}."
    if duplicated:
        return f"Paramètre répété : {', '.join(duplicated)}."
    return None


def _redirect(url, application=None):
    schemes = (
        application.get_allowed_schemes()
        if application
        else oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES
    )
    return OAuth2ResponseRedirect(url, schemes)


def _error(request, error, application=None):
    """Back to the service when its redirect URI is trusted; otherwise an error page here."""
    oauthlib_error = error.oauthlib_error
    if isinstance(error, FatalClientError) or not oauthlib_error.redirect_uri:
        return render(
            request,
            "partners/authorize_error.html",
            {"error": oauthlib_error, "title": "Demande de connexion invalide"},
            status=oauthlib_error.status_code,
        )
    url = add_params_to_uri(oauthlib_error.redirect_uri, oauthlib_error.twotuples)
    return _redirect(add_params_to_uri(url, [("iss", issuer())]), application)


def _refuse(request, application, credentials, error_class, description):
    error = error_class(description=description, state=credentials.get("state"))
    return _error(
        request,
        OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"]),
        application,
    )


def _credentials(credentials, authorisation):
    kept = ("client_id", "redirect_uri", "response_type", "state", "nonce")
    kept += ("code_challenge", "code_challenge_method")
    result = {key: credentials[key] for key in kept if credentials.get(key)}
    result["delegated_authorisation"] = authorisation
    return result


def _check_request(request, application, scopes, credentials):
    """The OIDC error to send back for a request we will not serve, if any."""
    problem = _unexpected(request.GET, AUTHORIZE_PARAMETERS)
    if problem:
        return _refuse(request, application, credentials, errors.InvalidRequestError, problem)
    if credentials.get("code_challenge_method") != "S256":
        # "plain" (also the default when absent) would let a stolen code be exchanged.
        description = "La méthode PKCE doit être S256 (code_challenge_method=S256)."
        return _refuse(request, application, credentials, errors.InvalidRequestError, description)
    if "openid" not in scopes or not domain_scopes(scopes):
        description = "Demandez le scope openid et au moins un domaine de mandat."
        return _refuse(request, application, credentials, errors.InvalidScopeError, description)
    return None


def _acting_structure(request):
    """The structure the aidant acts for in this session, if they may use its mandates."""
    structure = Organisation.objects.filter(pk=current_structure_id(request)).first()
    if structure is None or not can_create_mandates(request.user, structure):
        raise PermissionDenied
    return structure


def _issue_code(request, core, application, scopes, credentials, offered):
    """The chosen authorisation (a 404 outside the offer) becomes a code for the service."""
    choice = int_param(request.POST, "authorisation")
    authorisation = offered.filter(pk=choice).first() if choice is not None else None
    if authorisation is None:
        raise Http404
    granted = [scope for scope in scopes if scope in BASE_SCOPES] + [authorisation.domain]
    try:
        uri, *_ = core.create_authorization_response(
            request, granted, _credentials(credentials, authorisation), True
        )
    except OAuthToolkitError as error:
        return _error(request, error, application)
    return _redirect(uri, application)


def _chooser(request, service, structure, domains, offered, redirect_uri):
    """The list to pick from, narrowed by a name search (posted: the URL carries only the
    service's parameters) and capped so that a large structure's page stays light."""
    query = str_param(request.POST, "recherche", max_length=100)
    if query:
        offered = offered.filter(
            Q(mandate__usager__family_name__icontains=query)
            | Q(mandate__usager__given_names__icontains=query)
        )
    shown = list(offered[: CHOOSER_LIMIT + 1])
    context = {
        "service": service,
        "structure": structure,
        "domain_labels": [Domain(d).label for d in domains],
        "authorisations": shown[:CHOOSER_LIMIT],
        "truncated": len(shown) > CHOOSER_LIMIT,
        "limit": CHOOSER_LIMIT,
        "query": query,
        "missing_choice": request.POST.get("action") == "connecter",
        "title": f"Connexion à {service.name}",
    }
    response = render(request, "partners/authorize.html", context)
    # The form's answer is a redirect to the service: let the browser follow it.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(redirect_uri))
    response._csp_update = {"form-action": [origin]}
    return response


@require_http_methods(["GET", "POST"])
@require_aidant
@require_fresh_totp
def authorize(request):
    core = OAuthLibMixin.get_oauthlib_core()
    try:
        scopes, credentials = core.validate_authorization_request(request)
    except OAuthToolkitError as error:
        return _error(request, error)
    # From here the client and its redirect URI are known: errors go back to the service.
    application = credentials["request"].client
    refused = _check_request(request, application, scopes, credentials)
    if refused:
        return refused
    structure = _acting_structure(request)
    domains = domain_scopes(scopes)
    offered = offered_authorisations(request.user, structure.pk, domains)
    action = request.POST.get("action")
    if action == "refuser":
        description = "L'aidant a annulé la connexion."
        return _refuse(request, application, credentials, errors.AccessDeniedError, description)
    if action != "rechercher" and request.POST.get("authorisation"):
        return _issue_code(request, core, application, scopes, credentials, offered)
    return _chooser(
        request,
        application.partner_service,
        structure,
        domains,
        offered,
        credentials["redirect_uri"],
    )


@method_decorator(login_not_required, name="dispatch")
class TokenView(BaseTokenView):
    """django-oauth-toolkit's token endpoint (CSRF-exempt: clients authenticate themselves),
    refusing parameters it does not know."""

    def post(self, request, *args, **kwargs):
        problem = _unexpected(request.POST, TOKEN_PARAMETERS)
        if problem:
            return JsonResponse(
                {"error": "invalid_request", "error_description": problem}, status=400
            )
        with transaction.atomic():
            return super().post(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UserInfoView(BaseUserInfoView):
    """The usager's claims for a bearer token, by GET or POST as OpenID Connect requires. CSRF
    protects cookie sessions; this endpoint reads only the Authorization header."""

    http_method_names = ["get", "post", "options"]

    def dispatch(self, request, *args, **kwargs):
        if _token_outside_header(request):
            return _token_in_wrong_place()
        return super().dispatch(request, *args, **kwargs)


def _token_outside_header(request):
    """A token in the URL or the form body ends up in logs, histories and referrers."""
    in_body = request.method == "POST" and "access_token" in request.POST
    return "access_token" in request.GET or in_body


def _token_in_wrong_place():
    # RFC 6750 §3.1: a request without a supported way of authenticating gets a bare challenge.
    response = JsonResponse(
        {
            "error_description": (
                "Le jeton d'accès se transmet uniquement dans l'en-tête Authorization "
                "(Authorization: Bearer …)."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="cnum"'
    return response


@login_not_required
@require_GET
def discovery(request):
    data = {
        "issuer": issuer(),
        "authorization_endpoint": _endpoint("authorize"),
        "token_endpoint": _endpoint("token"),
        "userinfo_endpoint": _endpoint("userinfo"),
        "jwks_uri": _endpoint("jwks"),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": (
            oauth2_settings.OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED
        ),
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": list(CLAIMS),
        "authorization_response_iss_parameter_supported": True,
        "ui_locales_supported": ["fr"],
    }
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response
