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
  candidates ready to move far.
  Every kept pair is then expanded to the eligible (group, structure node) edges, of which an
  edge stays if it is among the `k` shortest of its group or the LONG_REACH_FACTOR × k
  shortest of its structure node (a big city's hundreds of groups would otherwise multiply
  with every structure node of its neighbours).
"""

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
BLOCK_ROWS = 512
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


def _nearest_pairs(a_points, b_points, unit, k):
    """For each point of a_points, its k nearest points of b_points: (a, b) arrays."""
    if len(a_points) == 0 or len(b_points) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    kk = min(k, len(b_points))
    # float32 halves the memory traffic; it only ranks neighbours (distances are recomputed
    # exactly in float64 before any eligibility test).
    unit = unit.astype(np.float32)
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


def _expand(pa, pb, problem, groups, snodes, g_csr, s_csr):
    """Eligible (group, structure node, metres) edges of the commune pairs (pa, pb)."""
    edges_g, edges_s, edges_m = [], [], []
    for first in range(0, len(pa), EXPAND_CHUNK):
        a, b = pa[first : first + EXPAND_CHUNK], pb[first : first + EXPAND_CHUNK]
        km = haversine_km(
            problem.point_lat[a], problem.point_lon[a], problem.point_lat[b], problem.point_lon[b]
        )
        cg, cs = g_csr[1][a], s_csr[1][b]
        n = cg * cs
        keep = n > 0
        a, b, km, cg, cs, n = a[keep], b[keep], km[keep], cg[keep], cs[keep], n[keep]
        if not len(n):
            continue
        rep = np.repeat(np.arange(len(n)), n)
        offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        gi = g_csr[0][a][rep] + offset // cs[rep]
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


def _nearest_per_node(nodes, metres, k):
    """Mask of the edges among the `k` shortest of their node (`nodes[e]`)."""
    order = np.lexsort((metres, nodes))
    sorted_nodes = nodes[order]
    first = np.searchsorted(sorted_nodes, sorted_nodes, "left")
    keep = np.zeros(len(nodes), bool)
    keep[order[np.arange(len(order)) - first < k]] = True
    return keep


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


def availability_boundaries(deadlines):
    """The dates that define availability classes: every distinct deadline when there are at
    most MAX_CLASSES, else MAX_CLASSES of them spread over the quantiles (always the last)."""
    distinct = np.unique(deadlines)
    if len(distinct) <= MAX_CLASSES:
        return distinct
    picks = np.linspace(0, len(distinct) - 1, MAX_CLASSES).round().astype(np.int64)
    return distinct[np.unique(picks)]


def solve(problem, k=K_DEFAULT, full=False):
    """Optimal and greedy assignments. `full=True` keeps every eligible pair (small cases)."""
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
    n_points = len(problem.point_lat)
    g_csr, s_csr = _csr_by_point(groups, n_points), _csr_by_point(snodes, n_points)
    pa, pb = _commune_pairs(problem, groups, snodes, k, full)
    edges_g, edges_s, edges_m = _expand(pa, pb, problem, groups, snodes, g_csr, s_csr)
    # Nodes without vacancy carry no flow; drop their arcs.
    useful = snodes.size[edges_s] > 0
    edges_g, edges_s, edges_m = edges_g[useful], edges_s[useful], edges_m[useful]
    if not full:
        keep = _nearest_per_node(edges_g, edges_m, k) | _nearest_per_node(
            edges_s, edges_m, k * LONG_REACH_FACTOR
        )
        edges_g, edges_s, edges_m = edges_g[keep], edges_s[keep], edges_m[keep]
    optimal_flows = _optimal_flows(edges_g, edges_s, edges_m, groups, snodes)
    greedy_flows = _greedy_flows(edges_g, edges_s, edges_m, groups, snodes)
    stats = {
        "candidates": int(len(problem.cand_id)),
        "candidate_groups": int(len(groups.size)),
        "structures": int(len(problem.post_id)),
        "structure_nodes": int(len(snodes.size)),
        "edges": int(len(edges_g)),
        "posts_vacant": int(problem.post_vacant.sum()),
        "k": None if full else k,
    }
    return Outcome(
        optimal=_disaggregate(optimal_flows, edges_g, edges_s, edges_m, problem, groups, snodes),
        greedy=_disaggregate(greedy_flows, edges_g, edges_s, edges_m, problem, groups, snodes),
        stats=stats,
    )
