from django.utils import timezone
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from cnum.accounts.policies import second_factor_pending
from cnum.api.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for machine clients, restricted to the token's scopes."""

    def __init__(self, scope=None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None:
            return None
        if self.scope and self.scope not in api_token.scopes:
            raise AuthorizationError  # a known client asking beyond its scopes: 403, not 401
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token


class VerifiedSessionAuth(SessionAuth):
    """The browser's session (with CSRF on writes), once any required second factor is passed."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or second_factor_pending(user):
            return None
        return user
