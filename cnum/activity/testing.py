"""Helpers for tests across apps: a conseiller with a main place, and their records."""

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.activity import services
from cnum.activity.enums import AGE_FIELDS, GENRE_FIELDS, STATUT_FIELDS, CraType, TypeLieu
from cnum.activity.models import Beneficiary, Cra
from cnum.places.models import PlaceConseiller
from cnum.places.testing import make_place
from cnum.structures.testing import make_structure


def make_conseiller(*, structure=None, email=None):
    """A conseiller of `structure` (a new one if none) working at a main place."""
    structure = structure or make_structure()
    user = make_user(Role.CONSEILLER, organisation=structure, email=email)
    place = make_place(structure=structure)
    PlaceConseiller.objects.create(conseiller=user, place=place, is_main=True)
    return user


def individual_values(**fields):
    """Model values of a valid anonymous individual record (no place: at a distance)."""
    return {
        "type": CraType.INDIVIDUEL,
        "date": services.today(),
        "duree": 30,
        "type_lieu": TypeLieu.A_DISTANCE,
        "thematiques": ["email"],
        "participants_anonymes": 1,
        GENRE_FIELDS["non_communique"]: 1,
        AGE_FIELDS["non_communique"]: 1,
        STATUT_FIELDS["non_communique"]: 1,
        **fields,
    }


def make_cra(conseiller, **fields):
    structure = services.conseiller_structure(conseiller)
    return Cra.objects.create(
        conseiller=conseiller, structure=structure, **individual_values(**fields)
    )


def make_beneficiary(conseiller, **fields):
    values = {"prenom": "Alix", "nom": "Bernard", "consentement": True, **fields}
    return Beneficiary.objects.create(conseiller=conseiller, **values)
