"""Benchmark of the live, distance-ranked candidates screen (cnum.matching).

    uv run python bench/matching.py                                   # national scale, SQLite
    uv run python bench/matching.py --scale 10                        # 400 000 / 30 000 / 40 000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x uv run python bench/matching.py --scale 10

Own database per scale (var/bench_matching_x<scale>.sqlite3, or the PostgreSQL database
bench_matching_x<scale> next to DATABASE_URL's), filled by bench/scale.py and reused while the
sizes match. Prints, for random validated structures: the first page of the candidates screen
with every tab count (p50, p95, queries), cold (commune cache emptied before each) and warm; a
candidate changing zone, the structure's screen then showing them (p95); the naive baseline
(every available candidate loaded, great-circle distance computed in Python) on the same
structures, as a ratio; peak memory.
"""

import argparse
import cProfile
import math
import os
import pstats
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.results import emit  # noqa: E402
from bench.scale import ensure, setup_django  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_screen(structures, cold):
    """Durations (ms) and queries of one screen per structure. Queries are counted by an execute
    wrapper: Django's query log (CaptureQueriesContext) quotes every parameter of each query
    again, which cost a screen with thousands of commune codes more than the screen itself."""
    from django.db import connection

    from cnum.matching import screen
    from cnum.matching.eligibility import _bucket_codes, local_communes

    durations, queries = [], []

    def count(execute, sql, params, many, context):
        queries[-1] += 1
        return execute(sql, params, many, context)

    for structure in structures:
        if cold:
            local_communes.cache_clear()
            _bucket_codes.cache_clear()
        queries.append(0)
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            screen.build(structure)
            durations.append((time.perf_counter() - started) * 1000)
    return durations, queries


def naive(structure, candidates):
    """What a nightly batch (or a screen without the index) does: every candidate, in Python."""
    from cnum.matching.eligibility import territory_of
    from cnum.territories.services import distance_km

    centre = (structure.commune.latitude, structure.commune.longitude)
    territory = territory_of(structure.commune.departement_id)
    eligible = []
    for pk, lat, lon, departement, max_km in candidates:
        if territory_of(departement) != territory:
            continue
        km = distance_km(centre, (lat, lon))
        if km <= max_km:
            eligible.append((km, pk))
    eligible.sort()
    return len(eligible), eligible[:20]


def load_candidates():
    from cnum.candidates.models import CandidateProfile

    return list(
        CandidateProfile.objects.active()
        .filter(is_available=True)
        .values_list(
            "pk",
            "commune__latitude",
            "commune__longitude",
            "commune__departement_id",
            "max_distance_km",
        )
        .iterator(chunk_size=10_000)
    )


def naive_sql(structure):
    """The anchor: what a plain SQL screen would do, a great-circle distance for every available
    candidate of the territory, then the first page and the count (two queries)."""
    from django.db import connection

    from cnum.candidates.models import CandidateProfile
    from cnum.matching.eligibility import territory_codes, territory_of
    from cnum.territories.models import Commune
    from cnum.territories.services import EARTH_RADIUS_KM

    first, last = territory_codes(territory_of(structure.commune.departement_id))
    lat, lon = math.radians(structure.commune.latitude), math.radians(structure.commune.longitude)
    scan = (
        f"SELECT c.id AS id, c.max_distance_km AS max_km, 2 * {EARTH_RADIUS_KM} * asin(sqrt("  # noqa: S608
        "power(sin((radians(m.latitude) - %s) / 2), 2) + cos(%s) * cos(radians(m.latitude))"
        " * power(sin((radians(m.longitude) - %s) / 2), 2))) AS km "
        f"FROM {CandidateProfile._meta.db_table} c JOIN {Commune._meta.db_table} m "
        "ON m.code_insee = c.commune_id WHERE c.is_available AND c.activated_at IS NOT NULL "
        "AND c.commune_id >= %s AND c.commune_id <= %s"
    )
    params = [lat, lat, lon, first, last]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM ({scan}) s WHERE km <= max_km ORDER BY km, id LIMIT 20",  # noqa: S608
            params,
        )
        page = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM ({scan}) s WHERE km <= max_km", params)  # noqa: S608
        count = cursor.fetchone()[0]
    return count, page


def numpy_arrays():
    """Every active, available candidate as arrays (loaded once, outside the timings)."""
    import numpy as np

    from cnum.candidates.models import CandidateProfile
    from cnum.matching.eligibility import territory_of

    rows = list(
        CandidateProfile.objects.active()
        .filter(is_available=True)
        .values_list(
            "pk",
            "commune__latitude",
            "commune__longitude",
            "commune__departement_id",
            "max_distance_km",
        )
        .iterator(chunk_size=10_000)
    )
    territories = {}
    return {
        "id": np.array([r[0] for r in rows], dtype=np.int64),
        "lat": np.radians(np.array([r[1] for r in rows], dtype=np.float64)),
        "lon": np.radians(np.array([r[2] for r in rows], dtype=np.float64)),
        "territory": np.array(
            [territories.setdefault(territory_of(r[3]), len(territories)) for r in rows],
            dtype=np.int16,
        ),
        "max_km": np.array([r[4] for r in rows], dtype=np.float64),
        "territories": territories,
    }


def numpy_scan(structure, arrays):
    """Physical reference: haversine over every candidate of the territory, count, 20 nearest."""
    import numpy as np

    from cnum.matching.eligibility import territory_of
    from cnum.territories.services import EARTH_RADIUS_KM

    code = arrays["territories"].get(territory_of(structure.commune.departement_id), -1)
    lat, lon = math.radians(structure.commune.latitude), math.radians(structure.commune.longitude)
    same = arrays["territory"] == code
    clat, clon = arrays["lat"][same], arrays["lon"][same]
    h = np.sin((clat - lat) / 2) ** 2 + math.cos(lat) * np.cos(clat) * np.sin((clon - lon) / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    ok = km <= arrays["max_km"][same]
    count = int(ok.sum())
    km_ok, ids = km[ok], arrays["id"][same][ok]
    nearest = np.argpartition(km_ok, 19)[:20] if len(km_ok) > 20 else np.arange(len(km_ok))
    page = ids[nearest[np.lexsort((ids[nearest], km_ok[nearest]))]]
    return count, page.tolist()


def measure_anchors(structures):
    """Our screen, the naive SQL scan and the NumPy scan, structure by structure (interleaved,
    so the machine's load weighs on all three alike); counts checked equal."""
    from cnum.matching import queries, screen
    from cnum.matching.eligibility import _bucket_codes, local_communes

    arrays = numpy_arrays()
    ours, direct, sql, vector, mismatches = [], [], [], [], []
    for structure in structures:
        local_communes.cache_clear()
        _bucket_codes.cache_clear()
        started = time.perf_counter()
        count = screen.build(structure).counts[screen.NEW]
        ours.append((time.perf_counter() - started) * 1000)
        local_communes.cache_clear()
        _bucket_codes.cache_clear()
        queries.USE_TALLY = False  # the candidates counted through the index, as before
        try:
            started = time.perf_counter()
            direct_count = screen.build(structure).counts[screen.NEW]
            direct.append((time.perf_counter() - started) * 1000)
        finally:
            queries.USE_TALLY = True
        started = time.perf_counter()
        sql_count, _ = naive_sql(structure)
        sql.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        np_count, _ = numpy_scan(structure, arrays)
        vector.append((time.perf_counter() - started) * 1000)
        if not count == direct_count == sql_count == np_count:
            mismatches.append((structure.pk, count, direct_count, sql_count, np_count))
    return ours, direct, sql, vector, mismatches


def profile(structures):
    from cnum.matching import screen
    from cnum.matching.eligibility import _bucket_codes, local_communes

    profiler = cProfile.Profile()
    for structure in structures:
        local_communes.cache_clear()
        _bucket_codes.cache_clear()
        profiler.enable()
        screen.build(structure)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def load():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def measure_zone_change(rng, structures, count):
    """A candidate moves next to a structure: the structure's next screen counts them."""
    from cnum.candidates import services
    from cnum.candidates.models import CandidateProfile
    from cnum.matching import screen
    from cnum.matching.eligibility import Eligibility

    durations = []
    profiles = list(
        CandidateProfile.objects.active()
        .filter(is_available=True, max_distance_km=20)
        .select_related("commune")
        .order_by("?")[: count * 3]
    )
    for structure in rng.sample(structures, count):
        eligibility = Eligibility(structure)
        profile = next(p for p in profiles if not eligibility.is_eligible(p))
        profiles.remove(profile)
        before = screen.build(structure).counts[screen.NEW]
        data = {field: getattr(profile, field) for field in services.PROFILE_FIELDS}
        started = time.perf_counter()
        services.update_profile(profile, {**data, "commune": structure.commune})
        after = screen.build(structure).counts[screen.NEW]
        durations.append((time.perf_counter() - started) * 1000)
        assert after == before + 1, (before, after)  # visible at once
    return durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = national, 10 = 10×")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--baseline-samples", type=int, default=10)
    parser.add_argument("--anchor-samples", type=int, default=50)
    parser.add_argument("--profile", type=int, default=0, help="cProfile of N screens")
    parser.add_argument("--no-baseline", action="store_true", help="skip the Python baseline")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django(f"bench_matching_x{args.scale}")
    from django.db import connection

    from cnum.structures.models import Structure

    sizes = {
        "candidates": 40_000 * args.scale,
        "structures": 3_000 * args.scale,
        "posts": 4_000 * args.scale,
    }
    print(f"Base : {connection.vendor} — {sizes} — charge moyenne au départ : {load()}")
    seconds = ensure(**sizes, seed=args.seed)
    print("Données réutilisées." if seconds is None else f"Génération : {seconds:.0f} s")

    rng = random.Random(args.seed)  # noqa: S311 (sampling, not secrets)
    ids = list(Structure.objects.filter(status="VALIDATION_COSELEC").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(args.samples, len(ids)))
    structures = list(
        Structure.objects.filter(pk__in=chosen).select_related("commune__departement")
    )
    measure_screen(structures[:10], cold=False)  # connection, first compilations
    if args.profile:
        profile(structures[: args.profile])
    for label, cold in (("cache des communes vide", True), ("cache chaud", False)):
        durations, queries = measure_screen(structures, cold)
        print(
            f"Écran candidats, 1re page + compteurs ({label}, {len(structures)} structures) : "
            f"p50 {statistics.median(durations):.1f} ms · p95 {percentile(durations, 0.95):.1f} ms"
            f" · max {max(durations):.0f} ms · requêtes {min(queries)}–{max(queries)}"
        )
    memory_screen = peak_mb()

    ours, direct, sql, vector, mismatches = measure_anchors(structures[: args.anchor_samples])
    p95 = percentile(ours, 0.95)
    print(f"Côte à côte, {len(ours)} structures, cache des communes vide (charge : {load()}) :")
    for label, values in (
        ("écran (1re page + compteurs)", ours),
        ("écran, compteurs lus sur les candidats (sans les effectifs tenus)", direct),
        ("ancre : SQL naïf orthodromique, page + compte", sql),
        ("référence physique : balayage NumPy", vector),
    ):
        p95_other = percentile(values, 0.95)
        print(
            f"  {label} : p50 {statistics.median(values):.1f} ms · p95 {p95_other:.1f} ms · "
            f"rapport p95 / écran × {p95_other / p95:.2f}"
        )
    print(
        "  effectifs identiques (écran, sans effectifs tenus, SQL, NumPy) : "
        + ("oui" if not mismatches else f"NON {mismatches[:5]}")
    )
    emit(
        f"écran candidats ({args.scale}×), 1re page + compteurs, p95",
        round(p95, 1),
        goal="≤ 30 à 10×",
        anchor=("SQL naïf orthodromique, page + compte", round(percentile(sql, 0.95), 1)),
        reference=("balayage NumPy", round(percentile(vector, 0.95), 1)),
        note="effectifs identiques" if not mismatches else "EFFECTIFS DIFFÉRENTS",
    )

    changes = measure_zone_change(rng, structures, min(50, len(structures)))
    print(
        f"Changement de zone d'un candidat puis écran de la structure ({len(changes)}) : "
        f"p50 {statistics.median(changes):.1f} ms · p95 {percentile(changes, 0.95):.1f} ms"
    )

    if args.no_baseline:
        print(f"Charge moyenne à la fin : {load()}")
        return
    started = time.perf_counter()
    candidates = load_candidates()
    load_ms = (time.perf_counter() - started) * 1000
    sample = structures[: args.baseline_samples]
    naive_ms = []
    from cnum.matching import screen

    for structure in sample:
        started = time.perf_counter()
        count, _ = naive(structure, candidates)
        naive_ms.append((time.perf_counter() - started) * 1000 + load_ms)
        live = screen.build(structure).counts[screen.NEW]
        assert live == count, (structure.pk, live, count)  # same eligibility, both ways
    live_ms, _ = measure_screen(sample, cold=False)
    print(
        f"Référence naïve (tous les candidats chargés : {load_ms:.0f} ms, puis haversine en "
        f"Python) : p50 {statistics.median(naive_ms):.0f} ms ; rapport naïve / écran : "
        f"× {statistics.median(naive_ms) / statistics.median(live_ms):.0f} "
        f"(mêmes effectifs vérifiés sur {len(sample)} structures)"
    )
    print(
        f"Mémoire de pointe : {memory_screen:.0f} Mo avant la référence naïve, "
        f"{peak_mb():.0f} Mo après"
    )
    print(f"Charge moyenne à la fin : {load()}")


if __name__ == "__main__":
    main()
