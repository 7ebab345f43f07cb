"""FranceConnect relying party: the usager proves who they are, the aidant never types it.

OpenID Connect authorisation code flow against the provider named by FRANCECONNECT_ISSUER:
endpoints from its discovery document, `state` and `nonce` kept in the aidant's session and
bound to the structure they act for, client authentication at the token endpoint, the id_token's
signature checked against the provider's published keys (JWKS) before any claim is read, then
`iss`, `aud`, `exp` and `nonce`. Every failure is a FranceConnectError carrying a French message
for the aidant; nothing is created before the whole chain has been checked.

HTTP goes through httpx; `use_transport` routes it elsewhere (the tests' local provider).
"""

import datetime
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

SESSION_KEY = "mandates_franceconnect"
LOGOUT_SESSION_KEY = "mandates_franceconnect_logout"
SCOPES = "openid given_name family_name birthdate birthplace birthcountry gender preferred_username"
# Asymmetric signatures only: never "none", never a secret-keyed HMAC (algorithm confusion).
ALGORITHMS = ["RS256", "ES256"]
FLOW_LIFETIME = datetime.timedelta(minutes=10)
CLOCK_LEEWAY_SECONDS = 60
FRANCE = "99100"  # INSEE code of France among birth countries

UNAVAILABLE = (
    "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes ou "
    "identifiez l'usager avec sa pièce d'identité."
)
CANCELLED = (
    "La connexion FranceConnect a été annulée : aucun usager n'a été enregistré. Vous pouvez "
    "recommencer ou identifier l'usager avec sa pièce d'identité."
)
UNEXPECTED = (
    "Cette réponse de FranceConnect ne correspond à aucune demande en cours (lien déjà utilisé, "
    "expiré ou ouvert dans un autre navigateur) : aucun usager n'a été enregistré. Recommencez."
)
STRUCTURE_CHANGED = (
    "Vous avez changé de structure pendant la connexion FranceConnect : aucun usager n'a été "
    "enregistré. Recommencez depuis la structure pour laquelle vous agissez."
)
INVALID = (
    "La réponse de FranceConnect n'a pas pu être vérifiée : aucun usager n'a été enregistré. "
    "Recommencez ; si le problème persiste, identifiez l'usager avec sa pièce d'identité."
)
EXPIRED = "La réponse de FranceConnect a expiré : aucun usager n'a été enregistré. Recommencez."
INCOMPLETE = (
    "FranceConnect n'a pas transmis une identité complète (nom, prénoms, date de naissance) : "
    "identifiez l'usager avec sa pièce d'identité."
)


class FranceConnectError(Exception):
    """A failed FranceConnect identification; str() is the message shown to the aidant."""


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str

    @classmethod
    def from_settings(cls):
        """The configured provider, or None: FranceConnect is then not offered."""
        issuer = getattr(settings, "FRANCECONNECT_ISSUER", "").rstrip("/")
        client_id = getattr(settings, "FRANCECONNECT_CLIENT_ID", "")
        secret = getattr(settings, "FRANCECONNECT_CLIENT_SECRET", "")
        if not (issuer and client_id and secret):
            return None
        return cls(issuer, client_id, secret)


@dataclass(frozen=True)
class Identity:
    """The identity FranceConnect vouches for (its "identité pivot")."""

    sub: str
    given_names: str
    family_name: str
    birth_date: datetime.date
    birth_place_code: str
    birth_country_code: str
    gender: str
    usage_name: str

    @property
    def birth_place(self):
        """Readable place of birth: the commune for France, the INSEE country code abroad."""
        from cnum.territories.models import Commune

        if self.birth_country_code and self.birth_country_code != FRANCE:
            return f"Étranger (pays n° INSEE {self.birth_country_code})"
        name = Commune.objects.filter(code_insee=self.birth_place_code).values_list(
            "nom", flat=True
        )
        found = name.first()
        return f"{found} ({self.birth_place_code})" if found else f"Commune {self.birth_place_code}"


_transport = None


@contextmanager
def use_transport(transport):
    """Send FranceConnect's HTTP requests through `transport` (tests: the local provider)."""
    global _transport
    previous, _transport = _transport, transport
    try:
        yield
    finally:
        _transport = previous


def _client():
    return httpx.Client(transport=_transport, timeout=httpx.Timeout(5.0), follow_redirects=False)


def _json(response):
    if response.status_code != 200:
        raise FranceConnectError(UNAVAILABLE)
    try:
        body = response.json()
    except ValueError as error:
        raise FranceConnectError(UNAVAILABLE) from error
    if not isinstance(body, dict):
        raise FranceConnectError(UNAVAILABLE)
    return body


def discover(client, config):
    """The provider's endpoints, from its discovery document (which must name it as issuer)."""
    body = _json(client.get(f"{config.issuer}/.well-known/openid-configuration"))
    required = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    if str(body.get("issuer") or "").rstrip("/") != config.issuer or not all(
        isinstance(body.get(name), str) for name in required
    ):
        raise FranceConnectError(UNAVAILABLE)
    return body


def begin(request, config, *, structure_id, redirect_uri):
    """Remember a fresh state and nonce for this structure; the URL to send the usager to."""
    try:
        with _client() as client:
            metadata = discover(client, config)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise FranceConnectError(UNAVAILABLE) from error
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "structure": structure_id,
        "redirect_uri": redirect_uri,
        "started_at": timezone.now().isoformat(),
    }
    params = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": state,
        "nonce": nonce,
        "acr_values": "eidas1",
        "prompt": "login consent",
    }
    return f"{metadata['authorization_endpoint']}?{urlencode(params)}"


def _pending(request, params, structure_id):
    """The flow this answer belongs to (used once), checked against the state and structure."""
    pending = request.session.pop(SESSION_KEY, None)
    if params.get("error"):
        raise FranceConnectError(CANCELLED)
    state = params.get("state", "")
    if not isinstance(pending, dict) or not constant_time_compare(state, pending.get("state")):
        raise FranceConnectError(UNEXPECTED)
    started = datetime.datetime.fromisoformat(pending["started_at"])
    if timezone.now() - started > FLOW_LIFETIME:
        raise FranceConnectError(UNEXPECTED)
    if pending.get("structure") != structure_id:
        raise FranceConnectError(STRUCTURE_CHANGED)
    if not params.get("code"):
        raise FranceConnectError(UNEXPECTED)
    return pending


def _exchange(client, config, metadata, code, redirect_uri):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth = None
    if "client_secret_post" in methods:
        data.update(client_id=config.client_id, client_secret=config.client_secret)
    else:
        auth = httpx.BasicAuth(config.client_id, config.client_secret)
    response = client.post(metadata["token_endpoint"], data=data, auth=auth)
    if response.status_code in (400, 401):
        raise FranceConnectError(INVALID)
    tokens = _json(response)
    if not isinstance(tokens.get("id_token"), str) or not isinstance(
        tokens.get("access_token"), str
    ):
        raise FranceConnectError(INVALID)
    return tokens


def _keys(client, metadata):
    body = _json(client.get(metadata["jwks_uri"]))
    try:
        return KeySet.import_key_set(body)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise FranceConnectError(UNAVAILABLE) from error


def verify_token(value, keys, config, **expected):
    """Claims of a JWT signed by the provider, for this client; `expected`: exact claim values.

    The signature is checked first; nothing in an unverified token is trusted."""
    try:
        token = jwt.decode(value, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError) as error:
        raise FranceConnectError(INVALID) from error
    claims = token.claims
    options = {"iss": {"essential": True, "value": config.issuer}, "exp": {"essential": True}}
    options.update({name: {"essential": True, "value": v} for name, v in expected.items()})
    try:
        jwt.JWTClaimsRegistry(leeway=CLOCK_LEEWAY_SECONDS, **options).validate(claims)
    except ExpiredTokenError as error:
        raise FranceConnectError(EXPIRED) from error
    except JoseError as error:
        raise FranceConnectError(INVALID) from error
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.client_id not in audiences:
        raise FranceConnectError(INVALID)
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        raise FranceConnectError(INVALID)
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise FranceConnectError(INVALID)
    return claims


def _userinfo(client, config, metadata, keys, access_token, sub):
    """The userinfo claims, signed (FranceConnect v2: application/jwt) or plain JSON."""
    response = client.get(
        metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}
    )
    if response.status_code != 200:
        raise FranceConnectError(UNAVAILABLE)
    if response.headers.get("content-type", "").startswith("application/jwt"):
        claims = verify_token(response.text.strip(), keys, config)
    else:
        claims = _json(response)
    # OpenID Connect Core §5.3.2: userinfo about someone else must be discarded.
    if claims.get("sub") != sub:
        raise FranceConnectError(INVALID)
    return claims


def _text(claims, name, limit=150):
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def identity_from_claims(claims):
    try:
        birth_date = datetime.date.fromisoformat(_text(claims, "birthdate", 10))
    except ValueError as error:
        raise FranceConnectError(INCOMPLETE) from error
    identity = Identity(
        sub=claims["sub"],
        given_names=_text(claims, "given_name"),
        family_name=_text(claims, "family_name"),
        birth_date=birth_date,
        birth_place_code=_text(claims, "birthplace", 5),
        birth_country_code=_text(claims, "birthcountry", 5),
        gender=_text(claims, "gender", 20),
        usage_name=_text(claims, "preferred_username"),
    )
    if not (identity.given_names and identity.family_name):
        raise FranceConnectError(INCOMPLETE)
    if not (identity.birth_place_code or identity.birth_country_code):
        raise FranceConnectError(INCOMPLETE)
    return identity


def complete(request, config, *, structure_id, params):
    """Check FranceConnect's answer end to end; (identity, id_token, end-session endpoint)."""
    pending = _pending(request, params, structure_id)
    try:
        with _client() as client:
            metadata = discover(client, config)
            tokens = _exchange(client, config, metadata, params["code"], pending["redirect_uri"])
            keys = _keys(client, metadata)
            claims = verify_token(tokens["id_token"], keys, config, nonce=pending["nonce"])
            userinfo = _userinfo(
                client, config, metadata, keys, tokens["access_token"], claims["sub"]
            )
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        raise FranceConnectError(UNAVAILABLE) from error
    identity = identity_from_claims(userinfo)
    return identity, tokens["id_token"], metadata.get("end_session_endpoint")


def logout_url(request, end_session_endpoint, *, id_token, usager_pk, post_logout_redirect_uri):
    """End the usager's FranceConnect session (the aidant's device is shared) and come back."""
    state = secrets.token_urlsafe(32)
    request.session[LOGOUT_SESSION_KEY] = {"state": state, "usager": usager_pk}
    params = {
        "id_token_hint": id_token,
        "state": state,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    return f"{end_session_endpoint}?{urlencode(params)}"


def logged_out_usager(request, params):
    """The usager whose FranceConnect session just ended, if this answer is the expected one."""
    pending = request.session.pop(LOGOUT_SESSION_KEY, None)
    if not isinstance(pending, dict):
        return None
    if not constant_time_compare(params.get("state", ""), pending.get("state")):
        return None
    return pending.get("usager")
