"""Benchmark of the territories rules on the full reference data, in process.

    uv run python bench/territories.py            # SQLite: var/bench.sqlite3
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/territories.py   # PostgreSQL: cnum_bench

Uses its own database (never the development one), migrated and loaded if needed. Prints:
- commune search latency (p50, p95, max) over random queries: name prefixes of 1 to 6 letters
  taken from real names, and postal codes (full or 2 to 4 first digits);
- « communes within 30 km of a point »: indexed query against a brute force over every commune,
  as a ratio measured in the same run.
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from results import emit  # noqa: E402


def bench_database_url():
    """The bench database: cnum_bench next to DATABASE_URL's PostgreSQL, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/cnum_bench"))
    (ROOT / "var").mkdir(exist_ok=True)
    return f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"


def ensure_postgres_database(url):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", ["cnum_bench"]
        ).fetchone()
        if not exists:
            connection.execute("CREATE DATABASE cnum_bench")


def setup_django():
    url = bench_database_url()
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    if not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = "bench-only-not-a-secret"
    os.environ["DEBUG"] = "0"  # no query log
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings")
    import django

    django.setup()
    return url


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def random_queries(rng, count):
    from cnum.territories.models import CodePostal, Commune

    names = list(Commune.objects.values_list("nom", flat=True))
    postal_codes = list(CodePostal.objects.values_list("code", flat=True).distinct())
    queries = []
    for _ in range(count):
        if rng.random() < 0.75:
            queries.append(rng.choice(names)[: rng.randint(1, 6)])
        else:
            code = rng.choice(postal_codes)
            queries.append(code if rng.random() < 0.6 else code[: rng.randint(2, 4)])
    return queries


def brute_force_within(lat, lon, radius):
    """What the query does without its index: every commune, haversine on each."""
    from cnum.territories.models import Commune
    from cnum.territories.services import distance_km

    found = []
    for commune in Commune.objects.select_related("departement"):
        distance = distance_km((lat, lon), (commune.latitude, commune.longitude))
        if distance <= radius:
            found.append((distance, commune.code_insee))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--radius", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.territories.loading import load_territories
    from cnum.territories.models import Commune
    from cnum.territories.services import communes_within, search_communes

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0, interactive=False)
    report = load_territories()
    if report.up_to_date:
        print("Référentiel déjà chargé.")
    else:
        print(f"Chargement initial du référentiel : {report.seconds:.1f} s")
    seconds, _ = timed(load_territories)
    print(f"Rechargement du même fichier (empreinte inchangée) : {seconds:.0f} ms")
    print(f"Communes : {Commune.objects.count()}")

    rng = random.Random(args.seed)  # noqa: S311 (sampling queries, not secrets)
    queries = random_queries(rng, args.queries)
    for q in queries[:100]:  # warm-up: connection, caches
        search_communes(q, 10)
    durations = [timed(search_communes, q, 10)[0] for q in queries]
    print(
        f"\nRecherche de communes, {len(queries)} requêtes (préfixes de 1 à 6 lettres, codes "
        f"postaux), 10 résultats :\n  p50 {percentile(durations, 0.5):.2f} ms · "
        f"p95 {percentile(durations, 0.95):.2f} ms · max {max(durations):.2f} ms"
    )
    # The physical reference: every answer already computed, found by a dict lookup.
    answers = {q: search_communes(q, 10) for q in queries}
    lookups = [timed(answers.__getitem__, q)[0] for q in queries]
    p95, reference = percentile(durations, 0.95), percentile(lookups, 0.95)
    print(
        f"  référence (réponse déjà calculée, lue dans un dict) : p95 {reference * 1000:.2f} µs"
        f" → notre p95 × {p95 / reference:.0f}"
    )
    emit(
        "Recherche de communes (10 résultats), p95",
        round(p95, 2),
        goal="≤ 5",
        reference=("réponse déjà calculée lue dans un dict", round(reference, 5)),
    )
    for label, predicate in (
        ("1 lettre", lambda q: len(q) == 1 and q.isalpha()),
        ("2-6 lettres", lambda q: len(q) > 1 and not q.isdigit()),
        ("codes postaux", str.isdigit),
    ):
        subset = [d for d, q in zip(durations, queries, strict=True) if predicate(q)]
        if subset:
            print(
                f"  {label:<14} n={len(subset):<5} p50 {percentile(subset, 0.5):.2f} ms · "
                f"p95 {percentile(subset, 0.95):.2f} ms"
            )

    centres = list(
        Commune.objects.filter(type=Commune.Type.COMMUNE).values_list("latitude", "longitude")
    )
    points = rng.sample(centres, args.points)
    indexed, brute = [], []
    for lat, lon in points:
        ms_indexed, found = timed(communes_within, lat, lon, args.radius)
        ms_brute, expected = timed(brute_force_within, lat, lon, args.radius)
        assert [n.commune.code_insee for n in found] == [code for _, code in expected]
        indexed.append(ms_indexed)
        brute.append(ms_brute)
    ratio = statistics.median(brute) / statistics.median(indexed)
    print(
        f"\nCommunes à moins de {args.radius:g} km d'un point ({args.points} points tirés parmi "
        f"les communes, mêmes résultats vérifiés) :\n"
        f"  requête indexée (boîte englobante + haversine) : p50 "
        f"{statistics.median(indexed):.2f} ms · p95 {percentile(indexed, 0.95):.2f} ms\n"
        f"  force brute (toutes les communes + haversine)  : p50 "
        f"{statistics.median(brute):.1f} ms · p95 {percentile(brute, 0.95):.1f} ms\n"
        f"  rapport force brute / indexée (médianes) : × {ratio:.0f}"
    )


if __name__ == "__main__":
    main()
