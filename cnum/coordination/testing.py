"""Test helpers: coordinators, conseillers in post in a given département."""

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune
from cnum.workshops.testing import make_conseiller

# A commune per département the tests use beyond cnum.structures.testing's.
COMMUNES = {"38": "38185", "01": "01053"}


def make_structure_in(departement):
    if departement in COMMUNES:
        commune = Commune.objects.get(code_insee=COMMUNES[departement])
        return make_structure(commune=commune)
    return make_structure(departement=departement)


def conseiller_in(departement, **fields):
    """A conseiller in post in a new structure of `departement`."""
    return make_conseiller(make_structure_in(departement), **fields)


def make_coordinator():
    """A coordinator whose structure is in the Rhône (69, région Auvergne-Rhône-Alpes)."""
    return make_user(Role.COORDINATEUR)
