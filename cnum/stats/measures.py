"""The activity measures kept in rollups: one integer column each, declared once here.

A measure is a count added up over records; every breakdown of a value list of the CRA model
(docs/domaine.md#cra) gets one column per value (`<prefix>_<value>`). What a unit is (a
record, a participant, a minute) is given by its group, so labels and percentages are derived
from this table alone.
"""

from dataclasses import dataclass

from cnum.activity.enums import (
    Autonomie,
    Demarche,
    Genre,
    Materiel,
    Niveau,
    Statut,
    StructureKind,
    Thematique,
    TrancheAge,
    TypeLieu,
)


class Unit:
    RECORDS = "records"  # one per CRA
    PARTICIPANTS = "participants"  # one per person accompanied (a collective CRA counts many)
    MINUTES = "minutes"


# Duration buckets of the dashboards: (code, label, lower bound included, upper bound excluded).
DUREE_BUCKETS = (
    ("moins_30", "Moins de 30 min", 0, 30),
    ("30_60", "30 à 60 min", 30, 60),
    ("60_120", "1 à 2 h", 60, 120),
    ("120_plus", "2 h et plus", 120, None),
)


@dataclass(frozen=True)
class Breakdown:
    """A distribution: one column per value; `partition` when each unit has exactly one value
    (shares then add up to 100 %), false for multi-valued lists such as thématiques."""

    prefix: str
    label: str
    unit: str
    choices: tuple  # ((value, label), …)
    partition: bool = True

    @property
    def columns(self):
        return {value: f"{self.prefix}_{value}" for value, _ in self.choices}


# Headline totals: column → (label, unit).
TOTALS = {
    "records": ("CRA enregistrés", Unit.RECORDS),
    "accompagnements": ("Accompagnements (un par participant)", Unit.PARTICIPANTS),
    "participants_anonymes": ("Participants anonymes", Unit.PARTICIPANTS),
    "participations_suivies": ("Participations de bénéficiaires suivis", Unit.PARTICIPANTS),
    "minutes": ("Temps d'accompagnement (minutes)", Unit.MINUTES),
    "legacy_records": ("CRA importés de la v1", Unit.RECORDS),
    "orientations": ("Personnes orientées", Unit.RECORDS),
    "orientations_lieu": ("Orientations vers un lieu de l'annuaire", Unit.RECORDS),
}

BREAKDOWNS = (
    Breakdown("thematique", "Thématiques", Unit.RECORDS, tuple(Thematique.choices), False),
    Breakdown("demarche", "Démarches", Unit.RECORDS, tuple(Demarche.choices), False),
    Breakdown("lieu", "Lieu d'accompagnement", Unit.RECORDS, tuple(TypeLieu.choices)),
    Breakdown("duree", "Durée", Unit.RECORDS, tuple((c, label) for c, label, *_ in DUREE_BUCKETS)),
    Breakdown("age", "Tranche d'âge", Unit.PARTICIPANTS, tuple(TrancheAge.choices)),
    Breakdown("genre", "Genre", Unit.PARTICIPANTS, tuple(Genre.choices)),
    Breakdown("statut", "Statut social", Unit.PARTICIPANTS, tuple(Statut.choices)),
    Breakdown("orientation", "Orientations par type de structure", Unit.RECORDS,
              tuple(StructureKind.choices)),
    Breakdown("materiel", "Matériel utilisé", Unit.RECORDS, tuple(Materiel.choices), False),
    Breakdown("autonomie", "Autonomie (individuel)", Unit.RECORDS, tuple(Autonomie.choices)),
    Breakdown("niveau", "Niveau des ateliers", Unit.RECORDS, tuple(Niveau.choices)),
)  # fmt: skip

MEASURE_COLUMNS = (
    *TOTALS,
    *(column for breakdown in BREAKDOWNS for column in breakdown.columns.values()),
)
