"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import authenticated, only, public
from cnum.accounts.roles import Role


def structure_kwargs():
    from cnum.structures.testing import make_structure

    return {"pk": make_structure().pk}


ROWS = {
    "profiles:account": ({}, authenticated()),
    "profiles:email_change": ({}, authenticated()),
    "profiles:email_change_sent": ({}, authenticated()),
    # A bad or expired link answers the French explanation, for anyone.
    "profiles:email_confirm": ({"token": "lien-invalide"}, public()),
    "profiles:export_json": ({}, authenticated()),
    "profiles:export_csv": ({}, authenticated()),
    # Everyone sees the page; those holding a role read why they cannot delete yet.
    "profiles:delete": ({}, authenticated()),
    "profiles:deleted": ({}, public()),
    "profiles:my_job": ({}, only(Role.CONSEILLER)),
    # Someone else's structure: a manager gets 404, never its data.
    "profiles:structure_contact": (structure_kwargs, only(Role.GESTIONNAIRE_STRUCTURE, status=404)),
    "profiles:correction_request": ({"pk": 1}, authenticated(405)),
    "profiles:corrections": ({}, only(Role.ADMINISTRATEUR)),
    "profiles:correction_decide": ({"pk": 1}, authenticated(405)),
}
