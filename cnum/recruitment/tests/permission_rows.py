"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role


def _match():
    from cnum.recruitment.testing import match_kwargs

    return match_kwargs()


def _structure():
    from cnum.recruitment.testing import structure_kwargs

    return structure_kwargs()


# Someone else's structure in the Rhône (69): its managers get 404, the test préfet (Rhône) and
# the administration read it.
READERS = {**only(Role.PREFET, Role.ADMINISTRATEUR), Role.GESTIONNAIRE_STRUCTURE: 404}
# Forms of the structure's managers: a manager of another structure gets 404.
MANAGERS = only(Role.GESTIONNAIRE_STRUCTURE, status=404)

ROWS = {
    "recruitment:structure": (_structure, READERS),
    "recruitment:match": (_match, READERS),
    "recruitment:recruit": (_match, MANAGERS),
    "recruitment:renewal": (_match, MANAGERS),
    "recruitment:rupture": (_match, MANAGERS),
    "recruitment:withdraw": (_match, MANAGERS),
    "recruitment:decide": ({"pk": 1}, authenticated(405)),
    "recruitment:queue": ({}, only(Role.ADMINISTRATEUR)),
    "recruitment:list": ({}, only(Role.PREFET, Role.ADMINISTRATEUR)),
}
