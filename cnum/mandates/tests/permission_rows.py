"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The older Aidants Connect rows are still listed in the core matrix itself."""

from cnum.accounts.permission_matrix import authenticated, only, public
from cnum.accounts.roles import Role

# Who may see the aidant training sessions: the administration, training organisations, and
# structure managers (a plain aidant registers nobody).
TRAINING = (Role.ADMINISTRATEUR, Role.ORGANISME_FORMATION, Role.GESTIONNAIRE_STRUCTURE)

ROWS = {
    "mandates:structure_switch": ({}, authenticated(405)),
    "mandates:franceconnect_start": ({}, authenticated(405)),
    # An aidant without a fresh second factor is first sent to re-verify it.
    "mandates:franceconnect_callback": ({}, only(Role.AIDANT, status=302)),
    # Without a pending end of session, the aidant is sent back to the mandates.
    "mandates:franceconnect_logout": ({}, only(Role.AIDANT, status=302)),
    "mandates:training_sessions": ({}, only(*TRAINING)),
    # Someone else's (or no) session or registration: a 404, never its data.
    "mandates:training_session": ({"pk": 999999}, authenticated(404)),
    "mandates:training_register": ({"pk": 999999}, authenticated(405)),
    "mandates:training_attendance": ({"pk": 999999}, authenticated(405)),
    "mandates:training_attestation": ({"pk": 999999}, authenticated(404)),
    # The usager's space lives outside staff accounts: anyone reaches its sign-in page; its
    # other pages send whoever is not a signed-in usager back there.
    "usager_space:home": ({}, public()),
    "usager_space:sign_in": ({}, public(405)),
    "usager_space:callback": ({}, public(302)),
    "usager_space:sign_out": ({}, public(405)),
    "usager_space:mandate_revoke": ({"pk": 999999}, public(302)),
    "usager_space:authorisation_revoke": ({"pk": 999999}, public(302)),
}
