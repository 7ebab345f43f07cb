"""This app's rows of the permission matrix (see cnum.core.tests.test_permission_matrix)."""

from cnum.accounts.permission_matrix import only, public
from cnum.accounts.roles import Role


def workshop_kwargs():
    from cnum.workshops.testing import make_workshop

    return {"pk": make_workshop().pk}


ROWS = {
    "workshops:list": ({}, public()),
    "workshops:detail": (workshop_kwargs, public()),
    # An unknown confirmation or cancellation link: a page that says so, for everyone (a GET
    # never confirms nor cancels: both are POSTs from the page).
    "workshops:registration": ({"token": "lien-invalide"}, public(404)),
    # A fresh conseiller has no submitted structure: pages that say so.
    "workshops:mine": ({}, only(Role.CONSEILLER)),
    "workshops:create": ({}, only(Role.CONSEILLER)),
    # Read only, for the managers of a structure (a page that says so when they have none).
    "workshops:structure": ({}, only(Role.GESTIONNAIRE_STRUCTURE)),
    # Another structure's workshop: conseillers get a 404, never its data.
    "workshops:manage": (workshop_kwargs, only(Role.CONSEILLER, status=404)),
    "workshops:edit": (workshop_kwargs, only(Role.CONSEILLER, status=404)),
    "workshops:cancel": (workshop_kwargs, only(Role.CONSEILLER, status=404)),
}
