"""Open data: every place in the national standard's format (schéma des lieux de médiation
numérique), streamed as JSON or CSV so that memory stays flat whatever the number of places.

A record omits empty fields, joins lists with « | », and follows the standard's rule for a place
without service (access « Ce lieu n'accueille pas de public », no access details): the official
library then reads every record back unchanged. Commune names lose the characters the standard
refuses (the parentheses of « Château-Chinon (Ville) »).
"""

import csv
import functools
import json
import re

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from cnum.exports.writers import neutralise
from cnum.places.enums import NO_PUBLIC
from cnum.places.models import SOURCE, Place
from cnum.places.validators import is_telephone

FIELDS = (
    "id",
    "pivot",
    "nom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "typologie",
    "structure_parente",
    "date_maj",
    "source",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_acces",
    "modalites_accompagnement",
    "itinerance",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "fiche_acces_libre",
    "prise_rdv",
)
# Access details the standard drops for a place that offers no service.
_SERVICE_DETAILS = (
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "modalites_accompagnement",
    "itinerance",
)
_LISTS = (
    "courriels",
    "typologie",
    "services",
    "modalites_acces",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    *_SERVICE_DETAILS,
)
_PLAIN = (
    "pivot",
    "nom",
    "adresse",
    "complement_adresse",
    "code_postal",
    "latitude",
    "longitude",
    "telephone",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "fiche_acces_libre",
    "prise_rdv",
)
_COLUMNS = ("pk", "updated_at", "commune_id", "commune__nom", "structure__name", *_PLAIN, *_LISTS)


# What the standard's library accepts in `commune` (letters, digits, hyphens, apostrophes, spaces).
_NOT_IN_COMMUNE = re.compile(r"[^A-Za-z0-9À-ÖØ-öø-ÿœ-ŸŒ'’\s-]+")


@functools.lru_cache(maxsize=4096)
def standard_commune(name):
    """The commune's name as the standard accepts it: « Château-Chinon (Ville) » becomes
    « Château-Chinon Ville » (the INSEE code, exported alongside, still identifies it)."""
    return " ".join(_NOT_IN_COMMUNE.sub(" ", name).split())


def _joined(values):
    if isinstance(values, str):  # already joined (records() joins each distinct list once)
        return values
    return "|".join(dict.fromkeys(str(value) for value in values if str(value).strip()))


def record(values, zone=None):
    """The standard's record (a dict without empty fields) of one place's column values."""
    has_services = bool(values["services"])
    out = {
        "id": str(values["pk"]),
        "code_insee": values["commune_id"],
        "commune": standard_commune(values["commune__nom"]),
        "structure_parente": values["structure__name"],
        "date_maj": timezone.localdate(values["updated_at"], zone).isoformat(),
        "source": SOURCE,
    }
    for name in _PLAIN:
        out[name] = values[name]
    for name in _LISTS:
        if has_services or name not in _SERVICE_DETAILS:
            out[name] = _joined(values[name])
    if not has_services:
        out["modalites_acces"] = NO_PUBLIC
    return {name: out[name] for name in FIELDS if out.get(name) not in (None, "")}


def place_record(place):
    values = {name: getattr(place, name) for name in (*_PLAIN, *_LISTS)}
    values.update(
        pk=place.pk,
        updated_at=place.updated_at,
        commune_id=place.commune_id,
        commune__nom=place.commune.nom,
        structure__name=place.structure.name,
    )
    return record(values)


def records(queryset=None, chunk_size=2000):
    """Every public place's record, read in chunks (a server-side cursor on PostgreSQL).

    Places share few distinct lists (services, publics, fees…): each list column is read as
    its JSON text and each distinct text is decoded and joined once, which is most of the
    work saved on a national export."""
    queryset = Place.objects.public() if queryset is None else queryset
    texts = {f"{name}__text": Cast(name, TextField()) for name in _LISTS}
    columns = (*_COLUMNS[: -len(_LISTS)], *texts)
    rows = queryset.order_by("pk").annotate(**texts).values_list(*columns)
    joined = _JoinedLists()
    zone = timezone.get_current_timezone()
    for row in rows.iterator(chunk_size=chunk_size):
        values = dict(zip(_COLUMNS, row, strict=True))
        for name in _LISTS:
            values[name] = joined[values[name]]
        yield record(values, zone)


class _JoinedLists(dict):
    """JSON text of a list → its values joined by « | », computed on first sight."""

    def __missing__(self, text):
        self[text] = value = _joined(json.loads(text) if text else [])
        return value


# Records per piece sent: one piece per record would cost a trip through the server each.
PIECE = 500


def _pieces(lines):
    piece = []
    for line in lines:
        piece.append(line)
        if len(piece) == PIECE:
            yield "".join(piece)
            piece = []
    yield "".join(piece)


def json_chunks(queryset=None):
    """A JSON array, one record per line, produced as it is read."""
    encode = json.JSONEncoder(ensure_ascii=False).encode

    def lines():
        separator = "[\n"
        for item in records(queryset):
            yield separator + encode(item)
            separator = ",\n"
        yield "[" if separator == "[\n" else ""
        yield "\n]\n"

    yield from _pieces(lines())


class _Line:
    """A file-like object whose write returns the line: csv.writer then feeds a generator."""

    def write(self, value):
        return value


def _cell(name, value):
    """Text is neutralised against formula injection, as in every export. A valid phone number
    is kept as is: its leading « + » is the country code the standard expects, and the phone's
    pattern (digits and separators only) leaves no room for a formula."""
    if name == "telephone" and is_telephone(value):
        return value
    return neutralise(value)


def csv_chunks(queryset=None):
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(FIELDS)
    rows = (
        writer.writerow([_cell(name, item.get(name, "")) for name in FIELDS])
        for item in records(queryset)
    )
    yield from _pieces(rows)
