"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only
from cnum.accounts.roles import Role

ROWS = {
    "exports:index": ({}, only(Role.ADMINISTRATEUR, Role.PREFET)),
    # Streamed CSV of the user's own scope (empty for a fresh préfet).
    "exports:download": ({"slug": "structures"}, only(Role.ADMINISTRATEUR, Role.PREFET)),
}
