"""Random but valid activity for the statistics tests, written through the activity services
(so that the rollups are kept up as in production), and the rollups' comparison helpers."""

import datetime
import random
from dataclasses import dataclass, field

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.activity import services
from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    GENRE_FIELDS,
    STATUT_FIELDS,
    Autonomie,
    CraType,
    Demarche,
    Genre,
    Materiel,
    Niveau,
    Statut,
    StructureKind,
    Thematique,
    TypeLieu,
)
from cnum.activity.models import Cra
from cnum.activity.testing import make_beneficiary
from cnum.places.models import PlaceConseiller
from cnum.places.testing import make_place
from cnum.stats.contributions import Tally, load_facts
from cnum.stats.measures import MEASURE_COLUMNS
from cnum.stats.models import ActivityRollup, YearRollup
from cnum.stats.upkeep import KEY_COLUMNS, YEAR_KEY_COLUMNS, YEAR_MEASURES, year_rows
from cnum.structures.testing import make_structure

DURATIONS = (1, 15, 29, 30, 45, 59, 60, 90, 119, 120, 180, 300)
MONTHS = [datetime.date(2025, m, 1) for m in (1, 2, 3, 11, 12)] + [datetime.date(2026, 1, 1)]


@dataclass
class World:
    conseillers: list
    places: dict  # conseiller pk → their places
    beneficiaries: dict  # conseiller pk → their followed beneficiaries
    communes: tuple = ("69123", "75056", "13055", "69266")
    records: list = field(default_factory=list)


def make_world(rng, *, conseillers_per_structure=2):
    """Conseillers of structures in three départements, plus one with no structure; each with
    places and followed beneficiaries."""
    structures = [make_structure(departement=d) for d in ("69", "75", "13")]
    conseillers = [
        make_user(Role.CONSEILLER, organisation=s)
        for s in structures
        for _ in range(conseillers_per_structure)
    ]
    conseillers.append(make_user(Role.CONSEILLER, organisation=structures[0]))
    # A conseiller whose contract ended: no structure, the département comes from the place or
    # the commune of the record.
    homeless = make_user(Role.CONSEILLER, organisation=structures[1])
    homeless.memberships.update(is_active=False)
    conseillers.append(homeless)
    world = World(conseillers=conseillers, places={}, beneficiaries={})
    for n, user in enumerate(conseillers):
        structure = services.conseiller_structure(user) or structures[n % 3]
        communes = ("69123", "13055", "75056")
        world.places[user.pk] = [
            make_place(structure=structure, commune=communes[(n + k) % 3]) for k in range(2)
        ]
        for place in world.places[user.pk]:
            PlaceConseiller.objects.get_or_create(conseiller=user, place=place)
        world.beneficiaries[user.pk] = [
            make_beneficiary(
                user,
                genre=rng.choice(Genre.values),
                statut=rng.choice(Statut.values),
                annee_naissance=rng.choice([None, 1950, 1990, 2012, 2014, 2030]),
            )
            for _ in range(3)
        ]
    return world


def _anonymous_counts(rng, count):
    values = dict.fromkeys(COUNT_FIELDS, 0)
    for fields in (GENRE_FIELDS, AGE_FIELDS, STATUT_FIELDS):
        for _ in range(count):
            values[rng.choice(list(fields.values()))] += 1
    return values


def random_values(rng, world, user):
    """Model values and collective beneficiaries of a valid random record of `user`."""
    thematiques = rng.sample(Thematique.values, rng.randint(1, 3))
    demarches = []
    if rng.random() < 0.3:
        thematiques.append(Thematique.DEMARCHES)
        demarches = rng.sample(Demarche.values, rng.randint(1, 2))
    type_lieu = rng.choice(TypeLieu.values)
    month = rng.choice(MONTHS)
    values = {
        "date": month.replace(day=rng.randint(1, 28)),
        "duree": rng.choice(DURATIONS),
        "type_lieu": type_lieu,
        "place": rng.choice(world.places[user.pk]) if type_lieu == TypeLieu.LIEU_ACTIVITE else None,
        "commune_id": rng.choice(world.communes)
        if type_lieu in (TypeLieu.DOMICILE, TypeLieu.AUTRE)
        else None,
        "materiel": rng.sample(Materiel.values, rng.randint(0, 2)),
        "thematiques": sorted(set(thematiques)),
        "demarches": demarches,
        "autonomie": "",
        "oriente": False,
        "orientation_kind": "",
        "orientation_place": None,
        "beneficiary": None,
        "titre": "",
        "niveau": "",
    }
    followed = world.beneficiaries[user.pk]
    if rng.random() < 0.6:
        values["type"] = CraType.INDIVIDUEL
        values["autonomie"] = rng.choice(["", *Autonomie.values])
        if rng.random() < 0.3:
            values["oriente"] = True
            values["orientation_kind"] = rng.choice(["", *StructureKind.values])
            if rng.random() < 0.5:
                values["orientation_place"] = rng.choice(world.places[user.pk])
        if rng.random() < 0.4:
            values["beneficiary"] = rng.choice(followed)
            values.update(_anonymous_counts(rng, 0), participants_anonymes=0)
        else:
            values.update(_anonymous_counts(rng, 1), participants_anonymes=1)
        return values, []
    anonymous = rng.randint(0, 12)
    chosen = rng.sample(followed, rng.randint(0 if anonymous else 1, len(followed)))
    values.update(
        type=CraType.COLLECTIF,
        titre="Atelier",
        niveau=rng.choice(["", *Niveau.values]),
        participants_anonymes=anonymous,
        **_anonymous_counts(rng, anonymous),
    )
    return values, chosen


def create(rng, world, user):
    values, chosen = random_values(rng, world, user)
    return services.save_record(user, values, chosen)


def edit(rng, world, cra):
    values, chosen = random_values(rng, world, cra.conseiller)
    return services.save_record(cra.conseiller, values, chosen, cra=cra)


def random_operations(rng, world, count):
    """`count` random creations, edits and deletions, as a user of the app would do them."""
    for _ in range(count):
        alive = list(Cra.objects.alive().select_related("conseiller").order_by("pk"))
        roll = rng.random()
        if not alive or roll < 0.6:
            create(rng, world, rng.choice(world.conseillers))
        elif roll < 0.85:
            edit(rng, world, rng.choice(alive))
        else:
            services.soft_delete(rng.choice(alive))


def stored_rows():
    """{key: measures} of the stored rollups, rows whose measures are all zero left out."""
    rows = ActivityRollup.objects.values_list(*KEY_COLUMNS, *MEASURE_COLUMNS)
    n = len(KEY_COLUMNS)
    return {tuple(r[:n]): tuple(r[n:]) for r in rows if any(r[n:])}


def recomputed_rows():
    """{key: measures} aggregated afresh from the raw records."""
    tally = Tally()
    for facts in load_facts(Cra.objects.alive()):
        tally.add(facts)
    return {key: tuple(sums) for key, sums in tally.rows().items()}


def stored_year_rows():
    rows = YearRollup.objects.values_list(*YEAR_KEY_COLUMNS, *YEAR_MEASURES)
    return {tuple(r[:-2]): tuple(r[-2:]) for r in rows if any(r[-2:])}


def assert_rollups_match_records():
    """Monthly rows equal a fresh aggregation of the records, and yearly rows their sums."""
    expected = recomputed_rows()
    years = {k: tuple(v) for k, v in year_rows(expected).items()}
    for stored, wanted, what in (
        (stored_rows(), expected, "mensuelle"),
        (stored_year_rows(), years, "annuelle"),
    ):
        missing = {k: v for k, v in wanted.items() if stored.get(k) != v}
        extra = {k: v for k, v in stored.items() if k not in wanted}
        assert not missing and not extra, (
            f"{len(missing)} ligne(s) {what}(s) fausse(s) ou absente(s), {len(extra)} en trop : "
            f"{list(missing.items())[:2]} {list(extra.items())[:2]}"
        )
    # Every record feeds a conseiller row, so records always give yearly rows.
    assert years or not expected
    return len(expected)


def random_generator(seed):
    return random.Random(seed)
