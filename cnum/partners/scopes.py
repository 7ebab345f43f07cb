"""Scopes a partner service may ask for: openid, profile and one per mandate domain."""

from oauth2_provider.scopes import BaseScopes

from cnum.mandates.domains import Domain

BASE_SCOPES = {
    "openid": "Connexion OpenID Connect",
    "profile": "Identité de l'usager (nom, prénoms, date et lieu de naissance)",
}
SCOPES = {**BASE_SCOPES, **{domain.value: domain.label for domain in Domain}}


def domain_scopes(scopes):
    """The mandate domains among `scopes`, in the order of the domain list."""
    requested = set(scopes)
    return [value for value in Domain.values if value in requested]


class PartnerScopes(BaseScopes):
    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        """A service may only ask for the domains it was registered for."""
        if application is None:
            return list(SCOPES)
        service = getattr(application, "partner_service", None)
        domains = service.domains if service is not None else []
        return [*BASE_SCOPES, *domain_scopes(domains)]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return ["openid"]
