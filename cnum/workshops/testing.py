"""Test helpers: conseillers of a structure and their workshops."""

import datetime

from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.places.testing import make_place
from cnum.structures.testing import make_structure
from cnum.workshops.enums import Niveau, Thematique
from cnum.workshops.models import Registration, Workshop


def make_conseiller(structure=None, **fields):
    """A user holding an active conseiller role in `structure` (a new one in the Rhône if none)."""
    structure = structure or make_structure(departement="69")
    user = make_user(**fields)
    grants.grant(user, Role.CONSEILLER, structure)
    return user


def make_workshop(*, conseiller=None, place=None, remote=False, starts_in=None, **fields):
    """A workshop at `place` (a new place of the conseiller's structure if none), in 3 days."""
    conseiller = conseiller or make_conseiller()
    structure = conseiller.memberships.get(role=Role.CONSEILLER).organisation.structure
    if place is None and not remote:
        place = make_place(structure=structure)
    values = {
        "structure": structure,
        "conseiller": conseiller,
        "title": "Bien utiliser son smartphone",
        "thematiques": [Thematique.PRENDRE_EN_MAIN_DU_MATERIEL],
        "niveau": Niveau.DEBUTANT,
        "place": place,
        "remote": remote,
        "starts_at": timezone.now() + (starts_in or datetime.timedelta(days=3)),
        "duration": 90,
        "capacity": 10,
        **fields,
    }
    return Workshop.objects.create(**values)


def make_registration(workshop, **fields):
    values = {"name": "Dominique Petit", "email": "", "phone": "0601020304", **fields}
    return Registration.objects.create(workshop=workshop, **values)
