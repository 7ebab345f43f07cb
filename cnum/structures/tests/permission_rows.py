"""This app's newer rows of the permission matrix (the older ones are in
cnum.core.tests.test_permission_matrix). Coordinator posts: docs/domaine.md#coordinateurs."""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role

ROWS = {
    # Forms posted from "Ma structure", the préfet's page and the committee session: POST only.
    "structures:coordinator_request": ({"pk": 1}, authenticated(405)),
    "structures:coordinator_request_cancel": ({"pk": 1, "request_pk": 1}, authenticated(405)),
    "structures:coordinator_designate": ({"pk": 1}, authenticated(405)),
    "structures:coordinator_opinion": ({"request_pk": 1}, authenticated(405)),
    "structures:coordinator_request_decision": (
        {"session_pk": 1, "request_pk": 1},
        authenticated(405),
    ),
    "structures:designations": ({}, only(Role.ADMINISTRATEUR)),
    # A designation that does not exist: the administration gets a 404, nobody else gets in.
    "structures:designation_validate": ({"pk": 999999}, only(Role.ADMINISTRATEUR, status=404)),
    "structures:designation_refuse": ({"pk": 999999}, only(Role.ADMINISTRATEUR, status=404)),
}
