"""Helpers for tests across apps: structures in a given state, valid SIRETs."""

import datetime
import itertools

from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.structures.enums import StructureType
from cnum.structures.models import Structure
from cnum.territories.models import Commune

_sequence = itertools.count(1)
# A commune per département used in tests (INSEE codes).
COMMUNES = {"69": "69123", "75": "75056", "13": "13055", "971": "97105", "974": "97411"}


def luhn_complete(prefix13):
    """The 14-digit SIRET whose last digit makes `prefix13` pass the Luhn check."""
    from cnum.structures.siret import luhn_valid

    return next(prefix13 + str(d) for d in range(10) if luhn_valid(prefix13 + str(d)))


def make_siret():
    return luhn_complete(f"{next(_sequence) + 400000000:09d}0001")


def make_structure(*, departement="69", manager=None, confirmed=True, **fields):
    commune = Commune.objects.get(code_insee=COMMUNES[departement])
    n = next(_sequence)
    values = {
        "name": f"Structure {n}",
        "type": StructureType.COMMUNE,
        "siret": make_siret(),
        "address": "1 place de la Mairie",
        "commune": commune,
        "contact_first_name": "Alex",
        "contact_last_name": "Durand",
        "contact_role": "Directeur",
        "contact_email": f"contact{n}@structure.fr",
        "contact_phone": "0102030405",
        "posts_wanted": 2,
        "mission_start": timezone.localdate() + datetime.timedelta(days=30),
        "motivation": "Accompagner les habitants.",
        "commitments_accepted": True,
        "confirmed_at": timezone.now() if confirmed else None,
        **fields,
    }
    structure = Structure.objects.create(**values)
    if manager is not None:
        grants.grant(manager, Role.GESTIONNAIRE_STRUCTURE, structure)
    return structure
