"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The API's own URLs (api:…) are listed in the matrix itself; here, the administration's pages
that issue and revoke tokens.
"""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role


def api_token_kwargs():
    from cnum.accounts.testing import make_user
    from cnum.api.models import ApiToken, Scope

    token, _ = ApiToken.issue(name="Partenaire", scopes=[Scope.REFERENTIEL], created_by=make_user())
    return {"pk": token.pk}


ROWS = {
    "api_tokens:list": ({}, only(Role.ADMINISTRATEUR)),
    "api_tokens:revoke": (api_token_kwargs, only(Role.ADMINISTRATEUR, status=405)),
}
