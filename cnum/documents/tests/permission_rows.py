"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import authenticated, public

ROWS = {
    # The check page is public; a well-formed code that matches nothing is still a 200 page.
    "documents:check": ({}, public()),
    "documents:check_code": ({"code": "AAAA-BBBB-CCCC"}, public()),
    # Revoking is a POST (national administration); a GET is refused whoever asks.
    "documents:revoke": ({"code": "AAAA-BBBB-CCCC"}, authenticated(405)),
}
