"""Every URL of the site × every role → the status a GET must answer.

A URL pattern missing from MATRIX fails the build: a new page must say who may see it. The walk
that checks each status, role by role, is cnum/core/tests/test_every_url.py (it then sends
hostile input to the same pages).
"""

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from cnum.accounts.permission_matrix import (
    ANONYMOUS,
    anonymous_only,
    authenticated,
    by_2fa,
    only,
    public,
)
from cnum.accounts.roles import Role

BAD_LINK = {"uidb64": "MQ", "token": "abc-def"}


def structure_kwargs():
    from cnum.structures.testing import make_structure

    return {"pk": make_structure(departement="69").pk}


def session_kwargs():
    import datetime

    from cnum.structures.models import CommitteeSession

    return {"pk": CommitteeSession.objects.create(number=99, date=datetime.date(2026, 1, 5)).pk}


STRUCTURE_AMENDMENT = {"pk": 1, "amendment_pk": 1}


def candidate_kwargs():
    from cnum.candidates.testing import profile_kwargs

    return profile_kwargs()


# url name → (kwargs or a callable building them, expected status per role)
MATRIX = {
    "core:home": ({}, public()),
    "core:legal": ({}, public()),
    "core:accessibility": ({}, public()),
    "core:privacy": ({}, public()),
    "core:api": ({}, public()),
    "core:favicon": ({}, public(301)),
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
    # Confirmation links (accounts, candidates, structures): a bad one answers the French error
    # page; a good one a page whose button (a POST) confirms.
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
    # Candidates. A fresh candidat user has no profile yet: their space sends them to the form.
    "candidates:apply": ({}, public()),
    "candidates:apply_done": ({}, public()),
    "candidates:confirm": (BAD_LINK, public()),
    "candidates:space": ({}, only(Role.CANDIDAT, status=302)),
    "candidates:edit": ({}, only(Role.CANDIDAT, status=302)),
    "candidates:pix": ({}, only(Role.CANDIDAT, status=302)),
    "candidates:export": ({}, only(Role.CANDIDAT, status=302)),
    "candidates:delete": ({}, only(Role.CANDIDAT, status=302)),
    "candidates:availability": ({}, authenticated(405)),
    "candidates:cv_upload": ({}, authenticated(405)),
    "candidates:cv_delete": ({}, only(Role.CANDIDAT, status=302)),
    # Someone else's profile without a CV: nobody downloads anything.
    "candidates:cv_download": (candidate_kwargs, authenticated(404)),
    "candidates:admin_list": ({}, only(Role.ADMINISTRATEUR, Role.PREFET)),
    # A Lyon candidate; the test préfet covers the Rhône (69).
    "candidates:admin_detail": (candidate_kwargs, only(Role.ADMINISTRATEUR, Role.PREFET)),
    "structures:apply": ({}, public()),
    "structures:apply_sent": ({}, public()),
    "structures:confirm": ({"token": "lien-invalide"}, public()),
    "structures:space": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    # Someone else's structure: a manager gets 404, never its data.
    "structures:detail": (structure_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
    "structures:amendment_create": ({"pk": 1}, authenticated(405)),
    "structures:amendment_cancel": (
        STRUCTURE_AMENDMENT,
        only(Role.GESTIONNAIRE_STRUCTURE, status=404),
    ),
    "structures:withdraw": (structure_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
    "structures:manager_invite": ({"pk": 1}, authenticated(405)),
    "structures:manager_remove": ({"pk": 1, "membership_pk": 1}, authenticated(405)),
    "structures:decider_list": ({}, only(Role.PREFET, Role.ADMINISTRATEUR)),
    # The structure is in the Rhône (69), the test préfet's département.
    "structures:decider_detail": (structure_kwargs, only(Role.PREFET, Role.ADMINISTRATEUR)),
    "structures:prefet_opinion": ({"pk": 1}, authenticated(405)),
    "structures:decision": ({"pk": 1}, authenticated(405)),
    "structures:status_change": (structure_kwargs, only(Role.ADMINISTRATEUR)),
    "structures:amendment_opinion": ({"amendment_pk": 1}, authenticated(405)),
    "structures:amendment_decision": ({"amendment_pk": 1}, authenticated(405)),
    "structures:calls": ({}, only(Role.ADMINISTRATEUR)),
    "structures:call_toggle": ({"pk": 1}, authenticated(405)),
    "structures:sessions": ({}, only(Role.ADMINISTRATEUR)),
    "structures:session": (session_kwargs, only(Role.ADMINISTRATEUR)),
    # Correcting a committee decision: the administration only; an unknown decision is 404.
    "structures:decision_correct": ({"pk": 999999}, only(Role.ADMINISTRATEUR, status=404)),
    # Aidants Connect: mandate actions first ask for a fresh TOTP code (302 to re-verify).
    "mandates:home": ({}, only(Role.AIDANT)),
    "mandates:reverify": ({}, only(Role.AIDANT)),
    "mandates:usager_create": ({}, only(Role.AIDANT, status=302)),
    "mandates:mandate_create": ({"usager_pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:mandate_detail": ({"pk": 999999}, only(Role.AIDANT, status=404)),
    "mandates:mandate_renew": ({"pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:mandate_revoke": ({"pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:attestation": ({"pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:attestation_pdf": ({"pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:authorisation_revoke": ({"pk": 999999}, only(Role.AIDANT, status=302)),
    "mandates:habilitation_request": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    "mandates:habilitation_list": ({}, only(Role.ADMINISTRATEUR)),
    "mandates:habilitation_detail": ({"pk": 999999}, authenticated(404)),
    "mandates:aidants": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    "mandates:aidant_deactivate": ({"pk": 999999}, authenticated(404)),
    "mandates:aidant_training": ({"pk": 999999}, authenticated(405)),
    "mandates:aidant_validate": ({"pk": 999999}, authenticated(405)),
    "mandates:journal": ({}, only(Role.ADMINISTRATEUR)),
    "mandates:journal_export": ({}, only(Role.ADMINISTRATEUR)),
    "mandates:retention": ({}, only(Role.ADMINISTRATEUR)),
}


def app_rows():
    """The rows each app keeps next to its own tests."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("cnum."):
            continue
        try:
            rows.update(import_string(f"{config.name}.tests.permission_rows.ROWS"))
        except ImportError:
            continue
    return rows


MATRIX.update(app_rows())


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
