"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role


def conseiller_kwargs():
    """A conseiller in post in the Rhône, named in nobody's team: the coordinator reading the
    page is not theirs, so the page "does not exist" for them."""
    from cnum.workshops.testing import make_conseiller

    return {"pk": make_conseiller().pk}


def coordinator_kwargs():
    from cnum.accounts.testing import make_user

    return {"pk": make_user(Role.COORDINATEUR).pk}


UNKNOWN = {"pk": 999999}

ROWS = {
    "coordination:team": ({}, only(Role.COORDINATEUR)),
    "coordination:team_export": ({}, only(Role.COORDINATEUR)),
    "coordination:team_edit": ({}, only(Role.COORDINATEUR)),
    # Someone outside the coordinator's team: a 404, never their data.
    "coordination:member": (conseiller_kwargs, only(Role.COORDINATEUR, status=404)),
    "coordination:activities": ({}, only(Role.COORDINATEUR)),
    "coordination:activities_export": ({}, only(Role.COORDINATEUR)),
    "coordination:activity_create": ({}, only(Role.COORDINATEUR)),
    # Another coordinator's activity (or none): a 404.
    "coordination:activity_edit": (UNKNOWN, only(Role.COORDINATEUR, status=404)),
    "coordination:activity_delete": (UNKNOWN, only(Role.COORDINATEUR, status=404)),
    # The administration sees every coordinator and may set a coordinator's territory.
    "coordination:admin_list": ({}, only(Role.ADMINISTRATEUR)),
    "coordination:admin_team": (coordinator_kwargs, only(Role.ADMINISTRATEUR)),
}
