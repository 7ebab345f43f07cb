"""Benchmark of the activity statistics at national scale: rollups against live aggregation.

    uv run python bench/stats.py                          # SQLite: var/bench-stats.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/stats.py
    uv run python bench/stats.py --records 1000000 --reuse   # keep the data if it is there

Uses its own database (var/bench-stats.sqlite3, or cnum_statsbench next to DATABASE_URL's
PostgreSQL), migrated and loaded with the territories if needed. Unless `--reuse` finds exactly
`--records` records, it is refilled: structures from bench/scale.py (real communes weighted by
population, so big départements have more), conseillers with skewed team sizes and activity,
their places, then the records in bulk (COPY on PostgreSQL, executemany in large transactions
on SQLite; benchmark data, never the services): three quarters individual, collective ones with
2 to 15 anonymous participants and breakdowns that add up, 1 to 3 thématiques, démarches only
with « aide aux démarches administratives », orientations, a fifth legacy (v1) records over the
first months. Then the rollups are rebuilt from the records (`cnum.stats.rebuild.rebuild`).

Measures, in the same run:
- every dashboard (national, one région, one département, the biggest structure, one of its
  conseillers; without a period and over three months): `activity_figures` (rollups), p50/p95
  after a warm-up, against `live_activity_figures` (the same figures from the raw records), as a
  ratio; both results are compared;
- CRA write throughput through `cnum.activity.services.save_record`, with the statistics
  receivers connected and disconnected (the records written are removed afterwards);
- database and table sizes, rollup rows, peak resident memory of this process (ru_maxrss).
"""

import argparse
import datetime
import itertools
import json
import os
import random
import resource
import sys
import time
import weakref
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402 — the national-scale structures generator
from territories import percentile  # noqa: E402

DATABASE = "cnum_statsbench"
SQLITE_FILE = "bench-stats.sqlite3"
BENCH_DOMAIN = "banc-stats.exemple.fr"
FIRST_MONTH = datetime.date(2022, 12, 1)
MONTHS = 48  # December 2022 to November 2026
LAST_DAY = datetime.date(2026, 11, 25)
LEGACY_END = datetime.date(2023, 9, 20)  # records before it come from the v1 (≈ a fifth)
PERIOD = (datetime.date(2026, 6, 1), datetime.date(2026, 8, 1))  # three months, inclusive
TEMPLATES = 4_000  # distinct record contents drawn from (per kind: current, legacy)
CHUNK = 50_000


# --- Database ------------------------------------------------------------------------------------


def bench_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path=f"/{DATABASE}"))
    (ROOT / "var").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'var' / SQLITE_FILE}"


def setup_django(url):
    if url.startswith("postgres"):
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
            if not db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
            ).fetchone():
                db.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"  # no query log
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from cnum.territories.loading import load_territories

    call_command("migrate", verbosity=0, interactive=False)
    load_territories()


def drop_sqlite_file(url):
    """A refill on SQLite starts from a new file: deleting 10 M rows costs more than migrating."""
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --- People, structures, places ------------------------------------------------------------------


def clear():
    """Remove a previous fill (records, rollups, conseillers, places, structures)."""
    from django.db import connection, transaction

    from cnum.accounts.models import Membership, User
    from cnum.activity.models import Cra
    from cnum.places.models import Place, PlaceConseiller
    from cnum.stats.models import ActivityRollup

    users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (Cra, ActivityRollup):
                table = connection.ops.quote_name(model._meta.db_table)
                if connection.vendor == "postgresql":
                    cursor.execute(f"TRUNCATE {table} CASCADE")
                else:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608 — table name, not input
        PlaceConseiller.objects.filter(conseiller__in=users).delete()
        Place.objects.filter(nom__startswith="Banc stats ").delete()
        Membership.objects.filter(user__in=users).delete()
        users.delete()
    scale.clear()


def team_sizes(structures, conseillers, rng):
    """Conseillers per structure: one each for the first ones, the rest to few big structures."""
    sizes = [1 if i < conseillers else 0 for i in range(structures)]
    # Heavy-tailed, capped: the biggest teams count a few dozen conseillers, not hundreds.
    weights = [min(rng.paretovariate(1.1), 400) for _ in range(structures)]
    for index in rng.choices(
        range(structures), weights=weights, k=max(conseillers - structures, 0)
    ):
        sizes[index] += 1
    return sizes


def communes_by_departement():
    from cnum.territories.models import Commune

    by_dep = {}
    rows = Commune.objects.filter(type=Commune.Type.COMMUNE).values_list(
        "code_insee", "departement_id", "population", "latitude", "longitude", "codes_postaux"
    )
    for code, dep, population, lat, lon, postal in rows:
        by_dep.setdefault(dep, []).append((code, max(population, 1), lat, lon, postal))
    return {
        dep: (communes, list(itertools.accumulate(c[1] for c in communes)))
        for dep, communes in by_dep.items()
    }


def people(structures, conseillers, places, rng):
    """Structures (bench/scale.py), conseillers with their membership, places and links.
    Returns [(user id, structure id, département, [place ids], [commune codes], [cumulated
    weights of these communes])]."""
    from django.db import transaction
    from django.utils import timezone

    from cnum.accounts.models import Membership, User
    from cnum.accounts.roles import Role
    from cnum.places.models import Place, PlaceConseiller
    from cnum.structures.models import Structure

    started = time.perf_counter()
    scale.generate(
        candidates=0, structures=structures, posts=conseillers, seed=rng.randrange(2**32)
    )
    print(f"  {structures} structures (bench/scale.py) : {time.perf_counter() - started:.1f} s")
    now = timezone.now()
    by_dep = communes_by_departement()
    rows = list(
        Structure.objects.filter(name__startswith=scale.STRUCTURE_NAME)
        .order_by("pk")
        .values_list("pk", "departement_id", "siret")
    )
    sizes = team_sizes(len(rows), conseillers, rng)
    extra_places = max(places - conseillers, 0) / max(conseillers, 1)  # second places
    result = []
    with transaction.atomic():
        User.objects.bulk_create(
            User(
                email=f"conseiller{n}@{BENCH_DOMAIN}",
                first_name=rng.choice(scale.FIRST_NAMES),
                last_name=rng.choice(scale.LAST_NAMES),
                password="!",  # nobody logs in with bench accounts
                email_confirmed_at=now,
            )
            for n in range(conseillers)
        )
        user_ids = iter(
            User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        memberships, new_places, links = [], [], []
        for (pk, dep, siret), size in zip(rows, sizes, strict=True):
            communes, cumulated = by_dep[dep]
            for _ in range(size):
                user_id = next(user_ids)
                memberships.append(
                    Membership(user_id=user_id, role=Role.CONSEILLER, organisation_id=pk)
                )
                count = 1 + int(rng.random() < extra_places)
                drawn = rng.choices(communes, cum_weights=cumulated, k=count)
                for k, (code, _, lat, lon, postal) in enumerate(drawn):
                    new_places.append(
                        Place(
                            structure_id=pk,
                            nom=f"Banc stats {user_id}-{k}",
                            pivot=siret,
                            adresse="1 place de la Mairie",
                            commune_id=code,
                            code_postal=(postal or ["00000"])[0],
                            latitude=lat,
                            longitude=lon,
                        )
                    )
                    links.append((user_id, k == 0))
                # Where they go for home visits and other places: a few communes around.
                extra = rng.choices(communes, cum_weights=cumulated, k=rng.randint(0, 5))
                homes = list(dict.fromkeys(c[0] for c in drawn + extra))
                weights = list(itertools.accumulate(3 if i == 0 else 1 for i in range(len(homes))))
                result.append((user_id, pk, dep, [], homes, weights))
        Membership.objects.bulk_create(memberships, batch_size=5000)
        Place.objects.bulk_create(new_places, batch_size=5000)
        PlaceConseiller.objects.bulk_create(
            (
                PlaceConseiller(conseiller_id=user_id, place_id=place.pk, is_main=main)
                for (user_id, main), place in zip(links, new_places, strict=True)
            ),
            batch_size=5000,
        )
    places_of = {}
    for (user_id, _), place in zip(links, new_places, strict=True):
        places_of.setdefault(user_id, []).append(place.pk)
    for entry in result:
        entry[3].extend(places_of[entry[0]])
    print(
        f"  {conseillers} conseillers, {len(new_places)} lieux ; plus grande équipe : "
        f"{max(sizes)} conseillers ({time.perf_counter() - started:.1f} s)"
    )
    return result


# --- Record contents -----------------------------------------------------------------------------


def _partition(rng, total, columns):
    """`total` participants spread over `columns` (a few values get most of them)."""
    counts = dict.fromkeys(columns, 0)
    favourites = rng.sample(columns, min(len(columns), rng.randint(1, 3)))
    for _ in range(total):
        column = rng.choice(favourites) if rng.random() < 0.85 else rng.choice(columns)
        counts[column] += 1
    return counts


def _thematiques(rng):
    from cnum.activity.enums import Thematique

    values = list(Thematique.values)
    weights = [3 if v == Thematique.DEMARCHES else 1 for v in values]
    chosen = []
    while len(chosen) < rng.choices((1, 2, 3), weights=(50, 35, 15))[0]:
        value = rng.choices(values, weights=weights)[0]
        if value not in chosen:
            chosen.append(value)
    return chosen


def current_content(rng):
    """Field values of one record entered in the current application (anonymous participants)."""
    from cnum.activity.enums import (
        AGE_FIELDS,
        COUNT_FIELDS,
        GENRE_FIELDS,
        STATUT_FIELDS,
        Autonomie,
        CraType,
        Demarche,
        Materiel,
        Niveau,
        StructureKind,
        Thematique,
        TypeLieu,
    )

    individual = rng.random() < 0.75
    values = dict.fromkeys(COUNT_FIELDS, 0)
    values.update(
        type=CraType.INDIVIDUEL.value if individual else CraType.COLLECTIF.value,
        notes="",
        thematiques=_thematiques(rng),
        autonomie="",
        oriente=False,
        orientation_kind="",
        precision_demarche="",
        titre="",
        niveau="",
        legacy_data=None,
    )
    materiel = [m for m in Materiel.values if m != Materiel.AUCUN]
    values["materiel"] = (
        [Materiel.AUCUN.value] if rng.random() < 0.1 else rng.sample(materiel, rng.randint(1, 2))
    )
    values["demarches"] = (
        rng.sample(list(Demarche.values), rng.randint(1, 2))
        if Thematique.DEMARCHES in values["thematiques"] and rng.random() < 0.8
        else []
    )
    if individual:
        total = 1
        values["duree"] = rng.choices((15, 30, 45, 60, 90, 120), weights=(15, 35, 15, 25, 7, 3))[0]
        values["type_lieu"] = rng.choices(list(TypeLieu.values), weights=(70, 8, 12, 10))[0]
        values["autonomie"] = rng.choice(list(Autonomie.values))
        if rng.random() < 0.15:
            values["oriente"] = True
            values["orientation_kind"] = rng.choice(list(StructureKind.values))
    else:
        total = rng.randint(2, 15)
        values["duree"] = rng.choices((60, 90, 120, 180), weights=(30, 30, 30, 10))[0]
        values["type_lieu"] = rng.choices(
            [TypeLieu.LIEU_ACTIVITE.value, TypeLieu.AUTRE.value], weights=(80, 20)
        )[0]
        values["titre"] = rng.choice(
            ("Découvrir sa messagerie", "Smartphone", "Démarches en ligne")
        )
        values["niveau"] = rng.choice(list(Niveau.values))
    values["participants_anonymes"] = total
    for fields in (GENRE_FIELDS, AGE_FIELDS, STATUT_FIELDS):
        values.update(_partition(rng, total, list(fields.values())))
    return values


def legacy_content(rng):
    """Field values of one record imported from the v1 (the importer's shape, cnum.activity.legacy:
    no gender, no equipment, no démarches, place not in the directory)."""
    from cnum.activity.enums import AGE_FIELDS, GENRE_FIELDS, STATUT_FIELDS, Genre

    values = current_content(rng)
    total = values["participants_anonymes"]
    values.update(
        materiel=[],
        demarches=[],
        autonomie="",
        niveau="",
        titre="Atelier collectif" if values["type"] == "collectif" else "",
        legacy_data={"canal": "rattachement", "activite": values["type"]},
    )
    values.update(dict.fromkeys(GENRE_FIELDS.values(), 0))
    values[GENRE_FIELDS[Genre.NON_COMMUNIQUE]] = total
    for fields in (AGE_FIELDS, STATUT_FIELDS):
        values.update(_partition(rng, total, list(fields.values())))
    return values


def check_content(values, legacy):
    """The contents drawn pass the rules of the entry form and the import (cnum.activity.rules)."""
    from cnum.activity import rules

    data = dict(
        values, place_id=1 if values["type_lieu"] == "lieu_activite" and not legacy else None
    )
    data.update(commune_id="75056", date=FIRST_MONTH, legacy_id="x" if legacy else None)
    errors = rules.validate(data, today=LAST_DAY)
    if errors:
        raise AssertionError(f"contenu de CRA invalide : {dict(errors)} — {values}")


# --- Records -------------------------------------------------------------------------------------

# Columns that vary per record, first in every row; the others come from a content template.
VARYING = (
    "conseiller_id", "structure_id", "date", "created_at", "updated_at", "place_id", "commune_id",
    "orientation_place_id", "legacy_id",
)  # fmt: skip


def template_columns():
    from cnum.activity.models import Cra

    fields = [f for f in Cra._meta.concrete_fields if not f.primary_key]
    fixed = [f for f in fields if f.attname not in VARYING]
    by_name = {f.attname: f.column for f in fields}
    return [by_name[name] for name in VARYING], fixed


def rendered(values, fixed, vendor):
    """A template as the end of a COPY text line (PostgreSQL) or a parameter tuple (SQLite)."""
    out = []
    for field in fixed:
        value = values.get(field.attname, field.get_default())
        if field.get_internal_type() == "JSONField":
            value = None if value is None else json.dumps(value)
        if vendor == "postgresql":
            if value is None:
                out.append("\\N")
            elif isinstance(value, bool):
                out.append("t" if value else "f")
            else:
                out.append(str(value))
        else:
            out.append(int(value) if isinstance(value, bool) else value)
    return "\t".join(out) + "\n" if vendor == "postgresql" else tuple(out)


def templates(rng, vendor, fixed):
    """(current, legacy) pools: [(needs place, needs commune, oriented, rendered)]."""
    pools = []
    for make, legacy in ((current_content, False), (legacy_content, True)):
        pool = []
        for _ in range(TEMPLATES):
            values = make(rng)
            check_content(values, legacy)
            needs_place = values["type_lieu"] == "lieu_activite" and not legacy
            needs_commune = legacy or values["type_lieu"] in ("domicile", "autre")
            oriented = values["oriente"] and not legacy
            pool.append((needs_place, needs_commune, oriented, rendered(values, fixed, vendor)))
        pools.append(pool)
    return pools


def monthly_counts(total, conseillers, rng):
    """Records per conseiller and month (numpy multinomials): activity skewed across conseillers
    (log-normal), some of them arriving later, fewer records in August and December."""
    import numpy as np

    generator = np.random.default_rng(rng.randrange(2**32))
    weights = generator.lognormal(0, 0.5, conseillers)
    per_conseiller = generator.multinomial(total, weights / weights.sum())
    season = np.array([0.5 if m.month == 8 else 0.8 if m.month == 12 else 1.0 for m in months()])
    counts = np.zeros((conseillers, MONTHS), dtype=np.int64)
    for index, k in enumerate(per_conseiller):
        start = 0 if generator.random() < 0.75 else int(generator.integers(0, MONTHS - 6))
        shape = season.copy()
        shape[:start] = 0
        counts[index] = generator.multinomial(k, shape / shape.sum())
    return counts


def months():
    return [
        datetime.date(FIRST_MONTH.year + (FIRST_MONTH.month - 1 + i) // 12,
                      (FIRST_MONTH.month - 1 + i) % 12 + 1, 1)
        for i in range(MONTHS)
    ]  # fmt: skip


class Cells:
    """The varying cells of a row, pre-rendered: COPY text pieces (each ending with a tab) on
    PostgreSQL, values on SQLite."""

    def __init__(self, vendor):
        self.text = vendor == "postgresql"
        self.null = "\\N\t" if self.text else None

    def cell(self, value):
        return f"{value}\t" if self.text else value

    def days(self, first, last):
        """[(is legacy, date + created_at + updated_at cells)] of the days first..last."""
        result = []
        for n in range((last - first).days + 1):
            day = first + datetime.timedelta(days=n)
            stamp = f"{day.isoformat()} 12:00:00" + ("+00" if self.text else "")
            cells = (day.isoformat(), stamp, stamp)
            result.append(
                (day < LEGACY_END, "".join(map(self.cell, cells)) if self.text else cells)
            )
        return result


def record_batches(conseillers, counts, pools, all_places, rng, vendor):
    """Batches of rows, month after month (as they were entered: conseillers interleaved)."""
    current, legacy = pools
    cells = Cells(vendor)
    null, text = cells.null, cells.text
    all_places = [cells.cell(p) for p in all_places]
    people = [
        (cells.cell(user_id) + cells.cell(structure_id) if text else (user_id, structure_id),
         [cells.cell(p) for p in places], [cells.cell(c) for c in communes], cumulated)
        for user_id, structure_id, _, places, communes, cumulated in conseillers
    ]  # fmt: skip
    serial, batch = 0, []
    random_ = rng.random
    for m, first in enumerate(months()):
        days = cells.days(first, min(LAST_DAY, next_month(first) - datetime.timedelta(days=1)))
        for index, (who, places, communes, cumulated) in enumerate(people):
            count = int(counts[index, m])
            if not count:
                continue
            homes = rng.choices(communes, cum_weights=cumulated, k=count)
            for home in homes:
                is_legacy, when = days[int(random_() * len(days))]
                pool = legacy if is_legacy else current
                needs_place, needs_commune, oriented, content = pool[int(random_() * len(pool))]
                place = places[int(random_() * len(places))] if needs_place else null
                commune = home if needs_commune else null
                oriented_to = (
                    all_places[int(random_() * len(all_places))]
                    if oriented and random_() < 0.3
                    else null
                )
                if is_legacy:
                    serial += 1
                    legacy_id = cells.cell(f"{serial:024x}")
                else:
                    legacy_id = null
                if text:
                    # Every varying cell ends with its tab; the content ends the line.
                    batch.append(who + when + place + commune + oriented_to + legacy_id + content)
                else:
                    batch.append((*who, *when, place, commune, oriented_to, legacy_id, *content))
                if len(batch) >= CHUNK:
                    yield batch
                    batch = []
    if batch:
        yield batch


def next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def insert_records(conseillers, total, rng):
    from django.db import connection, transaction

    from cnum.activity.models import Cra

    varying, fixed = template_columns()
    pools = templates(rng, connection.vendor, fixed)
    counts = monthly_counts(total, len(conseillers), rng)
    all_places = [p for entry in conseillers for p in entry[3]]
    columns = [*varying, *(f.column for f in fixed)]
    quote = connection.ops.quote_name
    table = quote(Cra._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    batches = record_batches(conseillers, counts, pools, all_places, rng, connection.vendor)
    written = 0
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # Django's foreign keys are deferred: checked at commit, one trigger event per key
            # and row, which took longer than the COPY itself. Triggers are off for the load
            # (CHECK constraints still apply); the keys are checked in bulk afterwards.
            cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for batch in batches:
                    copy.write("".join(batch))
                    written += len(batch)
                    progress(written, total, started)
    else:
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("PRAGMA synchronous=OFF")  # bench load only: a crash means a new fill
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608
        for batch in batches:
            raw.execute("BEGIN")
            raw.executemany(sql, batch)
            raw.execute("COMMIT")
            written += len(batch)
            progress(written, total, started)
        raw.execute("PRAGMA synchronous=NORMAL")
    print()
    return time.perf_counter() - started


def check_foreign_keys():
    """Every key of the loaded records points to an existing row (one anti-join per key)."""
    from django.db import connection

    from cnum.activity.models import Cra

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for field in Cra._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model._meta
            cursor.execute(
                f"SELECT count(*) FROM {quote(Cra._meta.db_table)} c "  # noqa: S608 — identifiers
                f"LEFT JOIN {quote(target.db_table)} t ON t.{quote(target.pk.column)} = "
                f"c.{quote(field.column)} "
                f"WHERE c.{quote(field.column)} IS NOT NULL AND t.{quote(target.pk.column)} IS NULL"
            )
            broken = cursor.fetchone()[0]
            assert not broken, f"{broken} CRA avec un {field.name} inexistant"


def progress(written, total, started):
    elapsed = time.perf_counter() - started
    print(f"  {written:,} / {total:,} CRA ({written / elapsed:,.0f}/s)".replace(",", " "),
          end="\r", flush=True)  # fmt: skip


def analyze():
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def fill(args, rng):
    from django.db import connection

    print(f"Remplissage : {args.records:,} CRA…".replace(",", " "))
    clear()
    conseillers = people(args.structures, args.conseillers, args.places, rng)
    elapsed = insert_records(conseillers, args.records, rng)
    print(f"  CRA insérés en {elapsed:.0f} s ({args.records / elapsed:,.0f}/s)".replace(",", " "))
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        check_foreign_keys()
        print(f"  clés étrangères vérifiées : {time.perf_counter() - started:.0f} s")
    print(f"  ANALYZE : {analyze():.0f} s")


def reset_rollup_tables():
    """The statistics tables recreated from the current migrations (they are rebuilt anyway):
    reused records must not keep the rollup schema of an earlier run."""
    from django.core.management import call_command
    from django.db import connection

    # Emptied first: unapplying a migration that changes column types would rewrite every row.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith("stats_"):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
    call_command("migrate", "stats", "zero", verbosity=0, interactive=False)
    call_command("migrate", "stats", verbosity=0, interactive=False)


def record_count():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM activity_cra")
        return cursor.fetchone()[0]


# --- Measures ------------------------------------------------------------------------------------


def rebuild_rollups():
    from cnum.stats.rebuild import rebuild

    started = time.perf_counter()
    count = rebuild(progress=lambda done, total: print(f"  {done} / {total} CRA lus", end="\r"))
    elapsed = time.perf_counter() - started
    print(
        f"\nRollups reconstruits (rebuild) : {count} CRA en {elapsed:.0f} s "
        f"({count / elapsed:.0f} CRA/s)"
    )
    print(f"  ANALYZE : {analyze():.0f} s")


def dashboards():
    """(label, filter without period): national, the région and the département with the most
    conseillers, the structure with the most conseillers and its most active conseiller."""
    from django.db.models import Count

    from cnum.accounts.models import Membership
    from cnum.accounts.roles import Role
    from cnum.activity.models import Cra
    from cnum.stats.queries import ActivityFilter
    from cnum.territories.models import Departement

    members = Membership.objects.filter(role=Role.CONSEILLER, user__email__endswith=BENCH_DOMAIN)
    top = members.values("organisation__departement_id").annotate(n=Count("pk")).order_by("-n")
    departement = Departement.objects.get(pk=top[0]["organisation__departement_id"])
    region = tuple(
        Departement.objects.filter(region_id=departement.region_id).values_list("pk", flat=True)
    )
    structure = members.values("organisation_id").annotate(n=Count("pk")).order_by("-n")[0]
    team = members.filter(organisation_id=structure["organisation_id"]).values("user_id")
    conseiller = (
        Cra.objects.filter(conseiller__in=team)
        .values("conseiller_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]
    )
    return [
        ("national", ActivityFilter()),
        (
            f"région {departement.region_id} ({len(region)} dép.)",
            ActivityFilter(departements=region),
        ),
        (f"département {departement.pk}", ActivityFilter(departements=(departement.pk,))),
        (
            f"structure ({structure['n']} conseillers)",
            ActivityFilter(structure_ids=(structure["organisation_id"],)),
        ),
        (
            f"conseiller ({conseiller['n']} CRA)",
            ActivityFilter(conseiller_ids=(conseiller["conseiller_id"],)),
        ),
    ]


def timings(function, runs, argument, *, slow_after=None):
    """Milliseconds of `runs` calls (one call only when the first one takes over `slow_after` s)
    and the last result."""
    values, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function(argument)
        values.append((time.perf_counter() - started) * 1000)
        if slow_after is not None and values[0] > slow_after * 1000:
            break
    return values, result


def differences(rollup, live):
    """Fields of the figures that differ between the two sources (source itself left out)."""
    from dataclasses import fields

    return [
        f.name
        for f in fields(rollup)
        if f.name != "source" and getattr(rollup, f.name) != getattr(live, f.name)
    ]


def bench_dashboards(args):
    from dataclasses import replace

    from cnum.stats.live import live_activity_figures
    from cnum.stats.queries import activity_figures

    rows = []
    for label, base in dashboards():
        for period, f in (
            ("tout", base),
            ("3 mois", replace(base, start=PERIOD[0], end=PERIOD[1])),
        ):
            activity_figures(f)  # warm-up
            fast, figures = timings(activity_figures, args.runs, f)
            slow, live = timings(live_activity_figures, args.live_runs, f, slow_after=60)
            row = (
                f"{label}, {period}",
                percentile(fast, 0.5),
                percentile(fast, 0.95),
                len(fast),
                percentile(slow, 0.5),
                len(slow),
                figures.source,
                differences(figures, live),
                figures.totals["records"],
            )
            rows.append(row)
            print_row(row)
    return rows


def number(value, decimals=0):
    return f"{value:,.{decimals}f}".replace(",", "\u202f")


def print_row(row):
    label, p50, p95, _, live, n_live, source, diff, records = row
    check = "identiques" if not diff else "ÉCARTS : " + ", ".join(diff)
    ratio = live / p50
    print(
        f"| {label} | {number(records)} | {number(p50, 1)} | **{number(p95, 1)}** "
        f"| {number(live)} ({n_live}) | **× {number(ratio, 1 if ratio < 10 else 0)}** "
        f"| {source}, {check} |"
    )


def stats_receivers(signal):
    """The receivers of `signal` defined in cnum.stats (the rollup upkeep)."""
    kept = []
    for entry in signal.receivers:
        receiver = entry[1]
        receiver = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
        if receiver is not None and receiver.__module__.startswith("cnum.stats"):
            kept.append(entry)
    return kept


class UpkeepDisconnected:
    """Within the block, the statistics receivers of the activity signals are not called."""

    def __enter__(self):
        from cnum.activity.signals import records_changed, records_changing

        self.saved = {s: list(s.receivers) for s in (records_changing, records_changed)}
        for signal in self.saved:
            stats = stats_receivers(signal)
            assert stats, "aucun récepteur des statistiques sur les signaux d'activité"
            signal.receivers = [r for r in signal.receivers if r not in stats]
            signal.sender_receivers_cache.clear()

    def __exit__(self, *exc):
        for signal, receivers in self.saved.items():
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def bench_writes(args, rng):
    """CRA saved one by one through the service (one transaction each), statistics receivers
    disconnected and connected, in alternating blocks; the records are removed afterwards."""
    from cnum.accounts.models import User
    from cnum.activity import services
    from cnum.activity.models import Cra
    from cnum.places.models import PlaceConseiller

    _, base = dashboards()[-1]
    user = User.objects.get(pk=base.conseiller_ids[0])
    place_ids = list(
        PlaceConseiller.objects.filter(conseiller=user).values_list("place_id", flat=True)
    )
    elapsed = {"sans": 0.0, "avec": 0.0}
    created = {"sans": [], "avec": []}
    block = 25
    for _ in range(0, args.writes, block):
        for mode in ("sans", "avec"):
            contents = [current_content(rng) for _ in range(block)]
            for values in contents:
                values.update(
                    date=LAST_DAY,
                    place_id=rng.choice(place_ids)
                    if values["type_lieu"] == "lieu_activite"
                    else None,
                    commune_id="75056" if values["type_lieu"] in ("domicile", "autre") else None,
                )
                values.pop("legacy_data")
            started = time.perf_counter()
            if mode == "sans":
                with UpkeepDisconnected():
                    created[mode] += [services.save_record(user, v).pk for v in contents]
            else:
                created[mode] += [services.save_record(user, v).pk for v in contents]
            elapsed[mode] += time.perf_counter() - started
    for mode in ("sans", "avec"):
        count = len(created[mode])
        print(
            f"  {count} CRA par save_record, {mode} l'entretien des rollups : "
            f"{count / elapsed[mode]:.0f} CRA/s ({elapsed[mode] / count * 1000:.1f} ms par CRA)"
        )
    print(f"  coût de l'entretien : × {elapsed['avec'] / elapsed['sans']:.2f} par écriture")
    per_record = {mode: elapsed[mode] / len(created[mode]) * 1000 for mode in elapsed}
    # Clean up: the counted ones leave the rollups through the service, then all go.
    for cra in Cra.objects.filter(pk__in=created["avec"]):
        services.soft_delete(cra)
    Cra.objects.filter(pk__in=created["avec"] + created["sans"]).delete()
    return per_record  # milliseconds per record, "sans" and "avec" the upkeep


def sizes():
    from django.db import connection

    from cnum.activity.models import Cra
    from cnum.stats.models import ActivityRollup

    cra, rollup = Cra._meta.db_table, ActivityRollup._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT level, count(*) FROM {rollup} GROUP BY level ORDER BY level")  # noqa: S608
        levels = cursor.fetchall()
        total = sum(n for _, n in levels)
        detail = ", ".join(f"{level} {n}" for level, n in levels)
        print(f"Lignes de rollup : {total} ({detail})")
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_database_size(current_database()), pg_total_relation_size(%s), "
                "pg_relation_size(%s), pg_total_relation_size(%s), pg_relation_size(%s)",
                [cra, cra, rollup, rollup],
            )
            database, cra_all, cra_heap, rollup_all, rollup_heap = cursor.fetchone()
            print(
                f"Taille de la base : {database / 1e9:.2f} Go ; CRA {cra_all / 1e9:.2f} Go "
                f"(table {cra_heap / 1e9:.2f} Go + index) ; rollups {rollup_all / 1e6:.0f} Mo "
                f"(table {rollup_heap / 1e6:.0f} Mo + index)"
            )
        else:
            path = Path(connection.settings_dict["NAME"])
            wal = Path(f"{path}-wal")
            print(
                f"Taille du fichier SQLite : {path.stat().st_size / 1e9:.2f} Go "
                f"(+ WAL {wal.stat().st_size / 1e6 if wal.exists() else 0:.0f} Mo)"
            )
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name = %s OR name LIKE %s",
                    [rollup, "%rollup%"],
                )
                print(f"  dont rollups (table et index) : {cursor.fetchone()[0] / 1e6:.0f} Mo")
            except Exception as error:  # noqa: BLE001 — dbstat is an optional SQLite module
                print(f"  (taille par table indisponible : {error})")


# --- Entry point ---------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--conseillers", type=int, default=None, help="défaut : records / 2 500")
    parser.add_argument("--structures", type=int, default=None, help="défaut : ¾ des conseillers")
    parser.add_argument("--places", type=int, default=None, help="défaut : 1,5 par conseiller")
    parser.add_argument("--reuse", action="store_true", help="garder les données déjà là")
    parser.add_argument("--only-fill", action="store_true")
    parser.add_argument(
        "--keep-rollups", action="store_true", help="avec --reuse : ni recréation ni rebuild"
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--live-runs", type=int, default=3)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    args.conseillers = args.conseillers or max(8, round(args.records / 2500))
    args.structures = args.structures or max(4, round(args.conseillers * 3 / 4))
    args.places = args.places or round(args.conseillers * 1.5)
    rng = random.Random(args.seed)  # noqa: S311 — synthetic data, not secrets

    url = bench_url()
    if url.startswith("sqlite") and not args.reuse:
        drop_sqlite_file(url)
    setup_django(url)
    from django.db import connection

    # The statistics modules measured, imported once: one version of them for the whole run.
    from cnum.stats import live, queries, rebuild  # noqa: F401

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    reused = args.reuse and record_count() == args.records
    keep = args.keep_rollups and reused
    if not reused:
        fill(args, rng)
    else:
        print(f"Données réutilisées : {args.records:,} CRA".replace(",", " "))
        if not keep:
            reset_rollup_tables()
    print(f"  mémoire de pointe du processus (ru_maxrss) : {maxrss_mb():.0f} Mo")
    if args.only_fill:
        return
    if keep:
        print("Rollups gardés tels quels (--keep-rollups) : reconstruction non mesurée")
    else:
        rebuild_rollups()
    print(f"  mémoire de pointe du processus (ru_maxrss) : {maxrss_mb():.0f} Mo")
    sizes()
    print(
        f"\nTableaux de bord : rollups ({args.runs} appels après un de chauffe) contre agrégation "
        f"en direct des CRA ({args.live_runs} appels, un seul au-delà de 60 s) ; période "
        f"{PERIOD[0]:%m/%Y}–{PERIOD[1]:%m/%Y}"
    )
    print("| tableau de bord | CRA | p50 ms | p95 ms | direct p50 ms (n) | rapport | résultat |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    bench_dashboards(args)
    print(f"  mémoire de pointe du processus (ru_maxrss) : {maxrss_mb():.0f} Mo")
    print("\nÉcritures :")
    bench_writes(args, rng)
    print(f"Mémoire de pointe du processus (ru_maxrss, tout le script) : {maxrss_mb():.0f} Mo")


if __name__ == "__main__":
    main()
