"""Bulk, idempotent and resumable import of legacy CRA files (see cnum.activity.legacy).

Lines are read in batches; each batch is mapped, checked with rules.validate, inserted with
bulk_create and committed together with the job's offset, so an interrupted import resumes
after the last committed batch. `legacy_id` is unique: records already there are skipped.
"""

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.activity import legacy, rules
from cnum.activity.models import Cra, ImportErrorRow, ImportJob
from cnum.activity.signals import records_changed
from cnum.places.models import PlaceConseiller
from cnum.structures.models import Structure
from cnum.territories.models import Commune

BATCH_SIZE = 5000


@dataclass
class Directory:
    """Legacy ids resolved to ours, loaded once per import."""

    conseillers: dict = field(default_factory=dict)  # legacy oid → user id
    structures: dict = field(default_factory=dict)  # legacy oid → structure id
    user_structure: dict = field(default_factory=dict)  # user id → structure id
    main_place: dict = field(default_factory=dict)  # user id → place id
    communes: frozenset = frozenset()


def load_directory(mapping_path):
    """Read the mapping CSV (`legacy_id,email` rows; a 14-digit value is a structure SIRET)."""
    emails, sirets = {}, {}
    with open(mapping_path, newline="", encoding="utf-8-sig") as f:
        for row in csv.reader(f):
            if len(row) < 2 or row[0].strip().lower() in ("legacy_id", "id", "_id"):
                continue
            key, value = row[0].strip(), row[1].strip()
            (sirets if value.isdigit() and len(value) == 14 else emails)[key] = value
    users = dict(
        User.objects.filter(email__in={e.lower() for e in emails.values()}).values_list(
            "email", "pk"
        )
    )
    by_siret = dict(Structure.objects.filter(siret__in=sirets.values()).values_list("siret", "pk"))
    directory = Directory(
        conseillers={k: users[v.lower()] for k, v in emails.items() if v.lower() in users},
        structures={k: by_siret[v] for k, v in sirets.items() if v in by_siret},
        communes=frozenset(Commune.objects.values_list("code_insee", flat=True)),
    )
    ids = set(directory.conseillers.values())
    for user_id, org_id in (
        Structure.objects.filter(
            memberships__user__in=ids,
            memberships__role=Role.CONSEILLER,
            memberships__is_active=True,
        )
        .order_by("-pk")
        .values_list("memberships__user", "pk")
    ):
        directory.user_structure[user_id] = org_id
    directory.main_place = dict(
        PlaceConseiller.objects.filter(conseiller__in=ids, is_main=True).values_list(
            "conseiller", "place"
        )
    )
    return directory


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_record(doc, directory, today):
    """An unsaved Cra from a v1 document, or LegacyError with the reason."""
    values = legacy.map_record(doc)
    conseiller_oid = legacy.oid(doc.get("conseiller"))
    user_id = directory.conseillers.get(conseiller_oid)
    if user_id is None:
        raise legacy.LegacyError(
            f"conseiller inconnu (identifiant v1 {conseiller_oid}) : "
            "ajoutez-le au fichier de correspondance"
        )
    if not values["legacy_id"]:
        raise legacy.LegacyError("identifiant « _id » absent")
    insee = values.pop("commune_insee")
    values["commune_id"] = insee if insee in directory.communes else None
    if insee and values["commune_id"] is None:
        values["legacy_data"]["codeCommuneInconnu"] = insee
    place_id = None
    if values["type_lieu"] == "lieu_activite":
        place_id = directory.main_place.get(user_id)
    values["place_id"] = place_id
    errors = rules.validate(values, today=today)
    if errors:
        raise legacy.LegacyError(" ; ".join(m for messages in errors.values() for m in messages))
    structure_id = directory.structures.get(legacy.oid(doc.get("structure")))
    return Cra(
        conseiller_id=user_id,
        structure_id=structure_id or directory.user_structure.get(user_id),
        **values,
    )


def _documents(path, fmt, start):
    """(line number, document or LegacyError) from line `start` + 1 on; raw file for progress."""
    raw = open(path, "rb")  # noqa: SIM115 (closed by the caller)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

    def generate():
        if fmt == "csv":
            for number, row in enumerate(csv.DictReader(text), start=1):
                if number > start:
                    yield number, _safe(lambda row=row: legacy.parse_line(None, csv_row=row))
        else:
            for number, line in enumerate(text, start=1):
                if number > start and line.strip():
                    yield number, _safe(lambda line=line: legacy.parse_line(line))
                elif number > start:
                    yield number, None

    return raw, generate()


def _safe(parse):
    try:
        return parse()
    except legacy.LegacyError as exc:
        return exc


def run_import(path, mapping_path, *, resume=False, batch_size=BATCH_SIZE, progress=None):
    """Import `path` (JSON Lines or CSV); `progress(bytes_read, size, job)` after each batch."""
    fmt = "csv" if str(path).lower().endswith(".csv") else "jsonl"
    job, _ = ImportJob.objects.get_or_create(
        sha256=file_sha256(path), defaults={"file_name": os.path.basename(path)}
    )
    if not resume:
        ImportErrorRow.objects.filter(job=job).delete()
        job.offset = job.imported = job.skipped = job.errors = 0
        job.finished_at = None
        job.save()
    directory = load_directory(mapping_path)
    today = timezone.localdate()
    size = os.path.getsize(path)
    raw, documents = _documents(path, fmt, job.offset)
    with raw:
        batch = []
        for item in documents:
            batch.append(item)
            if len(batch) >= batch_size:
                _commit(job, batch, directory, today)
                batch = []
                if progress:
                    progress(raw.tell(), size, job)
        if batch:
            _commit(job, batch, directory, today)
    job.finished_at = timezone.now()
    job.save(update_fields=["finished_at"])
    if progress:
        progress(size, size, job)
    return job


def insert(records):
    """bulk_create, or COPY on PostgreSQL (several times faster for millions of rows)."""
    if connection.vendor != "postgresql" or not records:
        Cra.objects.bulk_create(records, batch_size=1000)
        return
    fields = [f for f in Cra._meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    stamps = {"created_at", "updated_at"}
    now = timezone.now()
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(Cra._meta.db_table)} ({columns}) FROM STDIN"
    names = [f.attname for f in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for cra in records:
            row = []
            for name in names:
                value = now if name in stamps else getattr(cra, name)
                if name in json_fields and value is not None:
                    value = json.dumps(value)
                row.append(value)
            copy.write_row(row)


def _commit(job, batch, directory, today):
    records, errors = {}, []
    for number, doc in batch:
        if doc is None:
            continue
        try:
            if isinstance(doc, legacy.LegacyError):
                raise doc
            cra = build_record(doc, directory, today)
        except (legacy.LegacyError, ValueError, TypeError, KeyError, AttributeError) as exc:
            legacy_id = legacy.oid(doc.get("_id")) if isinstance(doc, dict) else None
            errors.append(
                ImportErrorRow(job=job, line=number, legacy_id=legacy_id or "", message=str(exc))
            )
            continue
        records.setdefault(cra.legacy_id, cra)
    with transaction.atomic():
        existing = set(
            Cra.objects.filter(legacy_id__in=list(records)).values_list("legacy_id", flat=True)
        )
        new = [cra for key, cra in records.items() if key not in existing]
        insert(new)
        if new:
            records_changed.send(
                sender=Cra, queryset=Cra.objects.filter(legacy_id__in=[c.legacy_id for c in new])
            )
        ImportErrorRow.objects.bulk_create(errors, ignore_conflicts=True)
        job.offset = batch[-1][0]
        job.imported += len(new)
        job.skipped += len(batch) - len(new) - len(errors) - sum(1 for _, d in batch if d is None)
        job.errors += len(errors)
        job.save(update_fields=["offset", "imported", "skipped", "errors"])
