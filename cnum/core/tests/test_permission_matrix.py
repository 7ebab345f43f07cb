"""Every URL of the site × every role → the status a GET must answer.

A URL pattern missing from MATRIX fails the build: a new page must say who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cnum.accounts.roles import Role
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
