"""Assignment of available candidates to vacant posts: the most posts filled, then the least
total distance (OR-Tools min-cost flow), and a greedy nearest-first baseline on the same graph.

No Django here: plain numpy arrays in, plain arrays out, so the benchmark and the brute-force
tests drive exactly the code the background task runs.

Size reduction (10× national scale: 400,000 candidates, 30,000 structures):
- interchangeable candidates (same commune, same maximum distance, same availability class)
  form one node whose supply is their number; structures of the same commune and deadline class
  form one node whose demand is their vacant posts. The availability class is the number of
  distinct structure deadlines before the candidate's date (exact up to MAX_CLASSES), so a
  class is eligible for a structure node iff class ≤ the node's deadline rank;
- sparse mode keeps, per territory, the commune pairs (candidate commune, structure commune)
  found by three nearest-neighbour searches: the `k` nearest structure communes of each
  candidate commune, the `k` nearest candidate communes of each structure commune, and the `k`
  nearest candidate communes holding long-reach candidates (≥ LONG_REACH_KM) of each structure
  commune (LONG_REACH_FACTOR × k of those) — the last one lets remote posts reach the few
  candidates ready to move far. The searches use a grid spatial index on the unit vectors
  (exact k nearest; dense blocks only for small sets and the rows the grid cannot prove).
  Every kept pair is then expanded to the eligible (group, structure node) edges, of which an
  edge stays if it is among the LONG_REACH_FACTOR × k shortest of its structure node, or among
  the `k` shortest of its group while within the GROUP_ARC_DEPTH × k shortest of its structure
  node (a big city's hundreds of groups would otherwise multiply with every structure node of
  its neighbours, and a structure node with that many nearer arcs never reaches the others).
"""

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

EARTH_RADIUS_KM = 6371.0088  # same radius as cnum.territories.services.distance_km
# k = 12: on medium instances with plenty of candidates it gives the full graph's optimum
# exactly; with scarce candidates it misses 0.5 % of posts (k = 24: 0.2 %, twice the arcs).
# Measured in bench/allocation.py, figures in bench/README.md.
K_DEFAULT = 12
# Long-reach candidates are few: searching more of them costs little and saves remote posts.
LONG_REACH_FACTOR = 4
LONG_REACH_KM = 100
# Availability classes are exact (one per distinct deadline) up to this many; past it (a year of
# daily deadlines), candidates are grouped by classes of dates, each linked only to deadlines it
# surely meets — never a false suggestion, at worst a missed one. A guard on the node count:
# measured at 10×, 64 coarse classes cost 36 posts out of 40,000 and 6 % more km.
MAX_CLASSES = 366
# A group's k shortest arcs are kept only towards structure nodes that have fewer than
# k × GROUP_ARC_DEPTH nearer arcs: farther down, the node is served before reaching it.
GROUP_ARC_DEPTH = 8
BLOCK_ROWS = 512
# Below this many point pairs the dense neighbour search is as fast as the grid.
GRID_MIN_PAIRS = 4_000_000
GRID_SAMPLE = 256
GRID_PASSES = 3
GRID_MIN_EDGE = 1e-4  # on the unit sphere
EXPAND_CHUNK = 200_000


@dataclass
class Problem:
    """Communes as points; candidates and structures refer to a point by index.

    Dates are integer day numbers (date.toordinal()); a post's deadline is
    max(mission start, today); a candidate is eligible when available on or before it.
    """

    point_lat: np.ndarray
    point_lon: np.ndarray
    point_territory: np.ndarray  # int code: 0 for mainland + Corsica, one per overseas area
    cand_id: np.ndarray
    cand_point: np.ndarray
    cand_max_km: np.ndarray
    cand_available: np.ndarray
    post_id: np.ndarray  # structure ids
    post_point: np.ndarray
    post_vacant: np.ndarray
    post_deadline: np.ndarray


@dataclass
class Solution:
    filled: int = 0
    total_m: int = 0
    # One row per suggested pair: structure id, candidate id, metres.
    pairs: list = field(default_factory=list)
    # Posts filled per structure id.
    filled_by_structure: dict = field(default_factory=dict)


@dataclass
class Outcome:
    optimal: Solution
    greedy: Solution
    stats: dict


def haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _unit_vectors(lat, lon):
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


@dataclass
class _Nodes:
    """Aggregated nodes sorted by point, with the members of each node."""

    point: np.ndarray
    size: np.ndarray  # supply (candidates) or demand (vacant posts)
    attr: np.ndarray  # max km (groups) or unused (structure nodes)
    rank: np.ndarray  # availability class (groups) or deadline rank (structure nodes)
    members: np.ndarray  # member indexes ordered by node
    member_start: np.ndarray
    by_point_start: dict = field(default_factory=dict)


def _group(point, attr, rank, weight, ranks_count, attr_values):
    attr_idx = np.searchsorted(attr_values, attr)
    key = (point.astype(np.int64) * len(attr_values) + attr_idx) * (ranks_count + 1) + rank
    keys, inverse, _ = np.unique(key, return_inverse=True, return_counts=True)
    size = np.bincount(inverse, weights=weight, minlength=len(keys)).astype(np.int64)
    members = np.argsort(inverse, kind="stable")
    member_start = np.concatenate(([0], np.cumsum(np.bincount(inverse, minlength=len(keys)))))
    rank_of = keys % (ranks_count + 1)
    rest = keys // (ranks_count + 1)
    return _Nodes(
        point=rest // len(attr_values),
        size=size,
        attr=attr_values[rest % len(attr_values)],
        rank=rank_of,
        members=members,
        member_start=member_start,
    )


def _csr_by_point(nodes, n_points):
    counts = np.bincount(nodes.point, minlength=n_points)
    start = np.concatenate(([0], np.cumsum(counts)))[:-1]
    return start, counts


def _dense_nearest(a_points, b_points, unit, kk):
    """Brute force: dot products of unit vectors by blocks of rows, `argpartition`. In float64:
    float32 dot products near 1 cannot tell apart distances a few km apart."""
    ub = unit[b_points].T
    out_a, out_b = [], []
    for first in range(0, len(a_points), BLOCK_ROWS):
        rows = a_points[first : first + BLOCK_ROWS]
        dots = unit[rows] @ ub
        if kk < len(b_points):
            idx = np.argpartition(-dots, kk - 1, axis=1)[:, :kk]
        else:
            idx = np.broadcast_to(np.arange(len(b_points)), dots.shape)
        out_a.append(np.repeat(rows, kk))
        out_b.append(b_points[idx].ravel())
    return np.concatenate(out_a), np.concatenate(out_b)


_CUBE = np.array([(x, y, z) for x in (-1, 0, 1) for y in (-1, 0, 1) for z in (-1, 0, 1)])


def _grid_pass(ua, ub, kk, h):
    """One grid pass (cells of edge h): rows, their k nearest b indexes, and which rows are
    proven exact (k-th nearest within h, so no point outside the 27 cells can be nearer)."""
    low = np.minimum(ua.min(0), ub.min(0))
    dims = np.floor((np.maximum(ua.max(0), ub.max(0)) - low) / h).astype(np.int64) + 3
    cell_b = np.floor((ub - low) / h).astype(np.int64) + 1
    key_b = (cell_b[:, 0] * dims[1] + cell_b[:, 1]) * dims[2] + cell_b[:, 2]
    order = np.argsort(key_b, kind="stable")
    sorted_keys = key_b[order]
    around = np.floor((ua - low) / h).astype(np.int64)[:, None, :] + 1 + _CUBE[None, :, :]
    keys = ((around[..., 0] * dims[1] + around[..., 1]) * dims[2] + around[..., 2]).ravel()
    first = np.searchsorted(sorted_keys, keys, "left")
    counts = np.searchsorted(sorted_keys, keys, "right") - first
    keep = counts > 0
    query, first, counts = np.repeat(np.arange(len(ua)), 27)[keep], first[keep], counts[keep]
    rep = np.repeat(np.arange(len(counts)), counts)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(counts) - counts, counts)
    q, j = query[rep], order[first[rep] + offset]
    d2 = (ua[q, 0] - ub[j, 0]) ** 2 + (ua[q, 1] - ub[j, 1]) ** 2 + (ua[q, 2] - ub[j, 2]) ** 2
    # q is sorted and d2 < 4: one float sort orders each row by distance.
    by = np.argsort(q * 8.0 + d2)
    q, j, d2 = q[by], j[by], d2[by]
    rank = np.arange(len(q)) - np.searchsorted(q, q, "left")
    kth = np.full(len(ua), np.inf)
    at_k = rank == kk - 1
    kth[q[at_k]] = d2[at_k]
    exact = kth <= h * h
    take = (rank < kk) & exact[q]
    return q[take], j[take], exact


def _nearest_pairs(a_points, b_points, unit, k):
    """For each point of a_points, its k nearest points of b_points: (a, b) arrays.

    Grid spatial index on the unit vectors (chord length ranks like the great-circle
    distance): b points bucketed in cubic cells of edge h, each a point looking at its 27
    surrounding cells. Every point outside them is farther than h, so a row is exact when its
    k-th nearest found is within h. The first pass sizes h on the median k-th neighbour
    distance of a sample of rows (dense areas stay cheap); rows left over get passes with
    cells twice as large, and the last few the dense search.
    """
    if len(a_points) == 0 or len(b_points) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    kk = min(k, len(b_points))
    if len(a_points) * len(b_points) <= GRID_MIN_PAIRS or kk == len(b_points):
        return _dense_nearest(a_points, b_points, unit, kk)
    ua, ub = unit[a_points], unit[b_points]
    sample = ua[:: max(1, len(a_points) // GRID_SAMPLE)][:GRID_SAMPLE]
    d2_sample = np.maximum(2 - 2 * (sample @ ub.T), 0)
    # At least GRID_MIN_EDGE (≈ 640 m): bounds the number of cells (keys stay in int64).
    h = max(np.sqrt(np.median(np.partition(d2_sample, kk - 1, axis=1)[:, kk - 1])), GRID_MIN_EDGE)
    out_a, out_b = [], []
    rows = np.arange(len(a_points))
    for _ in range(GRID_PASSES):
        q, j, exact = _grid_pass(ua[rows], ub, kk, h)
        out_a.append(a_points[rows[q]])
        out_b.append(b_points[j])
        rows = rows[~exact]
        if not len(rows):
            break
        h *= 2
    if len(rows):
        rest_a, rest_b = _dense_nearest(a_points[rows], b_points, unit, kk)
        out_a.append(rest_a)
        out_b.append(rest_b)
    return np.concatenate(out_a), np.concatenate(out_b)


def _expand(pa, pb, problem, groups, snodes, g_csr, s_csr):
    """Eligible (group, structure node, metres) edges of the commune pairs (pa, pb)."""
    edges_g, edges_s, edges_m = [], [], []
    # Groups are sorted by (point, max km, class): those of a commune reaching a distance d
    # form the tail of its block, found by a search on the (point, max km index) key.
    attr_values = np.unique(groups.attr)
    n_attr = max(len(attr_values), 1)
    point_attr = groups.point.astype(np.int64) * n_attr + np.searchsorted(attr_values, groups.attr)
    for first in range(0, len(pa), EXPAND_CHUNK):
        a, b = pa[first : first + EXPAND_CHUNK], pb[first : first + EXPAND_CHUNK]
        km = haversine_km(
            problem.point_lat[a], problem.point_lon[a], problem.point_lat[b], problem.point_lon[b]
        )
        g_first = np.searchsorted(
            point_attr, a.astype(np.int64) * n_attr + np.searchsorted(attr_values, km), "left"
        )
        cg, cs = g_csr[0][a] + g_csr[1][a] - g_first, s_csr[1][b]
        n = cg * cs
        keep = n > 0
        a, b, km, cg, cs, n = a[keep], b[keep], km[keep], cg[keep], cs[keep], n[keep]
        g_first = g_first[keep]
        if not len(n):
            continue
        rep = np.repeat(np.arange(len(n)), n)
        offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        gi = g_first[rep] + offset // cs[rep]
        si = s_csr[0][b][rep] + offset % cs[rep]
        dist = km[rep]
        ok = (dist <= groups.attr[gi]) & (groups.rank[gi] <= snodes.rank[si])
        edges_g.append(gi[ok])
        edges_s.append(si[ok])
        edges_m.append(np.rint(dist[ok] * 1000).astype(np.int64))
    if not edges_g:
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    return np.concatenate(edges_g), np.concatenate(edges_s), np.concatenate(edges_m)


def _commune_pairs(problem, groups, snodes, k, full):
    """Candidate commune × structure commune pairs to consider, per territory."""
    unit = _unit_vectors(problem.point_lat, problem.point_lon)
    all_a, all_b = [], []
    g_points, s_points = np.unique(groups.point), np.unique(snodes.point)
    long_points = np.unique(groups.point[groups.attr >= LONG_REACH_KM])
    territory = problem.point_territory
    for t in np.unique(territory[s_points]):
        cp, sp = g_points[territory[g_points] == t], s_points[territory[s_points] == t]
        if full:
            all_a.append(np.repeat(cp, len(sp)))
            all_b.append(np.tile(sp, len(cp)))
            continue
        a1, b1 = _nearest_pairs(cp, sp, unit, k)
        b2, a2 = _nearest_pairs(sp, cp, unit, k)
        b3, a3 = _nearest_pairs(
            sp, long_points[territory[long_points] == t], unit, k * LONG_REACH_FACTOR
        )
        all_a += [a1, a2, a3]
        all_b += [b1, b2, b3]
    if not all_a:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    a, b = np.concatenate(all_a), np.concatenate(all_b)
    n_points = len(problem.point_lat)
    unique = np.unique(a.astype(np.int64) * n_points + b)
    return unique // n_points, unique % n_points


def _rank_in_node(nodes, metres):
    """Rank of each edge among the edges of its node (`nodes[e]`), shortest first."""
    # One sort on a packed key (node, metres): metres < 2**32, node ids are non-negative.
    order = np.argsort((nodes.astype(np.int64) << 32) | metres)
    sorted_nodes = nodes[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_nodes[1:] != sorted_nodes[:-1])))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - np.repeat(starts, np.diff(np.append(starts, len(order))))
    return rank


def _disaggregate(flows, edges_g, edges_s, edges_m, problem, groups, snodes):
    solution = Solution()
    g_next = groups.member_start[:-1].copy()
    # Remaining vacant posts of each structure, consumed in node order.
    s_remaining = problem.post_vacant.astype(np.int64).copy()
    s_next = snodes.member_start[:-1].copy()
    for e in np.flatnonzero(flows):
        g, s, count = edges_g[e], edges_s[e], int(flows[e])
        metres = int(edges_m[e])
        for _ in range(count):
            candidate = problem.cand_id[groups.members[g_next[g]]]
            g_next[g] += 1
            while s_remaining[snodes.members[s_next[s]]] == 0:
                s_next[s] += 1
            post = snodes.members[s_next[s]]
            s_remaining[post] -= 1
            structure = int(problem.post_id[post])
            solution.pairs.append((structure, int(candidate), metres))
            solution.filled_by_structure[structure] = (
                solution.filled_by_structure.get(structure, 0) + 1
            )
        solution.filled += count
        solution.total_m += count * metres
    return solution


def _greedy_flows(edges_g, edges_s, edges_m, groups, snodes):
    # Plain Python lists: element access on numpy arrays is several times slower in a loop.
    supply, demand = groups.size.tolist(), snodes.size.tolist()
    heads, tails = edges_g.tolist(), edges_s.tolist()
    flows = np.zeros(len(edges_g), np.int64)
    remaining = min(sum(supply), sum(demand))
    for e in np.argsort(edges_m, kind="stable").tolist():
        if remaining == 0:
            break
        g, s = heads[e], tails[e]
        amount = min(supply[g], demand[s])
        if amount:
            flows[e] = amount
            supply[g] -= amount
            demand[s] -= amount
            remaining -= amount
    return flows


def _optimal_flows(edges_g, edges_s, edges_m, groups, snodes):
    n_g, n_s = len(groups.size), len(snodes.size)
    flow = min_cost_flow.SimpleMinCostFlow()
    if len(edges_g):
        caps = np.minimum(groups.size[edges_g], snodes.size[edges_s])
        flow.add_arcs_with_capacity_and_unit_cost(edges_g, n_g + edges_s, caps, edges_m)
    else:
        return np.zeros(0, np.int64)
    flow.set_nodes_supplies(
        np.arange(n_g + n_s), np.concatenate((groups.size, -snodes.size)).astype(np.int64)
    )
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed (status {status})")
    return np.asarray(flow.flows(np.arange(len(edges_g))), dtype=np.int64)


class _Clock:
    def __init__(self, timings):
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, step):
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[step] = self.timings.get(step, 0) + now - self.last
        self.last = now


def availability_boundaries(deadlines):
    """The dates that define availability classes: every distinct deadline when there are at
    most MAX_CLASSES, else MAX_CLASSES of them spread over the quantiles (always the last)."""
    distinct = np.unique(deadlines)
    if len(distinct) <= MAX_CLASSES:
        return distinct
    picks = np.linspace(0, len(distinct) - 1, MAX_CLASSES).round().astype(np.int64)
    return distinct[np.unique(picks)]


def nodes(problem):
    """Candidate groups and structure nodes (see the module docstring)."""
    boundaries = availability_boundaries(problem.post_deadline)
    # class c = boundaries below the availability date, so availability ≤ boundaries[c];
    # rank r = last boundary on or before the deadline, so boundaries[r] ≤ deadline. Hence
    # c ≤ r guarantees availability ≤ deadline (exact when every deadline is a boundary).
    cand_class = np.searchsorted(boundaries, problem.cand_available, "left")
    post_rank = np.searchsorted(boundaries, problem.post_deadline, "right") - 1
    n_ranks = len(boundaries)
    groups = _group(
        problem.cand_point,
        problem.cand_max_km,
        cand_class,
        np.ones(len(problem.cand_id)),
        n_ranks,
        np.unique(problem.cand_max_km) if len(problem.cand_max_km) else np.array([0]),
    )
    snodes = _group(
        problem.post_point,
        np.zeros(len(problem.post_id), np.int64),
        post_rank,
        problem.post_vacant.astype(float),
        n_ranks,
        np.array([0]),
    )
    return groups, snodes


def solve(problem, k=K_DEFAULT, full=False, timings=None):
    """Optimal and greedy assignments. `full=True` keeps every eligible pair (small cases).

    `timings`, when a dict, receives the seconds spent in each step (bench/allocation.py)."""
    clock = _Clock(timings)
    groups, snodes = nodes(problem)
    n_points = len(problem.point_lat)
    g_csr, s_csr = _csr_by_point(groups, n_points), _csr_by_point(snodes, n_points)
    clock("nodes")
    pa, pb = _commune_pairs(problem, groups, snodes, k, full)
    clock("neighbours")
    edges_g, edges_s, edges_m = _expand(pa, pb, problem, groups, snodes, g_csr, s_csr)
    # Nodes without vacancy carry no flow; drop their arcs.
    useful = snodes.size[edges_s] > 0
    edges_g, edges_s, edges_m = edges_g[useful], edges_s[useful], edges_m[useful]
    if not full:
        rank_s = _rank_in_node(edges_s, edges_m)
        keep = (rank_s < k * LONG_REACH_FACTOR) | (
            (rank_s < k * GROUP_ARC_DEPTH) & (_rank_in_node(edges_g, edges_m) < k)
        )
        edges_g, edges_s, edges_m = edges_g[keep], edges_s[keep], edges_m[keep]
    clock("graph")
    optimal_flows = _optimal_flows(edges_g, edges_s, edges_m, groups, snodes)
    clock("flow")
    greedy_flows = _greedy_flows(edges_g, edges_s, edges_m, groups, snodes)
    clock("greedy")
    stats = {
        "candidates": int(len(problem.cand_id)),
        "candidate_groups": int(len(groups.size)),
        "structures": int(len(problem.post_id)),
        "structure_nodes": int(len(snodes.size)),
        "edges": int(len(edges_g)),
        "posts_vacant": int(problem.post_vacant.sum()),
        "k": None if full else k,
    }
    optimal = _disaggregate(optimal_flows, edges_g, edges_s, edges_m, problem, groups, snodes)
    greedy = _disaggregate(greedy_flows, edges_g, edges_s, edges_m, problem, groups, snodes)
    clock("pairs")
    return Outcome(optimal=optimal, greedy=greedy, stats=stats)
