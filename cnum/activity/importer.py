"""Bulk, idempotent and resumable import of legacy CRA files (see cnum.activity.legacy).

Each line is decoded (orjson), mapped (legacy.map_record), checked with rules.validate and
turned into a plain row in a fixed column order as soon as it is read: no model instance, no
document kept, millions of records go through. Lines are read in batches; a batch is written
with COPY on PostgreSQL (executemany elsewhere) and committed together with the job's offset, so
an interrupted import resumes after the last committed batch. `legacy_id` is unique: records
already there are skipped (one indexed query per batch). A large JSON Lines file is read by
processes of their own while this one writes (see `_read_in_processes`).
"""

import collections
import contextlib
import csv
import datetime
import functools
import gc
import hashlib
import io
import itertools
import json
import multiprocessing
import operator
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import orjson
from django.db import connection, transaction
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
# Below this size (about one batch of lines) starting reading processes costs more than it saves.
PARALLEL_FROM = 4 << 20
FORK = "fork"
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
    """Cra rows as the database takes them, in the order of `_fields()`, no model instance: on
    PostgreSQL a line of COPY text, ready to be sent as it is; elsewhere a plain list of values
    for executemany."""

    def __init__(self, now):
        fields, plain = _fields()
        sqlite = connection.vendor == "sqlite"
        if sqlite:  # what Django's SQLite backend stores for these types
            now = connection.ops.adapt_datetimefield_value(now)
        self.copy = connection.vendor == "postgresql"
        if self.copy:
            now = now.isoformat()  # once, not twice a row
        stamps = {"created_at", "updated_at"}
        self.defaults = {f.attname: now if f.attname in stamps else f.get_default() for f in fields}
        names = list(self.defaults)
        # itemgetter picks at C speed, unlike a loop of .get
        self.pick = operator.itemgetter(*names)
        self.plain, self.rest = (
            operator.itemgetter(*names[:plain]),
            operator.itemgetter(*names[plain:]),
        )
        self.json = [f.attname for f in fields if isinstance(f, JSONField)]
        self.dates = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateField"]
        self.dates = self.dates if sqlite else []

    def row(self, values):
        merged = self.defaults | values
        for name in self.json:
            value = merged[name]
            if type(value) is list and all(type(v) is str for v in value):
                merged[name] = _json_list(tuple(value))  # few distinct lists: encode each once
            elif value is not None:
                merged[name] = dumps(value)
        if self.copy:
            plain, rest = self.plain(merged), self.rest(merged)
            return f"{TAB.join(map(str, plain))}\t{TAB.join(map(copy_text, rest))}\n"
        row = list(self.pick(merged))
        for i in self.dates:
            row[i] = row[i].isoformat()
        return row


INTEGERS = {
    "AutoField", "BigAutoField", "BigIntegerField", "IntegerField", "PositiveBigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
}  # fmt: skip
TAB = "\t"


@functools.cache
def _fields():
    """The Cra fields a row fills (the primary key is left to the database) and how many come
    first that are integers which cannot be null: COPY text writes those with `str` alone, at C
    speed (a third of the columns, counts for the most part)."""
    fields = [f for f in Cra._meta.concrete_fields if not f.primary_key]
    plain = [f for f in fields if not f.null and _internal_type(f) in INTEGERS]
    return plain + [f for f in fields if f not in plain], len(plain)


def _internal_type(field):
    return (field.target_field if field.is_relation else field).get_internal_type()


def columns():
    """The Cra columns a row fills, in its order."""
    return [f.column for f in _fields()[0]]


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value):
    """A value in PostgreSQL's COPY text format: \\N for NULL, backslash escapes for the
    separators. Written here rather than by psycopg while the rows are sent, so that the reading
    processes do it (it cost 9.5 µs a row in the writer)."""
    kind = type(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(COPY_ESCAPES)
        return value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is datetime.date:
        return _iso_date(value)
    if isinstance(value, str):  # an enum member
        return copy_text(str.__str__(value))
    return value.isoformat()  # times: ISO 8601, which PostgreSQL reads


@functools.lru_cache(maxsize=8192)
def _iso_date(value):
    return value.isoformat()  # a few thousand days in a file, each written once


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
    """The legacy ids among `ids` already imported: one query on the unique index. The ids
    travel as one JSON array: psycopg adapts a list of 5,000 strings in Python (12 ms of the
    importer's processor a batch, against 1 ms for orjson). Planned on each call, as the table
    grows during an import: a plan kept from its start would scan the whole table."""
    if not ids:
        return set()
    table = connection.ops.quote_name(Cra._meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT c.legacy_id FROM jsonb_array_elements_text(%s::jsonb) AS ids(legacy_id) "  # noqa: S608
            f"JOIN {table} c ON c.legacy_id = ids.legacy_id"
        )
    else:
        sql = f"SELECT legacy_id FROM {table} WHERE legacy_id IN (SELECT value FROM json_each(%s))"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [orjson.dumps(ids).decode()])
        return {legacy_id for (legacy_id,) in cursor.fetchall()}


def insert(rows, columns):
    """COPY on PostgreSQL (rows already in its text format), executemany elsewhere."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(Cra._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                copy.write("".join(rows))
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def run_import(
    path,
    mapping_path,
    *,
    resume=False,
    batch_size=BATCH_SIZE,
    progress=None,
    directory=None,
    readers=None,
):
    """Import `path` (JSON Lines or CSV); `progress(bytes_read, size, job)` after each batch.
    `directory`: the mapping already read (load_directory), else `mapping_path` is read.
    `readers`: processes reading the lines while this one writes (see `_read_in_processes`);
    by default one per processor for a JSON Lines file of more than PARALLEL_FROM bytes."""
    fmt = "csv" if str(path).lower().endswith(".csv") else "jsonl"
    job, _ = ImportJob.objects.get_or_create(
        sha256=file_sha256(path), defaults={"file_name": os.path.basename(path)}
    )
    if not resume:
        ImportErrorRow.objects.filter(job=job).delete()
        job.offset = job.imported = job.skipped = job.errors = 0
        job.finished_at = None
        job.save()
    reader = Reader(directory or load_directory(mapping_path), timezone.localdate(), batch_size)
    size = os.path.getsize(path)
    if readers is None:
        readers = (os.cpu_count() or 1) if fmt == "jsonl" and size > PARALLEL_FROM else 0
    # An import of its own: foreign keys checked as the rows arrive rather than all at the
    # commit, which costs PostgreSQL less.
    immediate = connection.vendor == "postgresql" and not connection.in_atomic_block
    if readers and fmt == "jsonl" and FORK in multiprocessing.get_all_start_methods():
        batches = _read_in_processes(path, job.offset, reader, readers)
    else:
        batches = _read_here(path, fmt, job.offset, reader)
    with batches as read:
        for batch in read:
            _commit(job, batch, immediate=immediate)
            if progress and batch.lines == batch_size:
                progress(batch.position, size, job)
    job.finished_at = timezone.now()
    job.save(update_fields=["finished_at"])
    if progress:
        progress(size, size, job)
    return job


@dataclass
class Batch:
    records: dict = field(default_factory=dict)  # legacy id → row (the first one in the batch)
    errors: list = field(default_factory=list)  # (line, legacy id, message)
    lines: int = 0
    blank: int = 0
    last: int = 0  # number of its last line
    position: int = 0  # bytes of the file read once it is


@dataclass
class Reader:
    """What turns lines into a batch of rows and errors; shared by the reading processes."""

    directory: Directory
    today: datetime.date
    batch_size: int

    def read(self, documents):
        """The next `batch_size` (line number, document) pairs, each turned into a row or an
        error as soon as it is read (no document is kept)."""
        batch, shape = Batch(), Rows(timezone.now())
        with _no_collection():
            for number, doc in itertools.islice(documents, self.batch_size):
                batch.lines += 1
                batch.last = number
                if doc is None:
                    batch.blank += 1
                    continue
                try:
                    if isinstance(doc, legacy.LegacyError):
                        raise doc
                    values = record_values(doc, self.directory, self.today)
                except RECORD_ERRORS as exc:
                    legacy_id = legacy.oid(doc.get("_id")) if isinstance(doc, dict) else None
                    batch.errors.append((number, legacy_id or "", str(exc)))
                    continue
                if values["legacy_id"] not in batch.records:
                    batch.records[values["legacy_id"]] = shape.row(values)
        return batch


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


def _documents(lines, first):
    """(line number, document, or LegacyError, or None for a blank line) of JSON Lines."""
    for number, line in enumerate(lines, start=first):
        if number == 1:
            line = line.removeprefix(BOM)
        if not line or line.isspace():
            yield number, None
            continue
        try:
            yield number, legacy.parse_line(line)
        except legacy.LegacyError as exc:
            yield number, exc


def _csv_documents(raw, start):
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        for number, row in enumerate(csv.DictReader(text), start=1):
            if number > start:
                yield number, _safe(legacy.csv_document, row)
    finally:
        text.detach()  # the file stays open for its position (the wrapper would close it)


def _safe(parse, *args):
    try:
        return parse(*args)
    except legacy.LegacyError as exc:
        return exc


@contextlib.contextmanager
def _read_here(path, fmt, start, reader):
    """Batches read in this process, one after the other."""
    with open(path, "rb") as raw:
        if fmt == "csv":
            documents = _csv_documents(raw, start)
        else:
            documents = _documents(itertools.islice(raw, start, None), start + 1)

        def batches():
            while True:
                batch = reader.read(documents)
                batch.position = raw.tell()
                if batch.lines:
                    yield batch
                if batch.lines < reader.batch_size:
                    return

        yield batches()


_READER = None  # the reading processes' Reader, inherited when they are forked


@contextlib.contextmanager
def _read_in_processes(path, start, reader, processes):
    """Batches read by `processes` processes of their own while this one writes, given back in
    the file's order (so that the resumable offset is unchanged).

    Decoding, mapping and checking a line takes about as long as PostgreSQL takes to store it:
    in one process, the import could not go faster than that process. This process only cuts
    the file into batches of lines and writes what comes back; at most one batch per reader
    plus one waits, so memory does not grow with the file. The readers are forked: they share
    the mapping already loaded, and they never use the database (nor this process's
    connection, which they inherit)."""
    global _READER
    _READER = reader
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(FORK))
    pending = collections.deque()
    with open(path, "rb") as raw:
        raw_batches = _line_batches(raw, start, reader.batch_size)

        def submit():
            if chunk := next(raw_batches, None):
                pending.append((pool.submit(_read_lines, *chunk), raw.tell()))

        def batches():
            for _ in range(processes + 1):
                submit()
            while pending:
                future, position = pending.popleft()
                batch = future.result()
                batch.position = position
                submit()
                yield batch

        try:
            yield batches()
        finally:
            pool.shutdown(cancel_futures=True)
            _READER = None


def _line_batches(raw, start, size):
    """(number of the first line, [lines]) of `size` lines, from line `start` + 1 on."""
    first = start + 1
    lines = itertools.islice(raw, start, None)
    while chunk := list(itertools.islice(lines, size)):
        yield first, chunk
        first += len(chunk)


def _read_lines(first, lines):
    """In a reading process: the batch of these lines."""
    return _READER.read(_documents(lines, first))


def _commit(job, batch, *, immediate=False):
    """Write the batch's new records, its errors and the job's position in one transaction.
    `immediate`: foreign keys checked row by row while the rows arrive."""
    records = batch.records
    with transaction.atomic():
        if immediate:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        existing = existing_legacy_ids(list(records))
        new = [key for key in records if key not in existing]
        insert([records[key] for key in new], columns())
        if new and records_changed.has_listeners(Cra):
            records_changed.send(sender=Cra, queryset=Cra.objects.filter(legacy_id__in=new))
        ImportErrorRow.objects.bulk_create(
            [ImportErrorRow(job=job, line=n, legacy_id=i, message=m) for n, i, m in batch.errors],
            ignore_conflicts=True,
        )
        job.offset = batch.last
        job.imported += len(new)
        job.skipped += batch.lines - len(new) - len(batch.errors) - batch.blank
        job.errors += len(batch.errors)
        job.save(update_fields=["offset", "imported", "skipped", "errors"])
