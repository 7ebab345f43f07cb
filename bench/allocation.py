"""Benchmark of the national allocation (cnum.allocation.engine), optimum against greedy.

    uv run python bench/allocation.py                  # engine: national, 10×, sparse-vs-full gap
    uv run python bench/allocation.py --db 10x         # + end to end through the database
    DATABASE_URL=postgres://…/cnum_dev uv run python bench/allocation.py --db 10x

Engine cases draw candidates and structures over the real commune reference (the packaged data
file, no database): candidates weighted by population, structures by its square root, maximum
distances and availability dates spread like the programme's. Each case runs in its own process
so its peak memory (max RSS, interpreter and numpy included) is its own.

`--db national|10x` fills the bench database (var/bench_allocation.sqlite3, or
bench_allocation next to DATABASE_URL's PostgreSQL) with bench/scale.py's generator (reused
while the sizes match), then times services.compute (loading, solving, storing) with the load
average at start, the process CPU time and each step's seconds, and prints beside the optimum,
on the same data, the greedy baseline and a lower bound on the total distance over the complete
eligible graph (`lower_bound`), with the ratios.
"""

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from results import emit  # noqa: E402

DATA = ROOT / "cnum" / "territories" / "data" / "territoires.json.gz"
DISTANCES = [5, 10, 15, 20, 40, 100, 2000]
DISTANCE_WEIGHTS = [0.1, 0.15, 0.15, 0.2, 0.2, 0.1, 0.1]
TODAY = 739_000  # an arbitrary day number: only differences matter

# name: (candidates, structures, posts, mode)
CASES = {
    "national": (40_000, 3_000, 4_000, "sparse"),
    "10x": (400_000, 30_000, 40_000, "sparse"),
    # Medium instances for the sparsification gap, in both regimes: plenty of candidates, and
    # scarce candidates (1.5 per post), where long-distance moves decide how many posts fill.
    "medium-rich": (8_000, 800, 1_000, "both"),
    "medium-scarce": (1_500, 800, 1_000, "both"),
}


def communes():
    data = json.loads(gzip.decompress(DATA.read_bytes()))
    rows = [c for c in data["communes"] if c["type"] == "COM"]
    lat = np.array([c["lat"] for c in rows])
    lon = np.array([c["lon"] for c in rows])
    territory = np.array(
        [int(c["departement"]) if c["departement"].startswith("97") else 0 for c in rows]
    )
    population = np.array([c["population"] for c in rows], float) + 1
    return lat, lon, territory, population


def generate(candidates, structures, posts, seed=2026):
    from cnum.allocation.engine import Problem

    lat, lon, territory, population = communes()
    rng = np.random.default_rng(seed)
    cand_point = rng.choice(len(lat), candidates, p=population / population.sum())
    weight = np.sqrt(population)
    post_point = rng.choice(len(lat), structures, p=weight / weight.sum())
    vacant = np.ones(structures, np.int64)
    np.add.at(vacant, rng.choice(structures, posts - structures), 1)
    return Problem(
        point_lat=lat,
        point_lon=lon,
        point_territory=territory,
        cand_id=np.arange(candidates),
        cand_point=cand_point,
        cand_max_km=rng.choice(DISTANCES, candidates, p=DISTANCE_WEIGHTS),
        cand_available=TODAY + rng.integers(-60, 180, candidates),
        post_id=np.arange(structures),
        post_point=post_point,
        post_vacant=vacant,
        post_deadline=TODAY + rng.integers(0, 120, structures),
    )


def lower_bound(problem, filled):
    """Lower bound on the total distance of any assignment filling `filled` posts, over the
    complete eligible graph (every candidate, every structure: no sparsification).

    It is the optimum of the LP relaxation that drops the candidates' capacities across
    structures (each post may take its nearest eligible candidate even if another post takes
    it too); its optimum is separable: each structure node's cheapest eligible units (exact,
    proven by a radius certificate or a complete scan), then the `filled` cheapest of all.
    Also returns the posts that relaxation can fill (an upper bound on any fill).
    Returns (metres, fillable, seconds)."""
    from cnum.allocation import engine

    started = time.perf_counter()
    groups, snodes = engine.nodes(problem)
    n_points = len(problem.point_lat)
    g_csr = engine._csr_by_point(groups, n_points)
    s_csr = engine._csr_by_point(snodes, n_points)
    unit = engine._unit_vectors(problem.point_lat, problem.point_lon)
    territory = problem.point_territory
    g_points = np.unique(groups.point)
    units = []  # cost of each relaxed unit, all structure nodes
    todo = np.unique(snodes.point[snodes.size > 0])
    for k in (64, 1024, None):  # None: every candidate commune of the territory
        if not len(todo):
            break
        pa, pb = [], []
        for t in np.unique(territory[todo]):
            sp, cp = todo[territory[todo] == t], g_points[territory[g_points] == t]
            if k is None or k >= len(cp):
                pa.append(np.tile(cp, len(sp)))
                pb.append(np.repeat(sp, len(cp)))
            else:
                b, a = engine._nearest_pairs(sp, cp, unit, k)
                pa.append(a)
                pb.append(b)
        pa, pb = np.concatenate(pa), np.concatenate(pb)
        # Radius searched around each structure commune (inf: complete scan).
        radius = np.full(n_points, np.inf)
        if k is not None:
            km = engine.haversine_km(
                problem.point_lat[pa],
                problem.point_lon[pa],
                problem.point_lat[pb],
                problem.point_lon[pb],
            )
            reach = np.zeros(n_points)
            np.maximum.at(reach, pb, km)
            radius = np.where(np.bincount(pb, minlength=n_points) >= k, reach, np.inf)
        eg, es, em = engine._expand(pa, pb, problem, groups, snodes, g_csr, s_csr)
        order = np.lexsort((em, es))
        eg, es, em = eg[order], es[order], em[order]
        size = groups.size[eg]
        total = np.cumsum(size)
        first = np.searchsorted(es, es, "left")
        before = total - size - (total[first] - size[first])
        take = np.clip(snodes.size[es] - before, 0, size)
        got = np.bincount(es, weights=take, minlength=len(snodes.size))
        used = take > 0
        last = np.zeros(len(snodes.size))
        np.maximum.at(last, es[used], em[used] / 1000)
        # A node is settled when its units all lie within the searched radius (candidates
        # farther away cannot be cheaper), or when the scan was complete.
        node_radius = radius[snodes.point]
        settled = np.isinf(node_radius) | ((got >= snodes.size) & (last <= node_radius))
        settled_point = np.ones(n_points, bool)
        np.logical_and.at(settled_point, snodes.point, settled)
        done = settled_point[snodes.point[es]] & used
        units.append(np.repeat(em[done], take[done].astype(np.int64)))
        todo = todo[~settled_point[todo]]
    units = np.sort(np.concatenate(units)) if units else np.empty(0, np.int64)
    bound = int(units[:filled].sum()) if filled <= len(units) else None
    return bound, len(units), time.perf_counter() - started


def run_case(name, k, full):
    """One solve in this process; prints one JSON line."""
    from cnum.allocation.engine import solve

    candidates, structures, posts, _ = CASES[name]
    problem = generate(candidates, structures, posts)
    started = time.perf_counter()
    outcome = solve(problem, k=k, full=full)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "case": name,
                "mode": "full" if full else f"k={k}",
                "seconds": round(seconds, 2),
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "posts": posts,
                "optimal_filled": outcome.optimal.filled,
                "optimal_km": round(outcome.optimal.total_m / 1000),
                "greedy_filled": outcome.greedy.filled,
                "greedy_km": round(outcome.greedy.total_m / 1000),
                **{key: outcome.stats[key] for key in ("candidate_groups", "edges")},
            }
        )
    )


def spawn(name, k, full=False):
    args = [sys.executable, __file__, "--case", name, "--k", str(k)] + (["--full"] if full else [])
    # Our own script, with arguments we built: no untrusted input.
    output = subprocess.run(args, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def print_row(r):
    print(
        f"{r['case']:14} {r['mode']:6} {r['seconds']:7.1f} s {r['max_rss_mb']:6} Mo  "
        f"optimum {r['optimal_filled']:6}/{r['posts']} {r['optimal_km']:8} km  "
        f"glouton {r['greedy_filled']:6} {r['greedy_km']:8} km  "
        f"groupes {r['candidate_groups']:7} arcs {r['edges']:9}"
    )


def engine_bench(k, cases):
    from cnum.allocation.engine import K_DEFAULT

    k = k or K_DEFAULT
    for name in cases:
        mode = CASES[name][3]
        if mode in ("sparse", "both"):
            print_row(spawn(name, k))
        if mode == "both":
            for other in (4, 2 * k, 4 * k):
                print_row(spawn(name, other))
            print_row(spawn(name, k, full=True))


def db_bench(scale):
    """End to end on the bench database: load the scope, solve, store (services.compute)."""
    from bench.scale import ensure, setup_django

    setup_django("bench_allocation")
    from django.db import connection

    from cnum.allocation import services
    from cnum.allocation.models import AllocationRun, Scope

    candidates, structures, posts, _ = CASES[scale]
    seconds = ensure(candidates=candidates, structures=structures, posts=posts, seed=2026)
    generated = "réutilisées" if seconds is None else f"générées en {seconds:.0f} s"
    print(f"{connection.vendor} — données {scale} {generated}")
    AllocationRun.objects.all().delete()  # previous bench runs (their rows point to the data)
    run = AllocationRun.objects.create(scope=Scope.NATIONAL)
    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    services.compute(run)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    steps = " ; ".join(f"{step} {s:.1f}" for step, s in run.stats["seconds"].items())
    print(
        f"  charge au départ {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1, 5, 15 min)\n"
        f"  compute (chargement + calcul + enregistrement) {total:.1f} s "
        f"(temps CPU du processus {cpu:.1f} s) — {steps} ; "
        f"{run.candidates_available} candidats, {run.posts_vacant} postes vacants, "
        f"k = {run.stats['k']}, {run.stats['edges']} arcs ; "
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} Mo"
    )
    # Anchors, same data: the greedy baseline (same graph) and the lower bound (complete graph).
    problem = services.build_problem(run)[0]
    bound, fillable, bound_seconds = lower_bound(problem, run.optimal_filled)
    ours = run.optimal_metres
    print(
        f"  optimum {run.optimal_filled} postes, {ours / 1000:.0f} km ; "
        f"glouton {run.greedy_filled} postes, {run.greedy_metres / 1000:.0f} km "
        f"(km glouton / optimum {run.greedy_metres / max(ours, 1):.3f}) ; "
        f"borne inférieure {bound / 1000:.0f} km pour {run.optimal_filled} postes "
        f"(optimum / borne {ours / max(bound, 1):.3f} ; relaxation pourvoit au plus {fillable}) "
        f"calculée en {bound_seconds:.1f} s"
    )
    emit(
        f"répartition {scale} ({run.candidates_available} candidats), de bout en bout",
        round(total, 1),
        unit="s",
        goal="≤ 20 à 10×",
        note=f"temps CPU {cpu:.1f} s",
    )
    emit(
        f"répartition {scale} : distance totale ({run.optimal_filled} postes)",
        round(ours / 1000),
        unit="km",
        goal="optimum",
        anchor=(f"glouton ({run.greedy_filled} postes)", round(run.greedy_metres / 1000)),
        reference=("borne inférieure (relaxation)", round(bound / 1000)),
    )
    AllocationRun.objects.all().delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--k", type=int, default=0)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--db", choices=["national", "10x"], nargs="?", const="national")
    parser.add_argument("--only", nargs="*", default=list(CASES))
    options = parser.parse_args()
    if options.case:
        from cnum.allocation.engine import K_DEFAULT

        run_case(options.case, options.k or K_DEFAULT, options.full)
        return
    engine_bench(options.k, options.only)
    if options.db:
        db_bench(options.db)


if __name__ == "__main__":
    main()
