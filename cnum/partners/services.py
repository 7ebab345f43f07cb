"""Use cases: registering partner services, and handing a code to a service for an aidant."""

from django.db import transaction
from oauth2_provider.models import AccessToken, Application

from cnum.partners.models import PartnerService
from cnum.partners.secrets import new_secret


@transaction.atomic
def register_service(*, name, redirect_uris, domains, created_by):
    """A confidential client signing RS256 ID tokens. Returns (service, secret): the secret is
    stored hashed and can never be shown again."""
    secret, stored = new_secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        algorithm=Application.RS256_ALGORITHM,
        # Hashed here (see cnum.partners.secrets), not by the library.
        client_secret=stored,
        hash_client_secret=False,
    )
    service = PartnerService.objects.create(
        application=application, domains=list(domains), created_by=created_by
    )
    return service, secret


@transaction.atomic
def update_service(service, *, name, redirect_uris, domains, is_active):
    application = service.application
    application.name = name
    application.redirect_uris = " ".join(redirect_uris)
    application.save(update_fields=["name", "redirect_uris", "updated"])
    service.domains = list(domains)
    service.is_active = is_active
    service.save(update_fields=["domains", "is_active"])
    if not is_active:
        AccessToken.objects.filter(application=application).delete()
    return service


@transaction.atomic
def regenerate_secret(service):
    """A new secret; the old one stops working at once."""
    secret, stored = new_secret()
    application = service.application
    application.client_secret = stored
    application.save(update_fields=["client_secret", "updated"])
    return secret
