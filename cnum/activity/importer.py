"""Bulk, idempotent and resumable import of legacy CRA files (see cnum.activity.legacy).

Each line is decoded (orjson), mapped (legacy.map_record), checked with rules.validate and
turned into a plain row in a fixed column order as soon as it is read: no model instance, no
document kept, millions of records go through. Lines are read in batches; a batch is written
with COPY on PostgreSQL (executemany elsewhere) and committed together with the job's offset, so
an interrupted import resumes after the last committed batch. `legacy_id` is unique: records
already there are skipped (one indexed query per batch). On PostgreSQL, outside a transaction,
a writer thread commits each batch while the next one is read (see `_batch_writer`).
"""

import contextlib
import csv
import functools
import gc
import hashlib
import io
import itertools
import json
import operator
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import orjson
from django.db import connection, connections, transaction
from django.db.models import JSONField
from django.utils import timezone

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.activity import legacy, rules
from cnum.activity.enums import TypeLieu
from cnum.activity.models import Cra, ImportErrorRow, ImportJob
from cnum.activity.signals import records_changed
from cnum.places.models import PlaceConseiller
from cnum.structures.models import Structure
from cnum.territories.models import Commune

BATCH_SIZE = 5000
BOM = b"\xef\xbb\xbf"
AMBIGUOUS = object()  # several of the conseiller's places share a pivot
RECORD_ERRORS = (legacy.LegacyError, ValueError, TypeError, KeyError, AttributeError)


@dataclass
class Directory:
    """Legacy ids resolved to ours, loaded once per import."""

    conseillers: dict = field(default_factory=dict)  # legacy oid → user id
    structures: dict = field(default_factory=dict)  # legacy oid → structure id
    user_structure: dict = field(default_factory=dict)  # user id → structure id
    main_place: dict = field(default_factory=dict)  # user id → place id
    by_pivot: dict = field(default_factory=dict)  # (user id, pivot) → place id or AMBIGUOUS
    by_name: dict = field(default_factory=dict)  # (user id, name, INSEE code) → place id
    communes: frozenset = frozenset()
    refused: dict = field(default_factory=dict)  # legacy oid → why its mapping line is refused

    def place_for(self, user_id, permanence):
        """The conseiller's place a v1 permanence designates (rule in legacy's table)."""
        if permanence is not None:
            if permanence.pivot:
                found = self.by_pivot.get((user_id, permanence.pivot))
                if found is not None and found is not AMBIGUOUS:
                    return found
            if permanence.name and permanence.insee:
                found = self.by_name.get((user_id, permanence.name, permanence.insee))
                if found is not None:
                    return found
        return self.main_place.get(user_id)


def load_directory(mapping_path):
    """Read the mapping CSV (`legacy_id,email` rows; a 14-digit value is a structure SIRET).

    Each e-mail line is checked once here: a line naming no account, or an account that never
    was a conseiller, is refused (its reason goes to every record of that legacy id)."""
    emails, sirets = {}, {}
    with open(mapping_path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        for row in reader:
            if len(row) < 2 or row[0].strip().lower() in ("legacy_id", "id", "_id"):
                continue
            key, value = row[0].strip(), row[1].strip()
            if value.isdigit() and len(value) == 14:
                sirets[key] = value
            else:
                emails[key] = (value, reader.line_num)
    users = dict(
        User.objects.filter(email__in={e.lower() for e, _ in emails.values()}).values_list(
            "email", "pk"
        )
    )
    by_siret = dict(Structure.objects.filter(siret__in=sirets.values()).values_list("siret", "pk"))
    directory = Directory(
        structures={k: by_siret[v] for k, v in sirets.items() if v in by_siret},
        communes=frozenset(Commune.objects.values_list("code_insee", flat=True)),
    )
    _map_conseillers(directory, emails, users)
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
    _load_places(directory, ids)
    return directory


def _map_conseillers(directory, emails, users):
    """Legacy oid → user id for the accounts holding (or having held: the records are
    history) the conseiller role; every other line refused with its reason."""
    conseillers = set(
        Membership.objects.filter(user__in=users.values(), role=Role.CONSEILLER).values_list(
            "user", flat=True
        )
    )
    for key, (email, line) in emails.items():
        where = f"ligne {line} du fichier de correspondance"
        user_id = users.get(email.lower())
        if user_id is None:
            directory.refused[key] = (
                f"aucun compte n'a l'e-mail « {email} » ({where}) : corrigez l'e-mail ou créez "
                "le compte du conseiller"
            )
        elif user_id not in conseillers:
            directory.refused[key] = (
                f"le compte « {email} » n'est pas un conseiller numérique ({where}) : "
                "indiquez l'e-mail du compte conseiller"
            )
        else:
            directory.conseillers[key] = user_id


def _load_places(directory, ids):
    links = (
        PlaceConseiller.objects.filter(conseiller__in=ids)
        .order_by("place")
        .values_list("conseiller", "place", "is_main", "place__pivot", "place__nom",
                     "place__commune")
    )  # fmt: skip
    for user_id, place_id, is_main, pivot, name, insee in links:
        if is_main:
            directory.main_place[user_id] = place_id
        key = (user_id, pivot)
        directory.by_pivot[key] = AMBIGUOUS if key in directory.by_pivot else place_id
        directory.by_name.setdefault((user_id, legacy.normalise_name(name), insee), place_id)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_values(doc, directory, today):
    """The field values of the Cra a v1 document becomes, or LegacyError with the reason.

    The record's own content is checked first (invalid whoever its conseiller is), then the
    mapping: a record is reported once, with its first defect."""
    values = legacy.map_record(doc)
    if not values["legacy_id"]:
        raise legacy.LegacyError("identifiant « _id » absent")
    insee = values.pop("commune_insee")
    values["commune_id"] = insee if insee in directory.communes else None
    if insee and values["commune_id"] is None:
        values["legacy_data"]["codeCommuneInconnu"] = insee
    values["place_id"] = None  # legacy records may lack a place: it never makes them invalid
    errors = rules.validate(values, today=today)
    if errors:
        raise legacy.LegacyError(" ; ".join(m for messages in errors.values() for m in messages))
    user_id = _conseiller(doc, directory)
    if values["type_lieu"] == TypeLieu.LIEU_ACTIVITE:
        values["place_id"] = directory.place_for(user_id, legacy.permanence(doc))
    structure_id = directory.structures.get(legacy.oid(doc.get("structure")))
    values["conseiller_id"] = user_id
    values["structure_id"] = structure_id or directory.user_structure.get(user_id)
    return values


def _conseiller(doc, directory):
    conseiller_oid = legacy.oid(doc.get("conseiller"))
    user_id = directory.conseillers.get(conseiller_oid)
    if user_id is None:
        if conseiller_oid in directory.refused:
            raise legacy.LegacyError(
                f"conseiller {conseiller_oid} : {directory.refused[conseiller_oid]}"
            )
        raise legacy.LegacyError(
            f"conseiller inconnu (identifiant v1 {conseiller_oid}) : "
            "ajoutez-le au fichier de correspondance"
        )
    return user_id


class Rows:
    """Cra rows as the database takes them, columns in the model's order (the primary key
    left to the database): a plain list of values per record, no model instance."""

    def __init__(self, now):
        fields = [f for f in Cra._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in fields]
        sqlite = connection.vendor == "sqlite"
        if sqlite:  # what Django's SQLite backend stores for these types
            now = connection.ops.adapt_datetimefield_value(now)
        stamps = {"created_at", "updated_at"}
        self.defaults = {f.attname: now if f.attname in stamps else f.get_default() for f in fields}
        self.pick = operator.itemgetter(*self.defaults)  # at C speed, unlike a loop of .get
        self.json = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
        self.dates = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
        self.dates = self.dates if sqlite else []

    def row(self, values):
        row = list(self.pick(self.defaults | values))
        for i in self.json:
            value = row[i]
            if type(value) is list and all(type(v) is str for v in value):
                row[i] = _json_list(tuple(value))  # few distinct lists: encode each once
            elif value is not None:
                row[i] = dumps(value)
        for i in self.dates:
            row[i] = row[i].isoformat()
        return row


def dumps(value):
    """JSON text of a value kept in a JSONField: orjson (about ten times faster than json.dumps,
    and encoding the kept v1 fields is a good part of a row's cost). Compact, UTF-8 rather than
    escapes: the same value once read back. What orjson refuses (integers beyond 64 bits, which
    only json reads) goes through json."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


@functools.lru_cache(maxsize=4096)
def _json_list(values):
    return dumps(list(values))


def existing_legacy_ids(ids):
    """The legacy ids among `ids` already imported: one query on the unique index."""
    if not ids:
        return set()
    table = connection.ops.quote_name(Cra._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT legacy_id FROM {table} WHERE legacy_id = ANY(%s)", [ids])  # noqa: S608
        else:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"SELECT legacy_id FROM {table} WHERE legacy_id IN ({marks})", ids)  # noqa: S608
        return {legacy_id for (legacy_id,) in cursor.fetchall()}


def insert(rows, columns):
    """COPY on PostgreSQL (several times faster for millions of rows), executemany elsewhere."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(Cra._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _documents(path, fmt, start):
    """(line number, document or LegacyError) from line `start` + 1 on; raw file for progress."""
    raw = open(path, "rb")  # noqa: SIM115 (closed by the caller)

    def generate():
        if fmt == "csv":
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            for number, row in enumerate(csv.DictReader(text), start=1):
                if number > start:
                    yield number, _safe(lambda row=row: legacy.parse_line(None, csv_row=row))
            return
        for number, line in enumerate(raw, start=1):
            if number <= start:
                continue
            if number == 1:
                line = line.removeprefix(BOM)
            if line.strip():
                yield number, _safe(lambda line=line: legacy.parse_line(line))
            else:
                yield number, None

    return raw, generate()


def _safe(parse):
    try:
        return parse()
    except legacy.LegacyError as exc:
        return exc


def run_import(
    path, mapping_path, *, resume=False, batch_size=BATCH_SIZE, progress=None, directory=None
):
    """Import `path` (JSON Lines or CSV); `progress(bytes_read, size, job)` after each batch.
    `directory`: the mapping already read (load_directory), else `mapping_path` is read."""
    fmt = "csv" if str(path).lower().endswith(".csv") else "jsonl"
    job, _ = ImportJob.objects.get_or_create(
        sha256=file_sha256(path), defaults={"file_name": os.path.basename(path)}
    )
    if not resume:
        ImportErrorRow.objects.filter(job=job).delete()
        job.offset = job.imported = job.skipped = job.errors = 0
        job.finished_at = None
        job.save()
    directory = directory or load_directory(mapping_path)
    today = timezone.localdate()
    size = os.path.getsize(path)
    raw, documents = _documents(path, fmt, job.offset)
    with raw, _batch_writer() as write:
        full = True
        while full:
            with _no_collection():
                batch = _read_batch(job, documents, batch_size, directory, today)
            full = batch.lines == batch_size
            if batch.lines:
                # After a full batch only (as the last one, the file may be closed by then).
                after = progress and full and functools.partial(progress, raw.tell(), size, job)
                write(job, batch, after)
    job.finished_at = timezone.now()
    job.save(update_fields=["finished_at"])
    if progress:
        progress(size, size, job)
    return job


@contextlib.contextmanager
def _no_collection():
    """No cyclic garbage collection while a batch is read: its thousands of documents and rows
    (acyclic, freed by reference counting) would otherwise be scanned again and again, which
    cost as much as reading them. Collection runs as usual while the batch is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Batch:
    shape: Rows
    records: dict = field(default_factory=dict)  # legacy id → row (the first one in the batch)
    errors: list = field(default_factory=list)
    lines: int = 0
    blank: int = 0
    last: int = 0  # number of its last line


def _read_batch(job, documents, batch_size, directory, today):
    """The next `batch_size` lines, each turned into a row or an error as soon as it is read
    (no document is kept)."""
    batch = Batch(Rows(timezone.now()))
    records, row = batch.records, batch.shape.row
    for number, doc in itertools.islice(documents, batch_size):
        batch.lines += 1
        batch.last = number
        if doc is None:
            batch.blank += 1
            continue
        try:
            if isinstance(doc, legacy.LegacyError):
                raise doc
            values = record_values(doc, directory, today)
        except RECORD_ERRORS as exc:
            legacy_id = legacy.oid(doc.get("_id")) if isinstance(doc, dict) else None
            batch.errors.append(
                ImportErrorRow(job=job, line=number, legacy_id=legacy_id or "", message=str(exc))
            )
            continue
        if values["legacy_id"] not in records:
            records[values["legacy_id"]] = row(values)
    return batch


@contextlib.contextmanager
def _batch_writer():
    """`write(job, batch, after)`: commit the batch, then call `after()` (if any).

    On PostgreSQL outside a transaction, batches are committed by a thread of their own with
    its own connection, one at a time and in order, while the next batch is read: the database
    writes (indexes, foreign key checks, rollups) then overlap the reading instead of adding up
    with it. `after` runs in the calling thread once its batch is committed, before the next
    one is handed over, so it sees the job as committed. Inside a transaction (tests, callers
    that hold one) or on SQLite, each batch is committed where it is read."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:

        def write(job, batch, after):
            _commit(job, batch)
            if after:
                after()

        yield write
        return
    pending = []  # (future, after) of the batch being committed
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")

    def wait(run_after=True):
        if pending:
            future, after = pending.pop()
            future.result()  # its error, if any, stops the import here
            if after and run_after:
                after()

    def write(job, batch, after):
        wait()
        pending.append((pool.submit(_commit, job, batch, immediate=True), after))

    try:
        yield write
        wait()
    finally:
        wait(run_after=False)  # a batch being committed when the reading failed ends first
        pool.submit(connections.close_all).result()  # the thread's own connection
        pool.shutdown()


def _commit(job, batch, *, immediate=False):
    """Write the batch's new records, its errors and the job's position in one transaction.
    `immediate` (a transaction of the importer's own): foreign keys checked row by row while
    the rows arrive rather than all at the commit, which costs the database less."""
    records = batch.records
    with transaction.atomic():
        if immediate:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        existing = existing_legacy_ids(list(records))
        new = [key for key in records if key not in existing]
        insert([records[key] for key in new], batch.shape.columns)
        if new and records_changed.has_listeners(Cra):
            records_changed.send(sender=Cra, queryset=Cra.objects.filter(legacy_id__in=new))
        ImportErrorRow.objects.bulk_create(batch.errors, ignore_conflicts=True)
        job.offset = batch.last
        job.imported += len(new)
        job.skipped += batch.lines - len(new) - len(batch.errors) - batch.blank
        job.errors += len(batch.errors)
        job.save(update_fields=["offset", "imported", "skipped", "errors"])
