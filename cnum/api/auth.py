from django.utils import timezone
from ninja.security import HttpBearer

from cnum.api.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for machine clients, restricted to the token's scopes."""

    def __init__(self, scope=None):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None or (self.scope and self.scope not in api_token.scopes):
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token
