"""Exports of a dashboard (its figures, as shown) and of the anonymised records behind it.

Both go through the shared streamed writers (cnum.exports.writers), which neutralise formulas.
The records export carries no personal data: no beneficiary (name, contact, birth year), no
notes, workshop title or other free text; a conseiller appears as a number only.
"""

from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from cnum.activity.enums import (
    AGE_FIELDS,
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
    TrancheAge,
    TypeLieu,
)
from cnum.activity.models import Cra
from cnum.exports import writers
from cnum.stats.contributions import duree_bucket
from cnum.stats.measures import DUREE_BUCKETS
from cnum.stats.queries import records_in

FIGURES_HEADER = ("Rubrique", "Libellé", "Série", "Valeur", "Unité", "Part (%)")
CHUNK = 2000


def _period(board):
    start, end = board.period
    return f"{start:%Y-%m}-{end:%Y-%m}" if start and end else "tout"


def _number(value, fmt):
    """Decimals as numbers in XLSX, with a decimal comma in CSV (French spreadsheets)."""
    if isinstance(value, Decimal):
        return float(value) if fmt == "xlsx" else str(value).replace(".", ",")
    return value


def figure_rows(board, fmt="csv"):
    """The dashboard as long rows: one value per line, what the page shows and nothing else."""
    n = lambda value: _number(value, fmt)  # noqa: E731
    yield ("Sélection", "Périmètre", "", board.title, "", "")
    for label, value in board.filters:
        yield ("Sélection", label, "", value, "", "")
    for card in board.cards:
        value = "Non disponible" if card.value is None else n(card.value)
        yield ("Indicateurs clés", card.label, "", value, card.unit, "")
    charts = [*board.charts, board.evolution, board.top_places, board.top_communes]
    for chart in filter(None, charts):
        for label, values, share, _ in chart.rows:
            for series, value in zip(chart.all_series, values, strict=True):
                name = series.name if len(chart.all_series) > 1 else ""
                yield (chart.title, label, name, value, chart.unit, n(share) if share else "")
    for comparison in board.comparisons:
        for name, _, records, accompagnements, hours, share in comparison.rows:
            yield (comparison.title, name, "CRA", records, "CRA", "")
            yield (comparison.title, name, "Accompagnements", accompagnements, "", n(share))
            yield (comparison.title, name, "Heures", n(hours), "heures", "")


def figures_response(board, fmt):
    filename = f"statistiques-indicateurs-{_period(board)}"
    rows = figure_rows(board, fmt)
    if fmt == "xlsx":
        return writers.xlsx_response(filename, "Indicateurs", FIGURES_HEADER, rows)
    return writers.csv_response(filename, FIGURES_HEADER, rows)


# --- Anonymised records ----------------------------------------------------------------------

LABELS = {
    "type": dict(CraType.choices),
    "type_lieu": dict(TypeLieu.choices),
    "materiel": dict(Materiel.choices),
    "thematiques": dict(Thematique.choices),
    "demarches": dict(Demarche.choices),
    "autonomie": dict(Autonomie.choices),
    "orientation_kind": dict(StructureKind.choices),
    "niveau": dict(Niveau.choices),
}
DUREES = {code: label for code, label, *_ in DUREE_BUCKETS}
COUNTS = (
    *((f, f"Participants anonymes – {label}") for v, label in Genre.choices
      for f in [GENRE_FIELDS[v]]),
    *((f, f"Participants anonymes – {label}") for v, label in TrancheAge.choices
      for f in [AGE_FIELDS[v]]),
    *((f, f"Participants anonymes – {label}") for v, label in Statut.choices
      for f in [STATUT_FIELDS[v]]),
)  # fmt: skip
# (column read, header); only these columns leave the database.
RECORD_COLUMNS = (
    ("pk", "Identifiant du CRA"),
    ("date", "Date"),
    ("type", "Type"),
    ("duree", "Durée (minutes)"),
    ("duree_bucket", "Tranche de durée"),
    ("type_lieu", "Type de lieu"),
    ("place__nom", "Lieu d'activité"),
    ("commune_code", "Commune (code INSEE)"),
    ("commune_nom", "Commune"),
    ("dep_code", "Département"),
    ("structure__name", "Structure"),
    ("conseiller_id", "Conseiller (numéro)"),
    ("materiel", "Matériel"),
    ("thematiques", "Thématiques"),
    ("demarches", "Démarches"),
    ("autonomie", "Autonomie"),
    ("oriente", "Orienté vers une autre structure"),
    ("orientation_kind", "Type de structure d'orientation"),
    ("niveau", "Niveau de l'atelier"),
    ("participants_anonymes", "Participants anonymes"),
    ("suivis", "Bénéficiaires suivis (nombre)"),
    *COUNTS,
    ("legacy", "Importé de la v1"),
)
RECORDS_HEADER = tuple(header for _, header in RECORD_COLUMNS)


def _records(activity):
    followed = (
        Cra.beneficiaries.through.objects.filter(cra_id=OuterRef("pk"))
        .values("cra_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        records_in(activity)
        .annotate(
            commune_code=Coalesce("commune_id", "place__commune_id"),
            commune_nom=Coalesce("commune__nom", "place__commune__nom"),
            dep_code=Coalesce(
                "structure__departement_id",
                "place__commune__departement_id",
                "commune__departement_id",
            ),
            collectifs=Coalesce(Subquery(followed, output_field=IntegerField()), Value(0)),
        )
        .order_by("date", "pk")
    )


def _row(values, activity):
    """One export row from the values of a record, or None when the filter leaves it out."""
    if activity.thematique and activity.thematique not in values["thematiques"]:
        return None
    values["duree_bucket"] = DUREES[duree_bucket(values["duree"])]
    values["suivis"] = values.pop("collectifs") + (1 if values.pop("beneficiary_id") else 0)
    values["legacy"] = values.pop("legacy_id") is not None
    for name, labels in LABELS.items():
        value = values[name]
        if isinstance(value, list):
            values[name] = " | ".join(labels.get(v, v) for v in value)
        else:
            values[name] = labels.get(value, value)
    return [values[column] for column, _ in RECORD_COLUMNS]


def record_rows(activity):
    read = [c for c, _ in RECORD_COLUMNS if c not in ("duree_bucket", "suivis", "legacy")]
    records = _records(activity).values(*read, "collectifs", "beneficiary_id", "legacy_id")
    for values in records.iterator(chunk_size=CHUNK):
        row = _row(values, activity)
        if row is not None:
            yield row


def records_response(activity, fmt):
    start, end = activity.start, activity.end
    period = f"{start:%Y-%m}-{end:%Y-%m}" if start and end else "tout"
    filename = f"statistiques-activites-anonymisees-{period}"
    rows = record_rows(activity)
    if fmt == "xlsx":
        return writers.xlsx_response(filename, "Activités", RECORDS_HEADER, rows)
    return writers.csv_response(filename, RECORDS_HEADER, rows)
