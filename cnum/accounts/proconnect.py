"""ProConnect (OpenID Connect) login for agents, through mozilla-django-oidc.

Configured by PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET (any of them
empty: ProConnect is not offered). The endpoints are those ProConnect publishes under its
issuer (`…/authorize`, `…/token`, `…/userinfo`, `…/jwks`).

The library runs the authorisation code flow (state and nonce kept in the session); this module
checks what it leaves unchecked: the id_token's issuer, audience and expiry, and turns every
failure into a French message. No account is ever created, and an account is never linked
silently: the first time, the agent confirms that the account found by e-mail is theirs.

Second factor: ProConnect stands for TOTP only when its id_token says a second factor was
checked, i.e. `amr` contains "mfa" or `acr` is one of PROCONNECT_2FA_ACR; otherwise a role that
requires 2FA still passes the TOTP check after ProConnect.
"""

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cnum.accounts.roles import Role

# Roles of public agents, for whom ProConnect is meant.
AGENT_ROLES = frozenset(
    {Role.ADMINISTRATEUR, Role.PREFET, Role.OPERATEUR_FINANCIER, Role.GESTIONNAIRE_STRUCTURE}
)
SCOPES = "openid email given_name usual_name uid siret"
ALGORITHM = "RS256"
CLOCK_LEEWAY_SECONDS = 60

UNAVAILABLE = (
    "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes ou "
    "connectez-vous avec votre adresse électronique et votre mot de passe."
)
CANCELLED = "La connexion avec ProConnect a été annulée : vous n'êtes pas connecté."
UNEXPECTED = (
    "Cette réponse de ProConnect ne correspond à aucune connexion en cours (lien déjà "
    "utilisé, expiré ou ouvert dans un autre navigateur) : vous n'êtes pas connecté. "
    "Recommencez."
)
INVALID = (
    "La réponse de ProConnect n'a pas pu être vérifiée : vous n'êtes pas connecté. "
    "Recommencez ; si le problème persiste, connectez-vous avec votre adresse "
    "électronique et votre mot de passe."
)
EXPIRED = "La réponse de ProConnect a expiré : vous n'êtes pas connecté. Recommencez."
NO_EMAIL = "ProConnect n'a pas transmis d'adresse électronique vérifiée : vous n'êtes pas connecté."


class ProConnectError(Exception):
    """A failed ProConnect login; str() is the message shown."""


def is_configured():
    return bool(
        settings.PROCONNECT_ISSUER
        and settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
    )


def oidc_setting(name, *default):
    """What mozilla-django-oidc reads from the settings, derived from PROCONNECT_*."""
    issuer = settings.PROCONNECT_ISSUER.rstrip("/")
    derived = {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
        "OIDC_RP_SIGN_ALGO": ALGORITHM,
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:proconnect_callback",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {"acr_values": "eidas1"},
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": 5,
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_ALLOW_UNSECURED_JWT": False,
    }
    if name in derived:
        return derived[name]
    return getattr(settings, name, *default)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Used directly by the callback view (not an authentication backend of the site): it
    checks ProConnect's answer and returns the verified claims, never a user."""

    get_settings = staticmethod(oidc_setting)

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=settings.PROCONNECT_CLIENT_ID,
                issuer=settings.PROCONNECT_ISSUER.rstrip("/"),
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise ProConnectError(EXPIRED) from error
        except jwt.InvalidTokenError as error:
            raise ProConnectError(INVALID) from error

    def verified_claims(self, request, *, nonce):
        """The id_token's claims merged with userinfo's, all checked; or ProConnectError."""
        self.request = request
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": request.GET["code"],
            "redirect_uri": request.build_absolute_uri(reverse("accounts:proconnect_callback")),
        }
        try:
            tokens = self.get_token(payload)
            id_token = self.verify_token(tokens["id_token"], nonce=nonce)
            if "exp" not in id_token or not id_token.get("sub"):
                raise ProConnectError(INVALID)
            userinfo = self.get_userinfo(tokens["access_token"], tokens["id_token"], id_token)
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 500
            raise ProConnectError(INVALID if 400 <= status < 500 else UNAVAILABLE) from error
        except (requests.RequestException, ValueError) as error:
            raise ProConnectError(UNAVAILABLE) from error
        except (SuspiciousOperation, jwt.InvalidTokenError, KeyError, TypeError) as error:
            raise ProConnectError(INVALID) from error
        # OpenID Connect Core §5.3.2: userinfo about someone else is discarded.
        if not isinstance(userinfo, dict) or userinfo.get("sub") != id_token["sub"]:
            raise ProConnectError(INVALID)
        email = userinfo.get("email")
        if (
            not isinstance(email, str)
            or "@" not in email
            or userinfo.get("email_verified") is False
        ):
            raise ProConnectError(NO_EMAIL)
        return {**userinfo, "acr": id_token.get("acr"), "amr": id_token.get("amr")}


def second_factor_checked(claims):
    """True when ProConnect says it checked a second factor itself (see the module doc)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return "mfa" in amr or claims.get("acr") in settings.PROCONNECT_2FA_ACR
