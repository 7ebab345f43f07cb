"""The two hot queries of the candidates screen, in SQL with bound parameters.

Built by the ORM, the OR of the max-distance buckets made SQLite scan the whole table, and
compiling thousands of commune codes took longer than running the query. Here each bucket is its
own SELECT over the partial index `candidate_eligible` (max_distance_km, commune_id),
glued with UNION ALL. Identifiers come from the models; every value is a bound parameter.
"""

from django.db import connection

from cnum.accounts.models import User
from cnum.candidates.models import CandidateProfile
from cnum.matching.eligibility import BUCKETS, NATIONAL
from cnum.matching.models import EligibleDepartementTally, EligibleTally
from cnum.territories.models import Commune

q = connection.ops.quote_name
CANDIDATES = q(CandidateProfile._meta.db_table)
COMMUNES = q(Commune._meta.db_table)
USERS = q(User._meta.db_table)
TALLY = q(EligibleTally._meta.db_table)
DEPARTEMENT_TALLY = q(EligibleDepartementTally._meta.db_table)
ACTIVE = "c.is_available AND c.activated_at IS NOT NULL"  # the partial index's own condition
# Counts without the manager's filters come from the tallies (bench/matching.py turns this off to
# measure counting the candidates side by side).
USE_TALLY = True


def _in(column, values):
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _like(word):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filters_sql(filters, excluded=()):
    """The manager's filters (and candidates to leave out) as SQL on alias `c`."""
    parts, params = [], []
    if filters.diploma:
        parts.append("c.has_diploma")
    if filters.pix_min:
        parts.append("c.pix_level >= %s")
        params.append(filters.pix_min)
    if filters.has_cv:
        parts.append("c.cv_file <> ''")
    if filters.former:
        parts.append("c.is_former_conseiller")
    for word in filters.name.split()[:5]:
        parts.append(
            f"EXISTS (SELECT 1 FROM {USERS} u WHERE u.id = c.user_id AND "  # noqa: S608
            "(UPPER(u.last_name) LIKE UPPER(%s) ESCAPE '\\' "
            "OR UPPER(u.first_name) LIKE UPPER(%s) ESCAPE '\\'))"
        )
        params += [_like(word), _like(word)]
    if excluded:
        sql, values = _in("c.id", sorted(excluded))
        parts.append(f"NOT {sql}")
        params += values
    return "".join(f" AND {part}" for part in parts), params


def _text_list(values):
    """Values as one comma-separated text parameter, split by `string_to_array` (PostgreSQL):
    binding a list of 3 000 values cost the client more than running the query."""
    return ",".join(str(value) for value in values)


def _communes(codes):
    """(JOIN, its params, WHERE, its params) keeping candidates whose commune is in `codes`.

    PostgreSQL spends more time planning `IN (3 000 constants)` (selectivity of each) than
    running it: there the list is one parameter, joined with unnest. SQLite reads a plain IN
    list through the index."""
    if connection.vendor == "postgresql":
        join = "JOIN unnest(string_to_array(%s, ',')) AS u(code) ON u.code = c.commune_id"
        return join, [_text_list(codes)], "", []
    sql, params = _in("c.commune_id", codes)
    return "", [], f" AND {sql}", params


def buckets(eligibility, max_km=None, communes=None):
    """[(join, join params, condition, params, is_national)] on alias `c`, one index range each."""
    if not eligibility.is_open:
        return []
    found = []
    for bucket, codes in eligibility.bucket_codes(max_km).items():
        if communes is not None:
            codes = [code for code in codes if code in communes]
        if codes:
            join, join_params, where, params = _communes(codes)
            condition = f"c.max_distance_km = %s{where}"
            found.append((join, join_params, condition, [bucket, *params], bucket == NATIONAL))
    return found


def national(eligibility):
    """The 2 000 km bucket over the whole territory (INSEE code range)."""
    first, last = eligibility.range
    sql = "c.max_distance_km = %s AND c.commune_id >= %s AND c.commune_id <= %s"
    params = [NATIONAL, first, last]
    if eligibility.far_excluded:
        extra, values = _in("c.commune_id", sorted(eligibility.far_excluded))
        sql += f" AND NOT {extra}"
        params += values
    return "", [], sql, params, True


def _tally_probes(parts):
    """PostgreSQL: one index probe per commune (index `eligible_tally_by_commune`), reading its
    rows from the nearest distance that admits it up to the largest one asked. The buckets' lists
    are nested (a commune a distance admits, every larger one admits too), so each commune comes
    once instead of once per bucket. LIMIT keeps the planner from hashing the whole tally (a
    commune has one row per distance: it changes nothing else)."""
    if not parts:
        return [], []
    nearest = {}
    for bucket, codes in sorted(parts):
        for code in codes:
            nearest.setdefault(code, bucket)
    sql = (
        "SELECT t.commune_id, t.max_distance_km, t.n FROM unnest(string_to_array(%s, ','), "  # noqa: S608
        "string_to_array(%s, ',')::int[]) AS u(code, km) CROSS JOIN LATERAL (SELECT "
        f"c.commune_id, c.max_distance_km, c.n FROM {TALLY} c WHERE c.commune_id = u.code AND "
        f"c.max_distance_km >= u.km AND c.max_distance_km <= %s AND c.n > 0 LIMIT {len(BUCKETS)}) t"
    )
    top = max(bucket for bucket, _ in parts)
    return [sql], [_text_list(nearest), _text_list(nearest.values()), top]


def _tally_counts(eligibility, max_km):
    """(SQL, params) of counts() from the tallies (no manager's filter): per commune and
    distance within 100 km, then the territory's 2 000 km candidates per département."""
    selects, params = [], []
    parts = [(bucket, codes) for bucket, codes in eligibility.bucket_codes(max_km).items() if codes]
    if not max_km:
        # The 2 000 km candidates are all in the département total: their per-commune counts
        # would only refine the page's commune prefix (screen._prefix), which stays correct
        # without them (it can only grow), for up to 3 000 fewer index probes.
        parts = [(bucket, codes) for bucket, codes in parts if bucket != NATIONAL]
    if connection.vendor == "postgresql":
        selects, params = _tally_probes(parts)
    else:
        for bucket, codes in parts:
            condition, values = _in("c.commune_id", codes)
            selects.append(
                f"SELECT c.commune_id, c.max_distance_km, c.n FROM {TALLY} c "  # noqa: S608
                f"WHERE c.max_distance_km = %s AND {condition} AND c.n > 0"
            )
            params += [bucket, *values]
    if not max_km and eligibility.range is not None:
        if eligibility.far_excluded:  # none in today's reference: per commune, then
            _, _, condition, values, _ = national(eligibility)
            selects.append(f"SELECT '', 0, COALESCE(SUM(c.n), 0) FROM {TALLY} c WHERE {condition}")  # noqa: S608
        else:
            condition, values = _in("c.departement_id", eligibility.departements)
            selects.append(
                f"SELECT '', 0, COALESCE(SUM(c.n), 0) FROM {DEPARTEMENT_TALLY} c "  # noqa: S608
                f"WHERE c.max_distance_km = %s AND {condition}"
            )
            values = [NATIONAL, *values]
        params += values
    return selects, params


def counts(eligibility, filters):
    """({commune: eligible count} within 100 km, count of 2 000 km candidates of the territory
    within 100 km, count of those in the whole territory).

    Without the manager's filters (the usual first page) the counts come from the tallies kept
    by triggers (cnum.matching.tally: one row per commune and distance, one per département and
    distance) instead of the candidates; with filters, candidates are counted."""
    if not eligibility.is_open:
        return {}, 0, 0
    extra, extra_params = filters_sql(filters)
    selects, params = [], []
    if not extra and USE_TALLY:
        selects, params = _tally_counts(eligibility, filters.max_km)
    else:
        for join, join_params, condition, values, _ in buckets(eligibility, filters.max_km):
            selects.append(
                f"SELECT c.commune_id, c.max_distance_km, COUNT(*) FROM {CANDIDATES} c {join} "  # noqa: S608
                f"WHERE {ACTIVE} AND {condition}{extra} GROUP BY c.commune_id, c.max_distance_km"
            )
            params += join_params + values + extra_params
        if not filters.max_km:
            _, _, condition, values, _ = national(eligibility)
            selects.append(
                f"SELECT '', 0, COUNT(*) FROM {CANDIDATES} c "  # noqa: S608
                f"WHERE {ACTIVE} AND {condition}{extra}"
            )
            params += values + extra_params
    per_commune, national_local, national_total = {}, 0, 0
    if not selects:
        return per_commune, national_local, national_total
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for commune, bucket, n in cursor.fetchall():
            if commune == "":
                national_total = n
                continue
            per_commune[commune] = per_commune.get(commune, 0) + n
            if bucket == NATIONAL:
                national_local += n
    return per_commune, national_local, national_total


ORDER_SQL = {
    "distance": "k, id",
    "disponibilite": "a, k, id",
    "pix": "p DESC NULLS LAST, k, id",
}


def page_ids(eligibility, filters, order, offset, limit, excluded, communes=None):
    """Ids of one page of eligible candidates: each bucket keeps its own first offset + limit
    rows, then the union is ordered once more."""
    extra, extra_params = filters_sql(filters, excluded)
    if communes is not None and order == "distance" and connection.vendor == "postgresql":
        return _nearest_page_ids(eligibility, filters, communes, offset, limit, extra_params, extra)
    parts = buckets(eligibility, filters.max_km, communes)
    if communes is None and not filters.max_km:
        # The whole territory's 2 000 km bucket replaces its local part.
        parts = [part for part in parts if not part[4]]
        parts.append(national(eligibility))
    key = (
        "((m.longitude - %s) * %s) * ((m.longitude - %s) * %s)"
        " + (m.latitude - %s) * (m.latitude - %s)"
    )
    key_params = [eligibility.lon, eligibility.cos, eligibility.lon, eligibility.cos]
    key_params += [eligibility.lat, eligibility.lat]
    order_sql = ORDER_SQL[order]
    selects, params = [], []
    for index, (join, join_params, condition, values, _) in enumerate(parts):
        selects.append(
            f"SELECT * FROM (SELECT c.id AS id, {key} AS k, c.availability_date AS a, "  # noqa: S608
            f"c.pix_level AS p FROM {CANDIDATES} c JOIN {COMMUNES} m "
            f"ON m.code_insee = c.commune_id {join} WHERE {ACTIVE} AND {condition}{extra} "
            f"ORDER BY {order_sql} LIMIT %s) b{index}"
        )
        params += key_params + join_params + values + extra_params + [offset + limit]
    if not selects:
        return []
    sql = (
        f"SELECT id FROM ({' UNION ALL '.join(selects)}) page "  # noqa: S608
        f"ORDER BY {order_sql} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def _nearest_page_ids(eligibility, filters, communes, offset, limit, extra_params, extra):
    """PostgreSQL, a page by distance within the nearest `communes`: every candidate of a commune
    shares its ordering key (computed in Python, the same floats as the SQL key), so each
    (distance, commune) reads its first offset + limit ids in the order of the index
    `candidate_eligible` (max_distance_km, commune_id, id) and stops. Sorting every candidate of
    a big city's buckets by key took 10 to 20 ms; this reads a few dozen index entries."""
    if not eligibility.is_open:
        return []
    rows = [
        (code, bucket, eligibility.local[code][1])
        for bucket, codes in eligibility.bucket_codes(filters.max_km).items()
        for code in codes
        if code in communes
    ]
    if not rows:
        return []
    codes, distances, keys = zip(*rows, strict=True)
    sql = (
        "SELECT p.id FROM unnest(string_to_array(%s, ','), string_to_array(%s, ',')::int[], "  # noqa: S608
        "%s::float8[]) AS u(code, km, k) CROSS JOIN LATERAL (SELECT c.id FROM "
        f"{CANDIDATES} c WHERE {ACTIVE} AND c.max_distance_km = u.km AND c.commune_id = u.code"
        f"{extra} ORDER BY c.id LIMIT %s) p ORDER BY u.k, p.id LIMIT %s OFFSET %s"
    )
    params = [_text_list(codes), _text_list(distances), list(keys), *extra_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, offset + limit, limit, offset])
        return [row[0] for row in cursor.fetchall()]
