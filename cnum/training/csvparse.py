"""Parsing of the training CSV files (dates and certification results), database-free.

Columns (header required, « ; » or « , » separated, UTF-8 or Windows-1252):
email ; siret ; date_debut ; date_fin ; certification ; resultat ; date_certification
Only email and siret are required on every line; empty cells leave the stored value alone.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cnum.structures.siret import is_valid_siret, normalise_siret
from cnum.training.enums import EARLIEST_TRAINING_END, CertificationResult, CertificationType

COLUMNS = (
    "email",
    "siret",
    "date_debut",
    "date_fin",
    "certification",
    "resultat",
    "date_certification",
)
REQUIRED_COLUMNS = ("email", "siret")
MAX_LINES = 50_000
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
RESULTS = {
    "admis": CertificationResult.ADMIS,
    "ajourne": CertificationResult.AJOURNE,
    "en attente": CertificationResult.EN_ATTENTE,
    "en_attente": CertificationResult.EN_ATTENTE,
}


@dataclass(frozen=True)
class Line:
    number: int
    email: str
    siret: str
    started_on: datetime.date | None = None
    ended_on: datetime.date | None = None
    certification_type: str = ""
    result: str = ""
    certified_on: datetime.date | None = None


@dataclass(frozen=True)
class LineError:
    number: int
    message: str


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _key(text):
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _date(value, column, errors):
    value = value.strip()
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(f"{column} « {value} » n'est pas une date au format JJ/MM/AAAA")
    return None


def _check_dates(started, ended, certified, today, errors):
    if ended and ended < EARLIEST_TRAINING_END:
        errors.append("date_fin ne peut pas précéder le 17/11/2020")
    if ended and not started:
        errors.append("date_fin sans date_debut")
    if started and ended and ended < started:
        errors.append("date_fin précède date_debut")
    if certified and started and certified < started:
        errors.append("date_certification précède date_debut")
    named = (("date_debut", started), ("date_fin", ended), ("date_certification", certified))
    for column, value in named:
        if value and value > today:
            errors.append(f"{column} est dans le futur")


def _certification(kind, result, certified, errors):
    kind, result_key = kind.strip().upper(), _key(result)
    if kind and kind not in CertificationType.values:
        errors.append(f"certification « {kind} » inconnue (CCP1 ou PIX)")
    if result_key and result_key not in RESULTS:
        errors.append(f"resultat « {result.strip()} » inconnu (admis, ajourne ou en_attente)")
    outcome = RESULTS.get(result_key, "")
    if bool(kind) != bool(result_key):
        errors.append("certification et resultat vont ensemble")
    if outcome in (CertificationResult.ADMIS, CertificationResult.AJOURNE) and not certified:
        errors.append("date_certification manquante pour un résultat admis ou ajourné")
    if certified and not kind:
        errors.append("date_certification sans certification")
    return kind, outcome


def parse_row(number, row, today):
    """A Line, or a LineError listing every problem of the row."""
    errors = []
    cell = {column: (row.get(column) or "").strip() for column in COLUMNS}
    email = cell["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"email « {cell['email']} » invalide" if email else "email manquant")
    siret = normalise_siret(cell["siret"])
    if not is_valid_siret(siret):
        errors.append(f"siret « {cell['siret']} » invalide" if siret else "siret manquant")
    started = _date(cell["date_debut"], "date_debut", errors)
    ended = _date(cell["date_fin"], "date_fin", errors)
    certified = _date(cell["date_certification"], "date_certification", errors)
    kind, outcome = _certification(cell["certification"], cell["resultat"], certified, errors)
    _check_dates(started, ended, certified, today, errors)
    if errors:
        return LineError(number, " ; ".join(errors) + ".")
    return Line(number, email, siret, started, ended, kind, outcome, certified)


def _dialect(text):
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


def parse(text, today):
    """([Line], [LineError]) of a whole file; line numbers are those of the file (header = 1)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [LineError(1, "Le fichier est vide.")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    try:
        header = [_key(name) for name in next(reader)]
    except csv.Error:
        return [], [LineError(1, "La ligne d'en-tête est illisible.")]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [
            LineError(1, f"Colonnes obligatoires absentes de l'en-tête : {', '.join(missing)}.")
        ]
    lines, errors, seen = [], [], {}
    number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append(LineError(reader.line_num, "Ligne illisible (guillemets mal fermés)."))
            break
        number = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(lines) + len(errors) >= MAX_LINES:
            errors.append(LineError(number, f"Plus de {MAX_LINES} lignes : découpez le fichier."))
            break
        parsed = parse_row(number, dict(zip(header, values, strict=False)), today)
        if isinstance(parsed, Line) and parsed.email in seen:
            parsed = LineError(number, f"{parsed.email} figure déjà ligne {seen[parsed.email]}.")
        if isinstance(parsed, Line):
            seen[parsed.email] = number
            lines.append(parsed)
        else:
            errors.append(parsed)
    return lines, errors
