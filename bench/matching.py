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
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import ensure, setup_django  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_screen(structures, cold):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cnum.matching import screen
    from cnum.matching.eligibility import _bucket_codes, local_communes

    durations, queries = [], []
    for structure in structures:
        if cold:
            local_communes.cache_clear()
            _bucket_codes.cache_clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            screen.build(structure)
            durations.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
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
    print(f"Base : {connection.vendor} — {sizes}")
    seconds = ensure(**sizes, seed=args.seed)
    print("Données réutilisées." if seconds is None else f"Génération : {seconds:.0f} s")

    rng = random.Random(args.seed)  # noqa: S311 (sampling, not secrets)
    ids = list(Structure.objects.filter(status="VALIDATION_COSELEC").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(args.samples, len(ids)))
    structures = list(
        Structure.objects.filter(pk__in=chosen).select_related("commune__departement")
    )
    measure_screen(structures[:10], cold=False)  # connection, first compilations
    for label, cold in (("cache des communes vide", True), ("cache chaud", False)):
        durations, queries = measure_screen(structures, cold)
        print(
            f"Écran candidats, 1re page + compteurs ({label}, {len(structures)} structures) : "
            f"p50 {statistics.median(durations):.1f} ms · p95 {percentile(durations, 0.95):.1f} ms"
            f" · max {max(durations):.0f} ms · requêtes {min(queries)}–{max(queries)}"
        )
    memory_screen = peak_mb()

    changes = measure_zone_change(rng, structures, min(50, len(structures)))
    print(
        f"Changement de zone d'un candidat puis écran de la structure ({len(changes)}) : "
        f"p50 {statistics.median(changes):.1f} ms · p95 {percentile(changes, 0.95):.1f} ms"
    )

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


if __name__ == "__main__":
    main()
