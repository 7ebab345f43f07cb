"""Building blocks of the permission matrix: the roles and the expected statuses per role.

Each app lists its URLs in `cnum/<app>/tests/permission_rows.py` (`ROWS = {url name: (kwargs or
a callable building them, {role: status})}`); cnum.core.tests.test_every_url walks them all.
"""

from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role

ANONYMOUS = "anonyme"
ROLES = [ANONYMOUS, *Role.values]


def public(status=200):
    return dict.fromkeys(ROLES, status)


def authenticated(status=200):
    """Any logged-in user; anonymous visitors are sent to the login page."""
    return {**dict.fromkeys(ROLES, status), ANONYMOUS: 302}


def only(*roles, status=200):
    return {**dict.fromkeys(ROLES, 403), ANONYMOUS: 302, **dict.fromkeys(roles, status)}


def anonymous_only(status=200, logged_in=302):
    """Pages for visitors (login, signup): logged-in users are sent on to their space."""
    return {**dict.fromkeys(ROLES, logged_in), ANONYMOUS: status}


def by_2fa(with_2fa, without_2fa):
    """Logged-in users whose roles require 2FA answer `with_2fa`, the others `without_2fa`."""
    statuses = {role: with_2fa if role in ROLES_REQUIRING_2FA else without_2fa for role in Role}
    return {**statuses, ANONYMOUS: 302}
