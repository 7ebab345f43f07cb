"""Every rule of a CRA (docs/domaine.md#cra), in one place: the entry form and the legacy
import both call `validate`, which returns French messages by field (empty: the record is
valid)."""

import datetime

from cnum.activity.enums import (
    BREAKDOWNS,
    COUNT_FIELDS,
    DUREE_MAX,
    LIEUX_WITH_COMMUNE,
    PARTICIPANTS_MAX,
    Autonomie,
    CraType,
    Demarche,
    Materiel,
    Niveau,
    StructureKind,
    Thematique,
    TypeLieu,
)

EARLIEST = datetime.date(2020, 1, 1)
# Enum `.values` is rebuilt on each access: the import checks millions of records.
ALLOWED = {
    choices: frozenset(choices.values)
    for choices in (Autonomie, Demarche, Materiel, Niveau, StructureKind, Thematique, TypeLieu)
}
INDIVIDUAL_ONLY = ("autonomie", "orientation_kind", "precision_demarche")
COUNTED = tuple(
    (tuple(breakdown.values()), label)
    for breakdown, label in zip(BREAKDOWNS, ("genre", "tranche d'âge", "statut"), strict=True)
)


class Errors(dict):
    def add(self, field, message):
        self.setdefault(field, []).append(message)


def validate(data, *, today, place_ids=None):
    """Check `data` (a dict of model field values; `beneficiary_ids` lists the followed
    participants of a collective record). `place_ids`: the places the conseiller may choose."""
    errors = Errors()
    _check_common(data, errors, today, place_ids)
    if data.get("type") == CraType.INDIVIDUEL:
        _check_individual(data, errors)
    elif data.get("type") == CraType.COLLECTIF:
        _check_collective(data, errors)
    else:
        errors.add("type", "Choisissez un accompagnement individuel ou collectif.")
    return errors


def _check_common(data, errors, today, place_ids):
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors.add("date", "Saisissez la date de l'accompagnement.")
    elif date < EARLIEST:
        errors.add("date", "La date doit être postérieure au 1er janvier 2020.")
    elif date > today:
        errors.add("date", "La date ne peut pas être dans le futur.")
    duree = data.get("duree")
    if not isinstance(duree, int) or isinstance(duree, bool) or not 0 < duree <= DUREE_MAX:
        errors.add("duree", f"La durée doit être un nombre de minutes entre 1 et {DUREE_MAX}.")
    _check_place(data, errors, place_ids)
    _check_list(data, errors, "materiel", Materiel)
    if Materiel.AUCUN in (data.get("materiel") or []) and len(data["materiel"]) > 1:
        errors.add("materiel", "« Aucun » ne se combine pas avec un matériel.")
    if not data.get("thematiques"):
        errors.add("thematiques", "Choisissez au moins une thématique.")
    _check_list(data, errors, "thematiques", Thematique)
    _check_list(data, errors, "demarches", Demarche)
    if data.get("demarches") and Thematique.DEMARCHES not in (data.get("thematiques") or []):
        errors.add(
            "demarches",
            "Les démarches ne se précisent qu'avec la thématique « Aide aux démarches "
            "administratives ».",
        )


def _check_place(data, errors, place_ids):
    type_lieu = data.get("type_lieu")
    if type_lieu not in ALLOWED[TypeLieu]:
        errors.add("type_lieu", "Choisissez où a eu lieu l'accompagnement.")
        return
    place_id = data.get("place_id")
    if type_lieu == TypeLieu.LIEU_ACTIVITE:
        if place_id is None and not data.get("legacy_id"):
            errors.add("place", "Choisissez votre lieu d'activité.")
        elif place_id is not None and place_ids is not None and place_id not in place_ids:
            errors.add("place", "Ce lieu ne fait pas partie de vos lieux d'activité.")
    elif place_id is not None:
        errors.add("place", "Un lieu d'activité ne se choisit qu'avec « Lieu d'activité ».")
    if type_lieu in LIEUX_WITH_COMMUNE and not data.get("commune_id"):
        errors.add("commune", "Indiquez la commune pour un accompagnement à domicile ou ailleurs.")


def _check_list(data, errors, field, choices):
    values = data.get(field) or []
    if not isinstance(values, list) or not ALLOWED[choices].issuperset(values):
        errors.add(field, "Une des valeurs choisies n'existe pas.")
    elif len(set(values)) != len(values):
        errors.add(field, "Une valeur est choisie deux fois.")


def _check_individual(data, errors):
    if data.get("titre") or data.get("niveau"):
        errors.add("titre", "Le titre et le niveau ne concernent que les ateliers collectifs.")
    if data.get("beneficiary_ids"):
        errors.add("beneficiaries", "Un accompagnement individuel concerne une seule personne.")
    anonymous = data.get("participants_anonymes", 0)
    if data.get("beneficiary_id") is not None:
        if anonymous or any(data.get(f) for f in COUNT_FIELDS):
            errors.add("beneficiary", "Un bénéficiaire suivi n'est pas compté comme anonyme.")
    elif anonymous != 1:
        errors.add("participants_anonymes", "Un accompagnement individuel concerne une personne.")
    else:
        _check_counts(data, errors)
    if data.get("autonomie") and data["autonomie"] not in ALLOWED[Autonomie]:
        errors.add("autonomie", "Choisissez un niveau d'autonomie de la liste.")
    kind = data.get("orientation_kind")
    if data.get("oriente"):
        if kind not in ALLOWED[StructureKind]:
            errors.add("orientation_kind", "Précisez vers quel type de structure.")
    elif kind or data.get("orientation_place_id"):
        errors.add("orientation_kind", "Indiquez d'abord que la personne a été orientée.")


def _check_collective(data, errors):
    if not (data.get("titre") or "").strip():
        errors.add("titre", "Donnez un titre à l'atelier.")
    if data.get("niveau") and data["niveau"] not in ALLOWED[Niveau]:
        errors.add("niveau", "Choisissez un niveau de la liste.")
    if data.get("beneficiary_id") is not None or data.get("oriente"):
        errors.add("beneficiary", "Ces informations ne concernent que l'accompagnement individuel.")
    if any(data.get(f) for f in INDIVIDUAL_ONLY) or data.get("orientation_place_id"):
        errors.add("autonomie", "Ces informations ne concernent que l'accompagnement individuel.")
    anonymous = data.get("participants_anonymes", 0)
    total = (anonymous if isinstance(anonymous, int) else 0) + len(data.get("beneficiary_ids", ()))
    if not isinstance(anonymous, int) or anonymous < 0:
        errors.add("participants_anonymes", "Le nombre de participants est un entier positif.")
    elif not 1 <= total <= PARTICIPANTS_MAX:
        errors.add(
            "participants_anonymes",
            f"Un atelier compte entre 1 et {PARTICIPANTS_MAX} participants.",
        )
    else:
        _check_counts(data, errors)


def _check_counts(data, errors):
    anonymous = data.get("participants_anonymes", 0)
    for fields, label in COUNTED:
        counts = [data.get(f, 0) for f in fields]
        # Plain ints (the usual case) are checked at C speed; anything else one by one.
        if set(map(type, counts)) == {int}:
            valid = min(counts) >= 0
        else:
            valid = all(isinstance(c, int) and c >= 0 for c in counts)
        if not valid:
            errors.add("participants_anonymes", f"Les nombres par {label} sont des entiers ≥ 0.")
        elif sum(counts) != anonymous:
            errors.add(
                "participants_anonymes",
                f"La répartition par {label} ({sum(counts)}) doit égaler le nombre de "
                f"participants anonymes ({anonymous}).",
            )
