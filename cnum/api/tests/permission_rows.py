"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The API's first URLs (api:…) are listed in the matrix itself; here, the administration's pages
that issue and revoke tokens, the data·inclusion feed and the partner API.
"""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role


def api_token_kwargs():
    from cnum.accounts.testing import make_user
    from cnum.api.models import ApiToken, Scope

    token, _ = ApiToken.issue(name="Partenaire", scopes=[Scope.REFERENTIEL], created_by=make_user())
    return {"pk": token.pk}


ROWS = {
    "api_tokens:list": ({}, only(Role.ADMINISTRATEUR)),
    "api_tokens:revoke": (api_token_kwargs, only(Role.ADMINISTRATEUR)),
    # Open data, like the places' export.
    "api:data_inclusion_structures": ({}, public()),
    "api:data_inclusion_services": ({}, public()),
    # Partners only, with a token of the endpoint's scope: a browser session is not one.
    "api:partner_activities": ({}, public(401)),
    "api:partner_stats": ({}, public(401)),
    "api:partner_structures": ({}, public(401)),
    "api:partner_posts": ({}, public(401)),
    "api:partner_conseillers": ({}, public(401)),
}
