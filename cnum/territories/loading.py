"""Load the territories reference file (régions, départements, communes, postal codes).

The file is built by scripts/territories/build.py. Loading is idempotent: the file's SHA-256 is
stored in ReferenceDataset and an unchanged file is skipped; a changed one is merged (rows
created, updated, and deleted when they left the file and nothing references them).
"""

import gzip
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from cnum.territories.models import (
    CodePostal,
    Commune,
    CommuneSearchKey,
    CoordinatePrecision,
    Departement,
    FormerCommune,
    ReferenceDataset,
    Region,
)
from cnum.territories.services import name_variants

DATASET_NAME = "territoires"
DEFAULT_DATA_FILE = Path(__file__).resolve().parent / "data" / "territoires.json.gz"
BATCH_SIZE = 2000
LOCK_ID = 0x7E7217  # PostgreSQL advisory lock held while loading

COMMUNE_FIELDS = [
    "nom",
    "type",
    "departement_id",
    "region_id",
    "parent_id",
    "codes_postaux",
    "population",
    "latitude",
    "longitude",
    "precision",
    "nom_recherche",
]


class DataFileError(Exception):
    """The data file is missing or does not follow the expected schema."""


@dataclass
class LoadReport:
    up_to_date: bool
    checksum: str
    counts: dict = field(default_factory=dict)  # rows in the file, by kind
    changes: dict = field(default_factory=dict)  # kind -> (created, updated)
    deleted: int = 0
    kept: list = field(default_factory=list)  # codes that left the file but are still referenced
    seconds: float = 0.0


def file_checksum(raw):
    return hashlib.sha256(raw).hexdigest()


def read_data_file(path):
    """Raw bytes of the data file."""
    path = Path(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"Fichier de données illisible : {path} ({exc.strerror}).") from exc


def parse_data_file(raw):
    """Content of a .json or .json.gz data file."""
    try:
        return json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, EOFError, ValueError) as exc:
        raise DataFileError(f"Fichier de données invalide ({exc}).") from exc


def _rows(data):
    """Validated model rows from the file content, keyed by primary key."""
    try:
        regions = {r["code"]: {"nom": r["nom"]} for r in data["regions"]}
        departements = {
            d["code"]: {"nom": d["nom"], "region_id": d["region"]} for d in data["departements"]
        }
        communes = {}
        postal_codes = set()
        precisions = set(CoordinatePrecision.values)
        types = set(Commune.Type.values)
        for c in data["communes"]:
            code = c["code"]
            if c["type"] not in types or c["precision"] not in precisions:
                raise DataFileError(f"Commune {code} : type ou précision inconnus.")
            if c["departement"] not in departements:
                raise DataFileError(f"Commune {code} : département {c['departement']} inconnu.")
            codes_postaux = sorted(set(c["codes_postaux"]))
            communes[code] = {
                "nom": c["nom"],
                "type": c["type"],
                "departement_id": c["departement"],
                "region_id": c["region"],
                "parent_id": c["parent"],
                "codes_postaux": codes_postaux,
                "population": int(c["population"] or 0),
                "latitude": float(c["lat"]),
                "longitude": float(c["lon"]),
                "precision": c["precision"],
                "nom_recherche": name_variants(c["nom"])[0],
            }
            postal_codes.update((cp, code) for cp in codes_postaux)
        kinds = set(FormerCommune.Kind.values)
        formers = {}
        # Optional: files built before former communes were added still load.
        for nom, code, current, kind in data.get("anciennes_communes", []):
            if kind not in kinds or current not in communes:
                raise DataFileError(f"Ancienne commune {code} : type ou commune actuelle inconnus.")
            formers[code] = {"nom": nom, "kind": kind, "commune_id": current}
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"Fichier de données non conforme : {exc!r}.") from exc
    for code, row in communes.items():
        if row["parent_id"] and row["parent_id"] not in communes:
            raise DataFileError(f"Commune {code} : commune parente {row['parent_id']} absente.")
    return regions, departements, communes, postal_codes, formers


def search_keys(nom):
    """(key, whole name?) for each suffix of the name's search forms starting at a word:
    « saint etienne », « etienne »; « l hay les roses » and « lhay les roses »."""
    keys = {}
    for variant in name_variants(nom):
        starts = [0] + [i + 1 for i, char in enumerate(variant) if char == " "]
        for i in starts:
            keys[variant[i:]] = keys.get(variant[i:], False) or i == 0
    return list(keys.items())


def _key_rows(communes, codes, formers):
    """Search key rows of the communes `codes`, then of every former commune."""
    rows = [
        (key, code, None, whole, communes[code]["population"])
        for code in codes
        for key, whole in search_keys(communes[code]["nom"])
    ]
    rows += [
        (key, row["commune_id"], code, whole, communes[row["commune_id"]]["population"])
        for code, row in formers.items()
        for key, whole in search_keys(row["nom"])
    ]
    return rows


def _write(model, fields, rows, *, upsert):
    """INSERT (or upsert on the primary key) `rows`, tuples of `fields` values.

    Plain SQL because the ORM's bulk_create spends most of its time building model instances
    (and Django's client-side binding on PostgreSQL re-parses huge statements): COPY on
    PostgreSQL, executemany on SQLite, both several times faster. ON CONFLICT … DO UPDATE has
    the same syntax on SQLite (3.24+) and PostgreSQL.
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [meta.get_field(name).column for name in fields]
    column_list = ", ".join(map(quote, columns))
    conflict = ""
    if upsert:
        conflict = " ON CONFLICT ({}) DO UPDATE SET {}".format(
            quote(meta.pk.column),
            ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != meta.pk.column),
        )
    # JSON values are written as JSON text, which both engines cast to their JSON type.
    is_json = [meta.get_field(name).get_internal_type() == "JSONField" for name in fields]
    rows = [
        tuple(
            json.dumps(value) if as_json else value
            for as_json, value in zip(is_json, row, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            target = table
            if upsert:
                target = quote(f"tmp_{meta.db_table}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {target} (LIKE {table} INCLUDING DEFAULTS) "
                    "ON COMMIT DROP"
                )
            with cursor.cursor.copy(f"COPY {target} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if upsert:
                cursor.execute(
                    f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {target}"  # noqa: S608
                    f"{conflict}"
                )
                cursor.execute(f"DROP TABLE {target}")
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders}){conflict}"  # noqa: S608
            cursor.executemany(sql, rows)


def _upsert(model, rows, fields):
    """Create missing rows and update changed ones.

    Returns (created count, updated count, changed pks, pks no longer in the file).
    """
    existing = {row[0]: row[1:] for row in model.objects.values_list("pk", *fields)}
    changed = [pk for pk, row in rows.items() if existing.get(pk) != tuple(row[f] for f in fields)]
    pk_name = model._meta.pk.attname
    _write(
        model,
        [pk_name, *fields],
        [(pk, *(rows[pk][f] for f in fields)) for pk in changed],
        upsert=bool(existing),
    )
    created = sum(1 for pk in changed if pk not in existing)
    stale = [pk for pk in existing if pk not in rows]
    return created, len(changed) - created, changed, stale


def _try_delete(model, pks):
    try:
        with transaction.atomic():
            model.objects.filter(pk__in=pks).delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        return False
    return True


def _delete_unreferenced(model, pks):
    """Delete rows that left the file, keeping (and returning) those still referenced.

    By chunks, one by one only within a chunk that holds a referenced row; repeated while it
    makes progress, since a parent commune can go once its arrondissements went.
    """
    kept = list(pks)
    while kept:
        remaining = []
        for start in range(0, len(kept), 500):
            chunk = kept[start : start + 500]
            if not _try_delete(model, chunk):
                remaining += [pk for pk in chunk if not _try_delete(model, [pk])]
        if len(remaining) == len(kept):
            break
        kept = remaining
    return kept


def _refresh_statistics():
    """Fresh planner statistics, or the first searches after a load may ignore the indexes.

    On PostgreSQL, VACUUM also marks the pages all-visible so that the covering search index
    serves index-only scans (3× faster on short prefixes); it cannot run inside a transaction.
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in (Commune, CodePostal, CommuneSearchKey):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")


def load_territories(path=None, *, force=False):
    """Load the data file into the database unless this exact file is already loaded."""
    started = time.perf_counter()
    raw = read_data_file(path or DEFAULT_DATA_FILE)
    checksum = file_checksum(raw)
    current = ReferenceDataset.objects.filter(name=DATASET_NAME).first()
    if current and current.checksum == checksum and not force:
        return LoadReport(up_to_date=True, checksum=checksum, counts=current.summary)

    data = parse_data_file(raw)
    if not isinstance(data, dict):
        raise DataFileError("Fichier de données non conforme : objet JSON attendu.")
    regions, departements, communes, postal_codes, formers = _rows(data)
    report = LoadReport(up_to_date=False, checksum=checksum)
    with transaction.atomic():
        # Two loads at once (two instances deploying) run one after the other: the second
        # then finds the file loaded. SQLite's IMMEDIATE transactions already serialise writers.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        current = ReferenceDataset.objects.filter(name=DATASET_NAME).first()
        if current and current.checksum == checksum and not force:
            return LoadReport(up_to_date=True, checksum=checksum, counts=current.summary)
        changes = report.changes
        created, updated, _, stale_regions = _upsert(Region, regions, ["nom"])
        changes["régions"] = (created, updated)
        created, updated, _, stale_departements = _upsert(
            Departement, departements, ["nom", "region_id"]
        )
        changes["départements"] = (created, updated)
        # Foreign keys (parent commune) are checked at commit on both engines: order is free.
        created, updated, changed, stale_communes = _upsert(Commune, communes, COMMUNE_FIELDS)
        changes["communes"] = (created, updated)

        # Search keys follow the name and population: rebuilt for the communes that changed.
        # Communes that left the file lose theirs at once: even if still referenced (and so
        # kept below), they must not be offered any more. Former communes' keys (a few
        # thousand) are all rebuilt whenever the file changed.
        created, updated, _, stale_formers = _upsert(
            FormerCommune, formers, ["nom", "kind", "commune_id"]
        )
        changes["anciennes communes"] = (created, updated)
        CommuneSearchKey.objects.filter(former__isnull=False).delete()
        FormerCommune.objects.filter(pk__in=stale_formers).delete()
        if len(changed) < len(communes):
            outdated = changed + stale_communes
            for start in range(0, len(outdated), BATCH_SIZE):
                batch = outdated[start : start + BATCH_SIZE]
                CommuneSearchKey.objects.filter(commune_id__in=batch).delete()
        else:
            CommuneSearchKey.objects.all().delete()
        _write(
            CommuneSearchKey,
            ["key", "commune_id", "former_id", "whole_name", "population"],
            _key_rows(communes, changed, formers),
            upsert=False,
        )

        existing_pairs = {
            (code, commune_id): pk
            for pk, code, commune_id in CodePostal.objects.values_list("pk", "code", "commune_id")
        }
        removed = [pk for pair, pk in existing_pairs.items() if pair not in postal_codes]
        for start in range(0, len(removed), BATCH_SIZE):
            CodePostal.objects.filter(pk__in=removed[start : start + BATCH_SIZE]).delete()
        added = sorted(postal_codes - existing_pairs.keys())
        _write(CodePostal, ["code", "commune_id"], added, upsert=False)
        changes["codes postaux"] = (len(added), len(removed))

        report.kept += _delete_unreferenced(Commune, stale_communes)
        report.kept += _delete_unreferenced(Departement, stale_departements)
        report.kept += _delete_unreferenced(Region, stale_regions)
        stale = len(stale_communes) + len(stale_departements) + len(stale_regions)
        report.deleted = stale - len(report.kept)

        report.counts = {
            "régions": len(regions),
            "départements": len(departements),
            "communes": len(communes),
            "codes postaux": len(postal_codes),
            "anciennes communes": len(formers),
        }
        ReferenceDataset.objects.update_or_create(
            name=DATASET_NAME,
            defaults={
                "checksum": checksum,
                "loaded_at": timezone.now(),
                "summary": {**report.counts, "source": data.get("source", {})},
            },
        )
    _refresh_statistics()
    report.seconds = time.perf_counter() - started
    return report
