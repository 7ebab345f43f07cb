"""Demo partner service (seed_demo): a known client id and secret, usable only in development
(the seed command refuses to run without DEBUG). Idempotent: keyed by the client id."""

from oauth2_provider.models import Application

from cnum.accounts.roles import Role
from cnum.partners.models import PartnerService
from cnum.partners.secrets import hash_secret

DEMO_CLIENT_ID = "demo-service-partenaire"
DEMO_CLIENT_SECRET = "demo-secret-service-partenaire"  # noqa: S105 (public demo value)
DEMO_REDIRECT_URIS = ["http://127.0.0.1:8001/oidc/retour", "http://localhost:8001/oidc/retour"]
DEMO_DOMAINS = ["papiers", "social", "logement", "argent", "transports"]


def seed(context):
    application = Application.objects.filter(client_id=DEMO_CLIENT_ID).first()
    if application is None:
        application = Application.objects.create(
            client_id=DEMO_CLIENT_ID,
            name="Démarches en ligne (démo)",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(DEMO_REDIRECT_URIS),
            algorithm=Application.RS256_ALGORITHM,
            client_secret=hash_secret(DEMO_CLIENT_SECRET),
            hash_client_secret=False,  # hashed by cnum.partners.secrets
        )
    admin = context.get("users", {}).get(Role.ADMINISTRATEUR)
    service = PartnerService.objects.filter(application=application).first()
    if service is None and admin is not None:
        service = PartnerService.objects.create(
            application=application, domains=DEMO_DOMAINS, created_by=admin
        )
    context["partner_service"] = service
