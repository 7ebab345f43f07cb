"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix).

The older account rows are still listed in the core matrix itself."""

from cnum.accounts.permission_matrix import authenticated, only, public
from cnum.accounts.roles import Role


def account_kwargs():
    from cnum.accounts.testing import make_user

    return {"pk": make_user(Role.CONSEILLER).pk}


def prefet_membership_kwargs():
    from cnum.accounts.testing import make_user

    return {"pk": make_user(Role.PREFET).memberships.get().pk}


ADMIN = Role.ADMINISTRATEUR

ROWS = {
    "accounts:admin_accounts": ({}, only(ADMIN)),
    "accounts:admin_invite": ({}, only(ADMIN)),
    "accounts:admin_account": (account_kwargs, only(ADMIN)),
    "accounts:admin_grant": (account_kwargs, only(ADMIN)),
    "accounts:admin_resend": (account_kwargs, only(ADMIN, status=405)),
    # GET: the confirmation page, with its required reason.
    "accounts:admin_deactivate": (account_kwargs, only(ADMIN)),
    "accounts:admin_reactivate": (account_kwargs, only(ADMIN, status=405)),
    "accounts:admin_scope": (prefet_membership_kwargs, only(ADMIN)),
    "accounts:admin_revoke": (prefet_membership_kwargs, only(ADMIN)),
    # The administration, or a structure's référent aidant for its aidants (not this account).
    "accounts:second_factor_reset": (account_kwargs, only(ADMIN)),
    # Start and end of an impersonation are POST only.
    "accounts:impersonation_start": ({}, authenticated(405)),
    "accounts:impersonation_end": ({}, authenticated(405)),
    # ProConnect is not configured in the tests' settings: not offered (404).
    "accounts:proconnect_start": ({}, public(404)),
    "accounts:proconnect_callback": ({}, public(404)),
    "accounts:proconnect_link": ({}, public(404)),
}
