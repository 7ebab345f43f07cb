"""Helpers for tests across apps: places with services and hours."""

import itertools

from cnum.places.enums import Frais, ModaliteAcces, ModaliteAccompagnement, Service
from cnum.places.models import Place
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune

_sequence = itertools.count(1)
HOURS = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"


def make_place(*, structure=None, commune="69123", offset=(0.0, 0.0), **fields):
    """A public place offering services, in `commune` (INSEE code), moved by `offset` degrees:
    unless `structure` is given, its structure is validated by the committee."""
    commune = Commune.objects.get(code_insee=commune)
    if structure is None:
        known = commune.departement_id in ("69", "75", "13", "971", "974")
        structure = make_structure(
            departement=commune.departement_id if known else "69", status=Status.VALIDATION_COSELEC
        )
    n = next(_sequence)
    values = {
        "structure": structure,
        "nom": f"Espace numérique {n}",
        "pivot": structure.siret,
        "adresse": f"{n} rue de la République",
        "commune": commune,
        "code_postal": (commune.codes_postaux or ["00000"])[0],
        "latitude": round(commune.latitude + offset[0], 6),
        "longitude": round(commune.longitude + offset[1], 6),
        "horaires": HOURS,
        "services": [Service.DEMARCHES, Service.OUTILS_QUOTIDIEN],
        "frais_a_charge": [Frais.GRATUIT],
        "modalites_acces": [ModaliteAcces.SE_PRESENTER, ModaliteAcces.TELEPHONER],
        "modalites_accompagnement": [ModaliteAccompagnement.INDIVIDUEL],
        "itinerance": ["Fixe"],
        **fields,
    }
    return Place.objects.create(**values)
