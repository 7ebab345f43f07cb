"""Benchmark of places at national scale: 50,000 places over real communes, in process.

    uv run python bench/places.py                                         # SQLite
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/places.py      # PostgreSQL: cnum_bench

Uses its own database (var/cnum_bench_places.sqlite3 or cnum_bench_places), migrated and loaded
with the territories if needed; its places are replaced with generated ones. Prints:
- nearest places from random communes (`places_near`, 20 places with their distances): p50, p95,
  max, against a brute force over every place measured in the same run (results compared);
- the full open data export (JSON and CSV, streamed): time, size and peak Python memory.
"""

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import emit  # noqa: E402
from territories import ROOT, percentile, timed  # noqa: E402

DATABASE = "cnum_bench_places"


def setup_django():
    """Its own database (others' bench databases may hold migrations in flux): a SQLite file, or
    cnum_bench_places next to DATABASE_URL's PostgreSQL."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
            exists = "SELECT 1 FROM pg_database WHERE datname = %s"
            if not db.execute(exists, [DATABASE]).fetchone():
                db.execute(f"CREATE DATABASE {DATABASE}")
        url = urlunsplit(parts._replace(path=f"/{DATABASE}"))
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        url = f"sqlite:///{ROOT / 'var' / (DATABASE + '.sqlite3')}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnum.settings")
    import django

    django.setup()
    return url


def generate(count, seed):
    """`count` places over communes drawn with their population as weight (places follow people)."""
    from django.db import transaction
    from django.utils import timezone

    from cnum.places import nearby
    from cnum.places.enums import Frais, ModaliteAcces, ModaliteAccompagnement, Service
    from cnum.places.models import Place
    from cnum.structures.enums import Status
    from cnum.structures.models import Structure
    from cnum.structures.testing import make_structure
    from cnum.territories.models import Commune

    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    communes = list(
        Commune.objects.values_list(
            "code_insee", "latitude", "longitude", "codes_postaux", "population"
        )
    )
    weights = [max(population, 50) for *_, population in communes]
    # Validated by the committee: only then are its places public (places.moderation).
    structure = Structure.objects.filter(
        name="Structure du banc d'essai", status=Status.VALIDATION_COSELEC
    ).first() or make_structure(name="Structure du banc d'essai", status=Status.VALIDATION_COSELEC)
    hours = [
        "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
        "Tu,Th 14:00-18:00; Sa 10:00-12:30",
        "Mo-Sa 09:00-19:00",
        "",
    ]
    services = list(Service.values)
    now = timezone.now()
    with transaction.atomic():
        # No signal per place (the index is stamped once below): nothing refers to them.
        Place.objects.all()._raw_delete(Place.objects.db)
        batch = []
        for n, (code, lat, lon, postal_codes, _) in enumerate(
            rng.choices(communes, weights=weights, k=count)
        ):
            batch.append(
                Place(
                    structure=structure,
                    nom=f"Lieu {n}",
                    pivot=structure.siret,
                    adresse=f"{n % 200 + 1} rue de la République",
                    commune_id=code,
                    code_postal=(postal_codes or ["00000"])[0],
                    latitude=round(lat + rng.uniform(-0.01, 0.01), 6),
                    longitude=round(lon + rng.uniform(-0.01, 0.01), 6),
                    horaires=rng.choice(hours),
                    services=rng.sample(services, rng.randint(0, 4)),
                    frais_a_charge=[Frais.GRATUIT],
                    modalites_acces=[ModaliteAcces.SE_PRESENTER],
                    modalites_accompagnement=[ModaliteAccompagnement.INDIVIDUEL],
                    itinerance=["Fixe"],
                    updated_at=now,
                )
            )
            if len(batch) == 5000:
                Place.objects.bulk_create(batch)
                batch = []
        Place.objects.bulk_create(batch)
    nearby.bump()  # bulk_create sends no signal


def brute_force(origin, limit):
    """Every place read and measured: what a search without the bounding box would cost."""
    from cnum.places.models import Place
    from cnum.territories.services import distance_km

    rows = Place.objects.values_list("pk", "latitude", "longitude", "services")
    point = (origin.latitude, origin.longitude)
    found = sorted(
        (distance_km(point, (lat, lon)), pk) for pk, lat, lon, services in rows if services
    )
    return [pk for _, pk in found[:limit]]


def kd_tree_reference(origins, limit):
    """The physical reference: a k-d tree of the same places in memory (SciPy), on 3-D unit
    vectors so that the chord order is the great-circle order. Times one query per origin."""
    import numpy as np
    from scipy.spatial import cKDTree

    from cnum.places.models import Place

    rows = np.array(
        Place.objects.public().exclude(services=[]).values_list("latitude", "longitude"),
        dtype=float,
    )
    tree = cKDTree(_unit_vectors(rows))
    times = []
    for origin in origins:
        point = _unit_vectors(np.array([[origin.latitude, origin.longitude]]))[0]
        started = time.perf_counter()
        tree.query(point, k=limit + 1)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _unit_vectors(latlon):
    import numpy as np

    lat, lon = np.radians(latlon[:, 0]), np.radians(latlon[:, 1])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def bench_nearest(queries, seed):
    from cnum.places.services import Origin, places_near
    from cnum.territories.models import Commune

    rng = random.Random(seed)  # noqa: S311 (sampling, not secrets)
    origins = [Origin.of(c) for c in rng.sample(list(Commune.objects.all()), queries + 20)]
    for origin in origins[:20]:  # warm-up
        places_near(origin)
    indexed = [timed(places_near, origin) for origin in origins[20:]]
    sample = origins[20:50]
    brute = [timed(brute_force, origin, 20) for origin in sample]
    for (_, page), (_, expected) in zip(indexed, brute, strict=False):
        got = [item.place.pk for item in page.items]
        # Equal distances may come in any order: compare the sets of distances' places.
        assert set(got) == set(expected) or len(got) < 20, (got, expected)
    times = [ms for ms, _ in indexed]
    return times, [ms for ms, _ in brute], kd_tree_reference(origins[20:], 20)


def read_rows():
    """The floor of an export: the same query's rows read, nothing built."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from cnum.places import export
    from cnum.places.models import Place

    texts = {f"{name}__text": Cast(name, TextField()) for name in export._LISTS}
    rows = Place.objects.public().order_by("pk").annotate(**texts)
    columns = (*export._COLUMNS[: -len(export._LISTS)], *texts)
    started = time.perf_counter()
    for _ in rows.values_list(*columns).iterator(chunk_size=2000):
        pass
    return time.perf_counter() - started


def bench_export(kind):
    """Time of a full export as the view streams it, then its peak Python memory in a second
    pass (tracemalloc slows Python several times over: never both in one pass)."""
    from cnum.places import export

    def chunks():
        return export.json_chunks() if kind == "json" else export.csv_chunks()

    started = time.perf_counter()
    size = sum(len(chunk.encode()) for chunk in chunks())
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    for _ in chunks():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, size, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    url = setup_django()
    from django.core.management import call_command
    from django.db import connection

    from cnum.territories.loading import load_territories

    call_command("migrate", verbosity=0)
    load_territories()
    started = time.perf_counter()
    generate(args.places, args.seed)
    print(f"base : {url.split('@')[-1]} ({connection.vendor})")
    print(f"{args.places} lieux générés en {time.perf_counter() - started:.1f} s")
    times, brute, tree = bench_nearest(args.queries, args.seed)
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    print(
        f"lieux les plus proches (20) : p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {max(times):.1f} ms"
    )
    brute_p50 = percentile(brute, 0.5)
    print(
        f"force brute (tous les lieux) : p50 {brute_p50:.1f} ms → rapport × {brute_p50 / p50:.0f}"
    )
    tree_p95 = percentile(tree, 0.95)
    print(
        f"référence k-d tree en mémoire : p95 {tree_p95:.3f} ms → ×{p95 / tree_p95:.0f} pour nous"
    )
    emit(
        f"{args.places} lieux : les 20 plus proches, p95",
        round(p95, 2),
        goal="≤ 10",
        anchor=(
            "force brute SQL (toutes les lignes + haversine)",
            round(percentile(brute, 0.95), 1),
        ),
        reference=("k-d tree en mémoire (SciPy)", round(tree_p95, 3)),
    )
    read = read_rows()
    print(f"lecture seule des mêmes lignes (référence) : {read:.2f} s")
    for kind in ("json", "csv"):
        elapsed, size, peak = bench_export(kind)
        print(
            f"export {kind.upper()} : {elapsed:.1f} s, {size / 1e6:.1f} Mo, "
            f"pic mémoire Python {peak / 1e6:.1f} Mo"
        )
        emit(
            f"export {kind.upper()} de {args.places} lieux ({size / 1e6:.0f} Mo, pic "
            f"{peak / 1e6:.0f} Mo)",
            round(elapsed, 2),
            unit="s",
            goal="≤ 3" if kind == "json" else "—",
            reference=("lecture seule des lignes", round(read, 2)),
        )


if __name__ == "__main__":
    main()
