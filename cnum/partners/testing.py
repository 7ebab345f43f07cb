"""Helpers for the partners tests: a habilitated structure with usagers under mandate, a
registered partner service, and an Authlib client reaching the app in-process."""

import httpx
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.models import User
from cnum.mandates.domains import Duration
from cnum.mandates.services import create_mandate
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.partners.services import register_service

REDIRECT_URI = "https://demarche.exemple.fr/oidc/retour"


def make_aidant(organisation=None):
    organisation = organisation or habilitated_structure()
    aidant = validated_aidant(organisation)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    return User.objects.get(pk=aidant.pk)


def mandate_for(aidant, organisation, domains, **usager_fields):
    usager = make_usager(organisation, aidant, **usager_fields)
    return create_mandate(
        aidant=aidant,
        usager=usager,
        domains=domains,
        duration_days=Duration.ONE_MONTH,
        consent=True,
    )


def make_service(domains=("logement", "social"), redirect_uris=(REDIRECT_URI,), name=None):
    from cnum.accounts.roles import Role
    from cnum.accounts.testing import make_user

    return register_service(
        name=name or "Démarche logement",
        redirect_uris=list(redirect_uris),
        domains=list(domains),
        created_by=make_user(Role.ADMINISTRATEUR),
    )


class InProcessApp:
    """The WSGI application keeping the test's database connection, as Django's test client
    does: no connection recycling around the request, the response read before returning."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def partner_client(service, secret, scope="openid profile logement", **kwargs):
    """What a partner's back end would use, talking to this app without a network."""
    return OAuth2Client(
        client_id=service.application.client_id,
        client_secret=secret,
        scope=scope,
        redirect_uri=kwargs.pop("redirect_uri", REDIRECT_URI),
        code_challenge_method="S256",
        transport=httpx.WSGITransport(app=InProcessApp()),
        base_url=settings.SITE_URL,
        **kwargs,
    )
