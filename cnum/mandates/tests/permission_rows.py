"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The older Aidants Connect rows are still listed in the core matrix itself."""

from cnum.accounts.permission_matrix import authenticated, only
from cnum.accounts.roles import Role

ROWS = {
    "mandates:structure_switch": ({}, authenticated(405)),
    "mandates:franceconnect_start": ({}, authenticated(405)),
    # An aidant without a fresh second factor is first sent to re-verify it.
    "mandates:franceconnect_callback": ({}, only(Role.AIDANT, status=302)),
    # Without a pending end of session, the aidant is sent back to the mandates.
    "mandates:franceconnect_logout": ({}, only(Role.AIDANT, status=302)),
}
