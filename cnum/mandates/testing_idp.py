"""A local OpenID Connect identity provider standing in for FranceConnect in the tests.

A small WSGI application reached through httpx.WSGITransport (no network): discovery, an
authorisation endpoint that answers at once for a configured person (or refuses), a token
endpoint that authenticates the client, a signed id_token (its own RSA key, published as JWKS),
a signed userinfo, and end of session. Attributes switch on the faults the relying party must
catch: forged signature, wrong audience or issuer, expired token, other nonce, provider down.
"""

import json
import secrets
import threading
import time
from base64 import b64decode, urlsafe_b64encode
from contextlib import contextmanager
from functools import cache
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER = "https://franceconnect.test"
CLIENT_ID = "cnum-aidants-connect"
CLIENT_SECRET = "secret-de-test-franceconnect"

DEFAULT_PERSON = {
    "sub": "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1",
    "given_name": "Angela Claire Louise",
    "family_name": "DUBOIS",
    "preferred_username": "",
    "birthdate": "1962-08-24",
    "birthplace": "75107",
    "birthcountry": "99100",
    "gender": "female",
}


@cache
def _key(kid):
    # Generated once per test session: RSA generation costs a few tens of milliseconds.
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class TestIdentityProvider:
    __test__ = False  # not a pytest class

    def __init__(self, *, person=None, auth_method="client_secret_post", end_session=True):
        self.base = ISSUER  # serve() replaces it by the address of a real local server
        self.person = dict(person or DEFAULT_PERSON)
        self.auth_method = auth_method
        self.end_session = end_session
        self.key = _key("franceconnect-test-1")
        self.codes = {}
        self.access_tokens = {}
        self.requests = []  # (method, path) seen, to assert what the relying party called
        # Faults, switched on by the negative tests.
        self.refuse = False  # the person cancels at FranceConnect
        self.down = False  # every endpoint answers 503
        self.forge_signature = False  # tokens signed with a key the JWKS does not publish
        self.audience = None
        self.issuer_claim = None
        self.expires_in = 60
        self.nonce = None
        self.userinfo_as_jwt = True
        self.userinfo_sub = None  # userinfo about someone else
        self.unsigned = False  # "alg": "none"

    def transport(self):
        return httpx.WSGITransport(app=self)

    # The "browser" side: what FranceConnect does between the redirect and the callback.

    def authorize(self, url):
        """Follow the authorisation redirect as the usager's browser would: the callback URL."""
        with httpx.Client(transport=self.transport()) as browser:
            response = browser.get(url)
        assert response.status_code == 302, response.text
        return response.headers["location"]

    # WSGI

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        self.requests.append((method, path))
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if self.down:
            return self._reply(start_response, "503 Service Unavailable", {"error": "down"})
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
        else:
            form = {}
        routes = {
            "/.well-known/openid-configuration": lambda: self._discovery(),
            "/api/v2/authorize": lambda: self._authorize(query),
            "/api/v2/token": lambda: self._token(form, environ.get("HTTP_AUTHORIZATION", "")),
            "/api/v2/userinfo": lambda: self._userinfo(environ.get("HTTP_AUTHORIZATION", "")),
            "/api/v2/jwks": lambda: ("200 OK", KeySet([self.key]).as_dict(private=False)),
            "/api/v2/session/end": lambda: self._end_session(query),
        }
        if path not in routes:
            return self._reply(start_response, "404 Not Found", {"error": "not_found"})
        result = routes[path]()
        if isinstance(result, tuple) and len(result) == 3:  # a redirect
            status, _, location = result
            start_response(status, [("Location", location)])
            return [b""]
        status, payload = result
        return self._reply(start_response, status, payload)

    @staticmethod
    def _reply(start_response, status, payload):
        if isinstance(payload, str):
            body, kind = payload.encode(), "application/jwt"
        else:
            body, kind = json.dumps(payload).encode(), "application/json"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    def _discovery(self):
        base = self.base
        document = {
            "issuer": base,
            "authorization_endpoint": f"{base}/api/v2/authorize",
            "token_endpoint": f"{base}/api/v2/token",
            "userinfo_endpoint": f"{base}/api/v2/userinfo",
            "jwks_uri": f"{base}/api/v2/jwks",
            "token_endpoint_auth_methods_supported": [self.auth_method],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
        if self.end_session:
            document["end_session_endpoint"] = f"{base}/api/v2/session/end"
        return "200 OK", document

    def _authorize(self, query):
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENT_ID or not redirect_uri:
            return "400 Bad Request", {"error": "invalid_request"}
        if self.refuse:
            answer = {"error": "access_denied", "state": query.get("state", "")}
            return "302 Found", None, f"{redirect_uri}?{urlencode(answer)}"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query.get("nonce"), "redirect_uri": redirect_uri}
        answer = {"code": code, "state": query.get("state", "")}
        return "302 Found", None, f"{redirect_uri}?{urlencode(answer)}"

    def _client_authenticated(self, form, authorization):
        if self.auth_method == "client_secret_post":
            return (form.get("client_id"), form.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET)
        if not authorization.startswith("Basic "):
            return False
        user, _, password = b64decode(authorization[6:]).decode().partition(":")
        return (user, password) == (CLIENT_ID, CLIENT_SECRET)

    def _token(self, form, authorization):
        if not self._client_authenticated(form, authorization):
            return "401 Unauthorized", {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is used once
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return "400 Bad Request", {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = self.person
        now = int(time.time())
        claims = {
            "sub": self.person["sub"],
            "aud": self.audience or CLIENT_ID,
            "iat": now,
            "exp": now + self.expires_in,
            "nonce": self.nonce or grant["nonce"],
            "acr": "eidas1",
        }
        return "200 OK", {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": self.sign(claims),
        }

    def _userinfo(self, authorization):
        person = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if person is None:
            return "401 Unauthorized", {"error": "invalid_token"}
        person = {**person, "sub": self.userinfo_sub or person["sub"]}
        if not self.userinfo_as_jwt:
            return "200 OK", person
        now = int(time.time())
        return "200 OK", self.sign({**person, "aud": CLIENT_ID, "iat": now, "exp": now + 60})

    def _end_session(self, query):
        target = query.get("post_logout_redirect_uri", "")
        state = urlencode({"state": query.get("state", "")})
        return "302 Found", None, f"{target}?{state}"

    def sign(self, claims):
        key = self.key
        if self.forge_signature:
            # Same key id, another private key: only the signature check can tell.
            key = RSAKey.import_key({**_key("forger").as_dict(private=True), "kid": key.kid})
        claims = {"iss": self.issuer_claim or self.base, **claims}
        if self.unsigned:
            parts = [{"alg": "none", "typ": "JWT"}, claims]
            encoded = [urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in parts]
            return b".".join(encoded).decode() + "."
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(provider):
    """Serve `provider` over HTTP on 127.0.0.1 (for a real browser); its issuer is that URL."""
    server = make_server("127.0.0.1", 0, provider, handler_class=_QuietHandler)
    provider.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def settings_for(settings, issuer=ISSUER):
    """Point the pytest-django `settings` fixture at this provider."""
    settings.FRANCECONNECT_ISSUER = issuer
    settings.FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
