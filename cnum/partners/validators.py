"""django-oauth-toolkit validator bound to mandates: each code and token carries a Delegation.

The authenticated user of the OAuth exchange is the aidant; the identity handed to the partner
service is the usager of the authorisation the aidant chose.
"""

import hashlib
from collections import OrderedDict

from oauth2_provider.models import AccessToken, Grant
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from cnum.mandates.models import JournalEntry
from cnum.partners.models import Delegation, PairwiseSubject
from cnum.partners.policies import delegation_holds
from cnum.partners.secrets import secret_matches

CLAIMS = (
    "sub",
    "given_name",
    "family_name",
    "birthdate",
    "birthplace",
    "domaine",
    "mandat_expire_le",
)


def code_hash(code):
    return hashlib.sha256(code.encode()).hexdigest()


def subject_for(service, usager):
    subject, _ = PairwiseSubject.objects.get_or_create(service=service, usager=usager)
    return str(subject.subject)


def _delegations():
    return Delegation.objects.select_related(
        "service__application", "aidant", "authorisation__mandate__usager"
    )


class PartnerValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "birthplace": "profile",
        "domaine": "openid",
        "mandat_expire_le": "openid",
    }

    # Clients: only registered partner services that are enabled.

    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        service = getattr(application, "partner_service", None) if application else None
        if service is None or not service.is_active:
            request.client = None
            return None
        return application

    def _check_secret(self, provided_secret, stored_secret):
        return secret_matches(provided_secret, stored_secret)

    # Authorization: the code remembers the authorisation the aidant chose.

    def validate_silent_authorization(self, request):
        return False  # the aidant always picks the usager: no prompt=none

    def validate_silent_login(self, request):
        return False

    def _create_authorization_code(self, request, code, expires=None):
        authorisation = getattr(request, "delegated_authorisation", None)
        if authorisation is None:
            raise errors.AccessDeniedError(request=request)
        grant = super()._create_authorization_code(request, code, expires)
        Delegation.objects.create(
            service=request.client.partner_service,
            aidant=request.user,
            authorisation=authorisation,
            grant=grant,
            code_hash=code_hash(code["code"]),
        )
        return grant

    # Token: one exchange per code; a replay revokes what the code gave.

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        # Two exchanges of one code take turns (the token view runs in a transaction): the
        # second finds the code gone and is treated as a replay.
        Grant.objects.select_for_update(of=("self",)).filter(code=code, application=client).first()
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            self._revoke_replayed(code, client)
            return False
        delegation = _delegations().filter(grant__code=code, grant__application=client).first()
        if delegation is None or not delegation_holds(delegation):
            return False
        request.delegation = delegation
        return True

    def _revoke_replayed(self, code, client):
        delegation = Delegation.objects.filter(
            code_hash=code_hash(code), service__application=client, grant__isnull=True
        ).first()
        if delegation is not None and delegation.access_token_id is not None:
            AccessToken.objects.filter(pk=delegation.access_token_id).delete()

    def save_bearer_token(self, token, request, *args, **kwargs):
        # No refresh token: every new session goes through an aidant and a live authorisation.
        token.pop("refresh_token", None)
        return super().save_bearer_token(token, request, *args, **kwargs)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        Delegation.objects.filter(pk=request.delegation.pk).update(access_token=access_token)
        return access_token

    # Userinfo: only while the authorisation holds; each call is journaled.

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        delegation = _delegations().filter(access_token=request.access_token).first()
        if delegation is None or not delegation_holds(delegation):
            request.oauth2_error = OrderedDict(
                [
                    ("error", "invalid_token"),
                    ("error_description", "L'autorisation de l'usager n'est plus valide."),
                ]
            )
            return False
        request.delegation = delegation
        return True

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        delegation = request.delegation
        JournalEntry.log_authorisation_used(
            delegation.aidant, delegation.authorisation, service=delegation.service.name
        )
        return claims

    # Claims: the usager's identity and the domain of the authorisation.

    def get_claim_dict(self, request):
        delegation = request.delegation
        mandate = delegation.authorisation.mandate
        usager = mandate.usager
        return {
            "sub": subject_for(delegation.service, usager),
            "given_name": usager.given_names,
            "family_name": usager.family_name,
            "birthdate": usager.birth_date.isoformat(),
            "birthplace": usager.birth_place,
            "domaine": delegation.authorisation.domain,
            "mandat_expire_le": mandate.expires_at.isoformat(),
        }

    def get_discovery_claims(self, request):
        return list(CLAIMS)
