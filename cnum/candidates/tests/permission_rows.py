"""Rows of the permission matrix for candidates' newer URLs (the older ones are still in
cnum/core/tests/test_permission_matrix.py)."""

from cnum.accounts.permission_matrix import public

# A survey link is public; a tampered one answers a French page with a 400.
ROWS = {
    "candidates:survey": ({"answer": "oui", "token": "lien-invalide"}, public(400)),
}
