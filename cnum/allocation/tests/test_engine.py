"""The engine against brute force on small random cases, and its constraints."""

import itertools
import random

import numpy as np
import pytest

from cnum.allocation.engine import Problem, haversine_km, solve


def random_problem(rng):
    n_points = rng.randint(2, 6)
    lat = np.array([45 + rng.uniform(-0.4, 0.4) for _ in range(n_points)])
    lon = np.array([4.8 + rng.uniform(-0.4, 0.4) for _ in range(n_points)])
    # Some points are in another territory (an overseas département): never matched across.
    territory = np.array([rng.choice([0, 0, 0, 971]) for _ in range(n_points)])
    c, s = rng.randint(1, 6), rng.randint(1, 4)
    return Problem(
        point_lat=lat,
        point_lon=lon,
        point_territory=territory,
        cand_id=np.arange(c) + 100,
        cand_point=np.array([rng.randrange(n_points) for _ in range(c)]),
        cand_max_km=np.array([rng.choice([5, 10, 20, 40, 100, 2000]) for _ in range(c)]),
        cand_available=np.array([rng.randint(0, 10) for _ in range(c)]),
        post_id=np.arange(s) + 1,
        post_point=np.array([rng.randrange(n_points) for _ in range(s)]),
        post_vacant=np.array([rng.randint(1, 2) for _ in range(s)]),
        post_deadline=np.array([rng.randint(3, 10) for _ in range(s)]),
    )


def eligible(p, c, s):
    a, b = p.cand_point[c], p.post_point[s]
    if p.point_territory[a] != p.point_territory[b]:
        return None
    km = haversine_km(p.point_lat[a], p.point_lon[a], p.point_lat[b], p.point_lon[b])
    if km <= p.cand_max_km[c] and p.cand_available[c] <= p.post_deadline[s]:
        return int(np.rint(km * 1000))
    return None


def brute_force(p):
    """Every assignment of each candidate to a post or to none: most posts, then fewest metres."""
    options = []
    for c in range(len(p.cand_id)):
        reachable = [(s, eligible(p, c, s)) for s in range(len(p.post_id))]
        options.append([None] + [(s, m) for s, m in reachable if m is not None])
    best = (0, 0)
    for combo in itertools.product(*options):
        used = [0] * len(p.post_id)
        filled = metres = 0
        for choice in combo:
            if choice is not None:
                used[choice[0]] += 1
                filled += 1
                metres += choice[1]
        fits = all(u <= v for u, v in zip(used, p.post_vacant, strict=True))
        if fits and (filled > best[0] or (filled == best[0] and metres < best[1])):
            best = (filled, metres)
    return best


@pytest.mark.parametrize("seed", range(150))
def test_optimal_matches_brute_force_and_greedy_is_never_better(seed):
    problem = random_problem(random.Random(seed))
    outcome = solve(problem, full=True)
    assert (outcome.optimal.filled, outcome.optimal.total_m) == brute_force(problem)
    greedy = outcome.greedy
    assert greedy.filled < outcome.optimal.filled or greedy.total_m >= outcome.optimal.total_m
    # On these small cases the sparse graph keeps every useful pair: same optimum.
    sparse = solve(problem, k=8)
    assert (sparse.optimal.filled, sparse.optimal.total_m) == brute_force(problem)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("k", [1, 3])
def test_every_suggestion_respects_the_rules(seed, k):
    problem = random_problem(random.Random(1000 + seed))
    outcome = solve(problem, k=k)
    index_c = {cid: i for i, cid in enumerate(problem.cand_id)}
    index_s = {sid: i for i, sid in enumerate(problem.post_id)}
    for solution in (outcome.optimal, outcome.greedy):
        candidates = [c for _, c, _ in solution.pairs]
        assert len(candidates) == len(set(candidates))  # one post per candidate
        per_structure = {}
        for structure, candidate, metres in solution.pairs:
            c, s = index_c[candidate], index_s[structure]
            assert eligible(problem, c, s) == metres  # distance, territory, availability
            per_structure[structure] = per_structure.get(structure, 0) + 1
        for structure, count in per_structure.items():
            assert count <= problem.post_vacant[index_s[structure]]
        assert solution.filled == len(solution.pairs)
        assert solution.total_m == sum(m for *_, m in solution.pairs)


def test_overseas_candidates_never_cross_even_within_reach():
    # Two points 1 km apart but in different territories.
    problem = Problem(
        point_lat=np.array([16.0, 16.009]),
        point_lon=np.array([-61.7, -61.7]),
        point_territory=np.array([971, 972]),
        cand_id=np.array([1]),
        cand_point=np.array([0]),
        cand_max_km=np.array([2000]),
        cand_available=np.array([0]),
        post_id=np.array([10]),
        post_point=np.array([1]),
        post_vacant=np.array([1]),
        post_deadline=np.array([5]),
    )
    assert solve(problem).optimal.filled == 0


def test_optimum_fills_more_than_nearest_first():
    # Candidate A is nearest to S1 but also reaches S2; B only reaches S1. Greedy gives S1 to A
    # and leaves S2 empty; the optimum sends A to S2 and B to S1.
    problem = Problem(
        point_lat=np.array([45.0, 45.01, 45.2]),
        point_lon=np.array([4.8, 4.8, 4.8]),
        point_territory=np.array([0, 0, 0]),
        cand_id=np.array([1, 2]),
        cand_point=np.array([0, 1]),
        cand_max_km=np.array([40, 5]),
        cand_available=np.array([0, 0]),
        post_id=np.array([10, 20]),
        post_point=np.array([0, 2]),
        post_vacant=np.array([1, 1]),
        post_deadline=np.array([5, 5]),
    )
    outcome = solve(problem)
    assert outcome.greedy.filled == 1
    assert outcome.optimal.filled == 2
    assert sorted(outcome.optimal.pairs)[0][:2] == (10, 2)


def test_empty_inputs():
    empty = np.array([], np.int64)
    problem = Problem(
        np.array([45.0]), np.array([4.8]), np.array([0]), empty, empty, empty, empty,
        empty, empty, empty, empty,
    )  # fmt: skip
    outcome = solve(problem)
    assert outcome.optimal.filled == outcome.greedy.filled == 0


@pytest.mark.parametrize("k", [1, 5, 40])
def test_grid_neighbour_search_is_exact(monkeypatch, k):
    """The grid index finds the same k-th nearest distance as a full scan, on clustered and
    sparse points alike (rows it cannot prove go to the dense search)."""
    from cnum.allocation import engine

    monkeypatch.setattr(engine, "GRID_MIN_PAIRS", 0)
    rng = np.random.default_rng(k)
    # A dense cluster (a city) and scattered points (the countryside), mainland-sized.
    lat = np.concatenate((48.85 + rng.normal(0, 0.05, 300), rng.uniform(42.5, 51, 700)))
    lon = np.concatenate((2.35 + rng.normal(0, 0.05, 300), rng.uniform(-4.5, 8, 700)))
    unit = engine._unit_vectors(lat, lon)
    a_points, b_points = np.arange(0, 1000, 2), np.arange(1, 1000, 2)
    pa, pb = engine._nearest_pairs(a_points, b_points, unit, k)
    assert np.array_equal(np.bincount(pa, minlength=1000)[a_points], np.full(len(a_points), k))
    found = haversine_km(lat[pa], lon[pa], lat[pb], lon[pb])
    for a in a_points[::25]:
        full = np.sort(haversine_km(lat[a], lon[a], lat[b_points], lon[b_points]))
        assert found[pa == a].max() == pytest.approx(full[k - 1], abs=1e-6)
