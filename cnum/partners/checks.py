from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signing_key_from_environment(app_configs, **kwargs):
    """The development key in var/ differs on every machine: production sets its own."""
    if settings.DEBUG or getattr(settings, "OIDC_KEY_FROM_ENVIRONMENT", False):
        return []
    return [
        Error(
            "La clé de signature OpenID Connect vient de var/ (clé de développement).",
            hint="Définissez OIDC_RSA_PRIVATE_KEY (clé RSA privée au format PEM).",
            id="partners.E001",
        )
    ]
