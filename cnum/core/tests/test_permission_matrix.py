"""Every URL of the site × every role → the status a GET must answer.

A URL pattern missing from MATRIX fails the build: a new page must say who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role
from cnum.accounts.testing import login, make_user

ANONYMOUS = "anonyme"
ROLES = [ANONYMOUS, *Role.values]


def public(status=200):
    return dict.fromkeys(ROLES, status)


def authenticated(status=200):
    """Any logged-in user; anonymous visitors are sent to the login page."""
    return {**dict.fromkeys(ROLES, status), ANONYMOUS: 302}


def only(*roles, status=200):
    return {**dict.fromkeys(ROLES, 403), ANONYMOUS: 302, **dict.fromkeys(roles, status)}


def anonymous_only(status=200, logged_in=302):
    """Pages for visitors (login, signup): logged-in users are sent on to their space."""
    return {**dict.fromkeys(ROLES, logged_in), ANONYMOUS: status}


def by_2fa(with_2fa, without_2fa):
    """Logged-in users whose roles require 2FA answer `with_2fa`, the others `without_2fa`."""
    statuses = {role: with_2fa if role in ROLES_REQUIRING_2FA else without_2fa for role in Role}
    return {**statuses, ANONYMOUS: 302}


BAD_LINK = {"uidb64": "MQ", "token": "abc-def"}


def api_token_kwargs():
    from cnum.api.models import ApiToken, Scope

    token, _ = ApiToken.issue(name="Partenaire", scopes=[Scope.REFERENTIEL], created_by=make_user())
    return {"pk": token.pk}


# url name → (kwargs or a callable building them, expected status per role)
MATRIX = {
    "core:home": ({}, public()),
    "core:legal": ({}, public()),
    "core:accessibility": ({}, public()),
    "core:privacy": ({}, public()),
    "core:healthz": ({}, public()),
    "territories:search": ({}, public()),
    "territories:autocomplete": ({}, public()),
    "territories:commune": ({"code_insee": "2A004"}, public()),
    "api:api-root": ({}, public(404)),  # the API has no index: its docs are at /api/v1/docs
    "api:communes": ({}, public(400)),  # the query parameter q is required
    "api:commune": ({"code_insee": "2A004"}, public()),
    "api:token_info": ({}, public(401)),  # machine clients only, with a token
    "api:me": ({}, {**public(), ANONYMOUS: 401}),
    "api:openapi-json": ({}, public()),
    "api:openapi-view": ({}, public()),
    "accounts:login": ({}, anonymous_only()),
    "accounts:logout": ({}, public(405)),
    "accounts:signup": ({}, anonymous_only()),
    "accounts:signup_done": ({}, public()),
    "accounts:resend_confirmation": ({}, public()),
    "accounts:confirm": (BAD_LINK, public()),
    "accounts:password_reset": ({}, public()),
    "accounts:password_reset_done": ({}, public()),
    "accounts:password_reset_confirm": (BAD_LINK, public()),
    "accounts:password_reset_complete": ({}, public()),
    "accounts:password_change": ({}, authenticated()),
    "accounts:password_change_done": ({}, authenticated()),
    "accounts:dashboard": ({}, authenticated()),
    # Already verified 2FA users have nothing to set up; others have nothing to verify yet.
    "accounts:two_factor_setup": ({}, by_2fa(with_2fa=302, without_2fa=200)),
    "accounts:two_factor_verify": ({}, authenticated(302)),
    "accounts:two_factor_recovery_codes": ({}, by_2fa(with_2fa=200, without_2fa=302)),
    "accounts:api_tokens": ({}, only(Role.ADMINISTRATEUR)),
    "accounts:api_token_revoke": (api_token_kwargs, only(Role.ADMINISTRATEUR, status=405)),
}


def walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


ALL_URLS = sorted(set(walk(get_resolver())))


def test_every_url_has_a_row():
    missing = [name for name in ALL_URLS if name not in MATRIX]
    stale = [name for name in MATRIX if name not in ALL_URLS]
    assert not missing, f"URL sans ligne dans la matrice des permissions : {missing}"
    assert not stale, f"Lignes de la matrice sans URL : {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, name, role):
    kwargs, expected = MATRIX[name]
    kwargs = kwargs() if callable(kwargs) else kwargs
    if role != ANONYMOUS:
        login(client, make_user(role))
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected[role], (name, role)
