"""A small, fully known activity world for the dashboard tests: who sees which records.

Structure A (Rhône) has conseillers c1 and c2, structure B (Paris) c3, structure C
(Bouches-du-Rhône) c4. A coordinator coordinates c1 and c3. Records are in the current month;
the rollups are rebuilt from them as `manage.py rebuild_stats` does.
"""

from dataclasses import dataclass

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import make_organisation, make_user
from cnum.activity.enums import CraType, TypeLieu
from cnum.activity.testing import make_conseiller, make_cra
from cnum.places.models import PlaceConseiller
from cnum.stats.models import Coordination
from cnum.stats.rebuild import rebuild
from cnum.structures.testing import make_structure

# Accompaniments (one per person) of each conseiller in `make_world`.
ACCOMPAGNEMENTS = {"c1": 8, "c2": 1, "c3": 2, "c4": 1}


@dataclass
class World:
    structures: dict
    managers: dict
    conseillers: dict
    coordinator: object
    admin: object
    prefet_rhone: object
    prefet_region: object
    places: dict


def collective(conseiller, participants, **fields):
    return make_cra(
        conseiller,
        type=CraType.COLLECTIF,
        titre="Atelier courriel",
        niveau="debutant",
        participants_anonymes=participants,
        genre_non_communique=0,
        genre_feminin=participants,
        age_non_communique=0,
        age_soixante_dix_plus=participants,
        statut_non_communique=0,
        statut_retraite=participants,
        **fields,
    )


def main_place(conseiller):
    return PlaceConseiller.objects.get(conseiller=conseiller, is_main=True).place


def make_world():
    managers = {name: make_user() for name in "ABC"}
    structures = {
        name: make_structure(departement=dep, manager=managers[name])
        for name, dep in (("A", "69"), ("B", "75"), ("C", "13"))
    }
    conseillers = {
        "c1": make_conseiller(structure=structures["A"]),
        "c2": make_conseiller(structure=structures["A"]),
        "c3": make_conseiller(structure=structures["B"]),
        "c4": make_conseiller(structure=structures["C"]),
    }
    places = {name: main_place(user) for name, user in conseillers.items()}
    c1 = conseillers["c1"]
    for _ in range(3):
        make_cra(c1, type_lieu=TypeLieu.LIEU_ACTIVITE, place=places["c1"], duree=60)
    collective(c1, 5, type_lieu=TypeLieu.LIEU_ACTIVITE, place=places["c1"], duree=120)
    make_cra(conseillers["c2"], thematiques=["sante"])
    make_cra(conseillers["c3"], thematiques=["email", "bureautique"])
    make_cra(conseillers["c3"])
    make_cra(conseillers["c4"])
    coordinator = make_user(Role.COORDINATEUR)
    for name in ("c1", "c3"):
        Coordination.objects.create(coordinator=coordinator, conseiller=conseillers[name])
    region = make_organisation(OrganisationKind.PREFECTURE, departement=None, region="84")
    rebuild()
    return World(
        structures=structures,
        managers=managers,
        conseillers=conseillers,
        coordinator=coordinator,
        admin=make_user(Role.ADMINISTRATEUR),
        prefet_rhone=make_user(Role.PREFET),
        prefet_region=make_user(Role.PREFET, organisation=region),
        places=places,
    )
