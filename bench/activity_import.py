"""Benchmark of the legacy (v1) activity-record import at national scale, in process.

    uv run python bench/activity_import.py         # SQLite: var/cnum_bench_import.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev \\
        uv run python bench/activity_import.py --records 200000  # PostgreSQL: cnum_bench_import

Uses its own database (its records are replaced on each run): a SQLite file, or
cnum_bench_import next to DATABASE_URL's PostgreSQL, created and migrated if needed. Generates,
in a temporary directory, a mongoexport JSON Lines file of `--records` v1 documents in the
three schema shapes of docs/domaine.md#cra-v1 (earliest: `age`/`statut` strings and one
`organisme`; then counts with one `organisme`; then counts with `organismes`), with a few
percent of broken lines, refused records and unknown conseillers, and its mapping file; creates
the conseillers, their structures and places in bulk. Then times `run_import` end to end
(lines/s, records/s, process CPU time, errors, peak resident memory of the process from
getrusage's ru_maxrss), and a second run of the same file (idempotence: nothing imported).
With `--without-stats`, the receivers of `records_changed` are disconnected during the runs.

Anchor, measured in the same run: the rows the first import stored, read back as COPY text
(PostgreSQL) or tuples (SQLite) beforehand, then written by a plain `COPY … FROM STDIN`
(SQLite: executemany) into a table with the same columns and no index, constraint or trigger.
Physical reference: reading the file and decoding each line with orjson, nothing else. With
BENCH_RESULTS set (bench/summary.py), both imports are written there as summary lines.
"""

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402 — bench databases
from bench.results import emit  # noqa: E402

DATABASE = "cnum_bench_import"
BENCH_DOMAIN = "banc-import.exemple.fr"
THEMES = [
    "equipement informatique", "vocabulaire", "internet", "securite", "courriel", "echanger",
    "traitement texte", "contenus numeriques", "trouver emploi", "tpe/pme",
    "accompagner enfant", "demarche en ligne", "fraude et harcelement", "sante", "smartphone",
    "budget", "scolaire", "diagnostic", "autre",
]  # fmt: skip
AGES = ["moins12ans", "de12a18ans", "de18a35ans", "de35a60ans", "plus60ans"]
STATUTS = ["etudiant", "sansEmploi", "enEmploi", "retraite", "heterogene"]
ORGANISMES = ["CAF", "CPAM", "Mairie", "France Services", "Pôle emploi", "ANTS", "Notaire"]
CANAUX = ["rattachement"] * 6 + ["autre lieu"] * 2 + ["distance", "domicile"]
DUREES = ["0-30", "30-60", "0-30", "30-60", 60, 90, 120, 180]


def setup_django():
    """Its own database (it truncates the records table): cnum_bench_import next to
    DATABASE_URL's PostgreSQL (created if missing), else a SQLite file in var/."""
    url = scale.database_url(DATABASE)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"  # no query log
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings")
    import django

    django.setup()
    return url


def reset(conseillers, seed):
    """Bench conseillers, their structures and places (bulk); no legacy record, no import job.
    Returns [(legacy oid, user id, [(siret, place name, INSEE code)…])] and structure oids."""
    from django.db import connection, transaction

    from cnum.accounts.models import Membership, User
    from cnum.accounts.roles import Role
    from cnum.activity.models import Cra, ImportJob
    from cnum.places.models import Place, PlaceConseiller
    from cnum.stats.models import ActivityRollup, ConseillerLastActivity, YearRollup
    from cnum.structures.models import Structure
    from cnum.structures.testing import make_structure

    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    with transaction.atomic():
        table = connection.ops.quote_name(Cra._meta.db_table)
        # The rollups go with the records (removed without the upkeep): each run's upkeep
        # starts from the same empty tables, not from what earlier runs left.
        rollups = [
            connection.ops.quote_name(model._meta.db_table)
            for model in (ActivityRollup, YearRollup, ConseillerLastActivity)
        ]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}, {', '.join(rollups)} CASCADE")
            else:
                Cra.objects.filter(legacy_id__isnull=False)._raw_delete(connection.alias)
                for rollup in rollups:
                    cursor.execute(f"DELETE FROM {rollup}")  # noqa: S608 (model tables)
        ImportJob.objects.all().delete()
        structures = list(Structure.objects.filter(name__startswith="Banc import "))
        for n in range(len(structures), max(1, conseillers // 8)):
            structures.append(make_structure(name=f"Banc import {n}"))
        users = list(User.objects.filter(email__endswith=BENCH_DOMAIN).order_by("pk"))
        if len(users) < conseillers:
            User.objects.bulk_create(
                User(email=f"conseiller{n}@{BENCH_DOMAIN}", password="!", last_name=f"C{n}")
                for n in range(len(users), conseillers)
            )
            users = list(User.objects.filter(email__endswith=BENCH_DOMAIN).order_by("pk"))
        users = users[:conseillers]
        PlaceConseiller.objects.filter(conseiller__in=users).delete()
        Place.objects.filter(structure__in=structures).delete()
        Membership.objects.filter(user__in=users).delete()
        communes = list(Commune_codes())
        Membership.objects.bulk_create(
            Membership(user=u, role=Role.CONSEILLER, organisation=structures[i % len(structures)])
            for i, u in enumerate(users)
        )
        places, links = [], []
        for i, user in enumerate(users):
            structure = structures[i % len(structures)]
            for k in range(1 + i % 3):  # one to three places, the first one the main place
                places.append(
                    Place(
                        structure=structure,
                        nom=f"Espace numérique {i}-{k}",
                        pivot=structure.siret,
                        adresse="1 rue de la République",
                        commune_id=rng.choice(communes),
                        code_postal="69001",
                        latitude=45.76,
                        longitude=4.83,
                    )
                )
                links.append((user, k == 0))
        Place.objects.bulk_create(places, batch_size=2000)
        PlaceConseiller.objects.bulk_create(
            (PlaceConseiller(conseiller=u, place=p, is_main=main) for (u, main), p in zip(
                links, places, strict=True)),
            batch_size=2000,
        )  # fmt: skip
    by_user = {}
    for place, (user, _) in zip(places, links, strict=True):
        by_user.setdefault(user.pk, []).append((place.pivot, place.nom, place.commune_id))
    known = [(f"{user.pk:024x}", user.pk, by_user[user.pk]) for user in users]
    return known, [(f"{s.pk:08x}" + "f" * 16, s.siret) for s in structures]


def Commune_codes():  # noqa: N802 (reads as the table it lists)
    from cnum.territories.models import Commune

    return Commune.objects.values_list("code_insee", flat=True)


def breakdown(rng, keys, total, shape):
    if shape == 0:
        return rng.choice(keys)
    counts, left = {}, total
    for key in rng.sample(keys, rng.randint(1, len(keys))):
        counts[key] = rng.randint(0, left)
        left -= counts[key]
    return counts


def document(n, rng, conseiller, structure, communes, shape):
    """One v1 document of `shape` (0 earliest, 1 middle, 2 latest)."""
    oid, _, places = conseiller
    total = 1 if rng.random() < 0.8 else rng.randint(2, 15)
    canal = rng.choice(CANAUX)
    cra = {
        "canal": canal,
        "activite": "collectif" if total > 1 else rng.choice(["individuel", "ponctuel"]),
        "nbParticipants": total,
        "nbParticipantsRecurrents": 0,
        "age": breakdown(rng, AGES, total, shape),
        "statut": breakdown(rng, STATUTS, total, shape),
        "themes": rng.sample(THEMES, rng.randint(1, 4)),
        "sousThemes": [{"ordinateur": ["Word"]}] if rng.random() < 0.2 else [],
        "duree": rng.choice(DUREES),
        "dateAccompagnement": {
            "$date": f"{rng.randint(2020, 2024)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:30:00.000Z"
        },
        "codePostal": "69001",
        "codeCommune": rng.choice(communes),
        "nomCommune": "Lyon",
        "accompagnement": {"individuel": 0, "atelier": 0, "redirection": 0},
    }
    if rng.random() < 0.3:
        organisme = rng.choice(ORGANISMES)
        if shape == 2:
            cra["organismes"] = [{organisme: 1}]
        else:
            cra["organisme"] = organisme
    permanence = None
    if canal == "rattachement" and rng.random() < 0.7:
        siret, nom, insee = rng.choice(places)
        permanence = {
            "_id": {"$oid": f"{n:024x}"[::-1]},
            "nomEnseigne": nom,
            "siret": siret,
            "adresse": {"codePostal": "69001", "ville": "Lyon", "codeCommune": insee},
        }
    return {
        "_id": {"$oid": f"{n:024x}"},
        "cra": cra,
        "conseiller": {"$ref": "conseillers", "$id": {"$oid": oid}},
        "structure": {"$ref": "structures", "$id": {"$oid": structure}},
        "permanence": permanence,
        "createdAt": {"$date": "2023-05-04T09:12:00.000Z"},
    }


def spoil(doc, rng):
    """A record the import must refuse, with a reason it will report."""
    cra = doc["cra"]
    choice = rng.randrange(4)
    if choice == 0:
        cra["nbParticipants"] = 0
    elif choice == 1:
        cra["themes"] = ["cuisine"]
    elif choice == 2:
        cra["dateAccompagnement"] = {"$date": "2019-06-01T10:00:00.000Z"}
    else:
        cra["canal"], cra["codeCommune"] = "domicile", ""


def write_files(directory, count, known, structures, seed):
    """The JSON Lines file (2 % broken lines, 2 % refused, 1 % unknown conseillers) and mapping."""
    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    communes = list(Commune_codes())
    path = Path(directory) / "cra_v1.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for n in range(1, count + 1):
            draw = rng.random()
            if draw < 0.02:
                f.write('{"_id": {"$oid": "tronque"}, "cra": {"canal": \n')
                continue
            conseiller = rng.choice(known)
            if draw < 0.03:
                conseiller = (f"{n:024x}"[::-1], None, conseiller[2])
            doc = document(
                n, rng, conseiller, rng.choice(structures)[0], communes, rng.randrange(3)
            )
            if draw > 0.98:
                spoil(doc, rng)
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    mapping = Path(directory) / "correspondances.csv"
    with open(mapping, "w", encoding="utf-8") as f:
        f.write("legacy_id,email\n")
        f.writelines(f"{oid},conseiller{i}@{BENCH_DOMAIN}\n" for i, (oid, _, _) in enumerate(known))
        f.writelines(f"{oid},{siret}\n" for oid, siret in structures)
    return path, mapping


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def cpu_seconds():
    """Processor time of this process and of its finished children (the import's readers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def server_cpu_seconds():
    """Processor time of this connection's PostgreSQL backend, when the server runs on this
    machine (read from /proc); None elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_import(path, mapping, profile=None):
    from cnum.activity.importer import run_import

    server = server_cpu_seconds()
    started, cpu = time.perf_counter(), cpu_seconds()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        job = profiler.runcall(run_import, path, mapping)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)
    else:
        job = run_import(path, mapping)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if server is not None:
        used = server_cpu_seconds() - server
        print(f"  processeur du serveur PostgreSQL pour cet import : {used:.1f} s")
    return elapsed, cpu, job


def copy_anchor():
    """Seconds to write the imported rows into an unindexed table by a plain COPY (PostgreSQL)
    or executemany (SQLite), the rows read beforehand (not timed); and their number."""
    from django.db import connection, transaction

    from cnum.activity.models import Cra

    quote = connection.ops.quote_name
    columns = [f.column for f in Cra._meta.concrete_fields if not f.primary_key]
    names = ", ".join(quote(c) for c in columns)
    source, anchor = quote(Cra._meta.db_table), quote("bench_import_anchor")
    select = f"SELECT {names} FROM {source} WHERE legacy_id IS NOT NULL ORDER BY id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {anchor}")
        # The same columns and types; no key, index, constraint nor trigger.
        cursor.execute(f"CREATE TABLE {anchor} AS {select} LIMIT 0")  # noqa: S608
        if connection.vendor == "postgresql":
            with tempfile.TemporaryFile() as text:
                with cursor.cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                    for chunk in copy:
                        text.write(chunk)
                text.seek(0)
                started = time.perf_counter()
                with (
                    transaction.atomic(),
                    cursor.cursor.copy(f"COPY {anchor} ({names}) FROM STDIN") as copy,
                ):
                    while chunk := text.read(1 << 20):
                        copy.write(chunk)
                elapsed = time.perf_counter() - started
        else:
            cursor.execute(select)
            rows = cursor.fetchall()
            marks = ", ".join(["%s"] * len(columns))
            started = time.perf_counter()
            with transaction.atomic():
                cursor.executemany(f"INSERT INTO {anchor} ({names}) VALUES ({marks})", rows)  # noqa: S608
            elapsed = time.perf_counter() - started
        cursor.execute(f"SELECT count(*) FROM {anchor}")  # noqa: S608
        (count,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {anchor}")
    return elapsed, count


def decode_only(path):
    """Seconds to read the file and decode each line with orjson (physical reference)."""
    import orjson

    started = time.perf_counter()
    with open(path, "rb") as f:
        for line in f:
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # broken lines: decoded as far as orjson goes
    return time.perf_counter() - started


def load():
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def report(label, elapsed, cpu, job, lines):
    print(
        f"{label} : {elapsed:.1f} s, {lines / elapsed:,.0f} lignes/s "
        f"({job.imported / elapsed:,.0f} CRA importés/s) ; temps processeur du processus et de "
        f"ses lecteurs {cpu:.1f} s, {lines / cpu:,.0f} lignes par seconde processeur — "
        f"{job.imported} importés, "
        f"{job.skipped} déjà présents, {job.errors} erreurs ; "
        f"pic mémoire résidente du processus {maxrss_mb():.0f} Mo"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--conseillers", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--without-stats", action="store_true", help="disconnect records_changed's receivers"
    )
    parser.add_argument("--profile", type=int, default=0, help="cProfile: print N hot spots")
    args = parser.parse_args()
    url = setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.activity.signals import records_changed
    from cnum.territories.loading import load_territories

    call_command("migrate", verbosity=0)
    load_territories()
    print(f"base : {url.split('@')[-1]} ({connection.vendor})")
    started = time.perf_counter()
    known, structures = reset(args.conseillers, args.seed)
    print(
        f"{len(known)} conseillers, {len(structures)} structures créés "
        f"en {time.perf_counter() - started:.1f} s"
    )
    receivers = list(records_changed.receivers)
    print(f"récepteurs de records_changed connectés : {len(receivers)}")
    if args.without_stats:
        records_changed.receivers = []
        records_changed.sender_receivers_cache.clear()
        print("… déconnectés pour la mesure (--without-stats)")
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        path, mapping = write_files(directory, args.records, known, structures, args.seed)
        size = path.stat().st_size
        print(
            f"{args.records} lignes v1 écrites ({size / 1e6:.0f} Mo) "
            f"en {time.perf_counter() - started:.1f} s ; pic mémoire avant import "
            f"{maxrss_mb():.0f} Mo"
        )
        print(f"charge moyenne (1, 5, 15 min) avant l'import : {load()}")
        first = timed_import(path, mapping, args.profile)
        report("1er import", *first, args.records)
        print(f"charge moyenne après le 1er import : {load()}")
        anchor, copied = copy_anchor()
        plain = "COPY" if connection.vendor == "postgresql" else "executemany"
        print(
            f"ancre : {copied} lignes écrites par un {plain} simple dans une table sans index en "
            f"{anchor:.1f} s ({copied / anchor:,.0f} lignes/s) — import × {first[0] / anchor:.1f}"
        )
        decoded = decode_only(path)
        print(f"référence : lecture du fichier et orjson.loads de chaque ligne en {decoded:.1f} s")
        second = timed_import(path, mapping)
        report("2e import du même fichier (idempotence)", *second, args.records)
        print(f"charge moyenne à la fin : {load()}")
    stats = "sans" if args.without_stats else "avec"
    for label, (elapsed, cpu, job) in (("1er import", first), ("2e import", second)):
        imported = first[2].imported
        emit(
            f"Import CRA v1 : {args.records} lignes, {label}, {stats} statistiques",
            round(elapsed, 2),
            unit="s",
            goal=f"≤ {imported / 20_000:.1f}",
            anchor=(f"{plain} simple dans une table sans index", round(anchor, 2))
            if label == "1er import"
            else None,
            reference=("lecture + orjson.loads des lignes", round(decoded, 2)),
            note=f"{imported / elapsed:,.0f} CRA/s ; CPU du processus et de ses lecteurs "
            f"{cpu:.1f} s ; "
            f"{job.imported} importés ; charge {load()}",
        )
    records_changed.receivers = receivers
    records_changed.sender_receivers_cache.clear()


if __name__ == "__main__":
    main()
