"""National allocation of available candidates to vacant posts (rules: docs/domaine.md#eligibilite;
machinery: docs/repartition.md).

`request_run` records a run and hands it to the background worker; `compute` loads the scope,
solves (cnum.allocation.engine) and stores the suggestions; `suggestions_for` is what the
structure's candidates screen highlights.
"""

import logging
import time
from itertools import chain

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cnum.allocation import engine
from cnum.allocation.models import AllocationRun, RunStructure, Scope, Suggestion
from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today
from cnum.matching.enums import HOLDING_POST, MatchStatus
from cnum.matching.models import Match
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import Structure
from cnum.territories.models import Commune

logger = logging.getLogger(__name__)

# A candidate in one of these holds (or is about to hold) a post: not available for another.
HOLDS_A_POST = (*HOLDING_POST, MatchStatus.RENOUVELLEMENT_INITIE)
BULK_BATCH = 5000
# A run still pending after this long is taken as lost (worker stopped): it no longer blocks.
PENDING_TIMEOUT = timezone.timedelta(hours=1)


class RunRefused(ValueError):
    """The run cannot be requested as asked (`message` in French)."""


def territory_code(departement_code):
    """Mainland and Corsica together (0); each overseas département or collectivity alone."""
    return int(departement_code) if departement_code.startswith("97") else 0


def available_candidates():
    """Active, available candidates holding no post (docs/domaine.md#quota)."""
    holding = Match.objects.filter(status__in=HOLDS_A_POST).values("candidate_id")
    return (
        CandidateProfile.objects.active()
        .filter(is_available=True)
        .exclude(pk__in=holding)
        .exclude(user__is_active=False)
    )


def structures_in_scope(run):
    """Validated structures of the run's scope, annotated with granted and filled posts."""
    queryset = Structure.objects.submitted().filter(status=Status.VALIDATION_COSELEC)
    if run.scope == Scope.SESSION:
        queryset = queryset.filter(
            decisions__session=run.session, decisions__opinion=CommitteeOpinion.POSITIF
        )
    elif run.scope == Scope.DEPARTEMENT:
        queryset = queryset.filter(departement=run.departement)
    filled = (
        Match.objects.filter(structure=OuterRef("pk"), status__in=HOLDING_POST)
        .order_by()
        .values("structure")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.with_posts_granted().annotate(
        posts_filled=Coalesce(Subquery(filled, output_field=IntegerField()), 0)
    )


def request_run(user, scope, *, session=None, departement=None):
    """Record a run and enqueue its computation after commit."""
    from cnum.allocation.tasks import run_allocation

    if scope == Scope.SESSION and session is None:
        raise RunRefused("Choisissez la séance du comité.")
    if scope == Scope.DEPARTEMENT and departement is None:
        raise RunRefused("Choisissez le département.")
    recent = timezone.now() - PENDING_TIMEOUT
    if AllocationRun.objects.filter(
        finished_at__isnull=True, error="", created_at__gte=recent
    ).exists():
        raise RunRefused("Une répartition est déjà en cours : attendez qu'elle se termine.")
    run = AllocationRun.objects.create(
        scope=scope,
        session=session if scope == Scope.SESSION else None,
        departement=departement if scope == Scope.DEPARTEMENT else None,
        launched_by=user,
    )
    transaction.on_commit(lambda: run_allocation.enqueue(run.pk))
    return run


def _points():
    rows = list(Commune.objects.values_list("pk", "latitude", "longitude", "departement_id"))
    index = {code: i for i, (code, *_rest) in enumerate(rows)}
    lat = np.fromiter((r[1] for r in rows), float, len(rows))
    lon = np.fromiter((r[2] for r in rows), float, len(rows))
    territory = np.fromiter((territory_code(r[3]) for r in rows), np.int64, len(rows))
    return index, lat, lon, territory


def build_problem(run):
    """The engine's input for the run's scope, and the scope's structures (id → département)."""
    index, lat, lon, territory = _points()
    start = today()
    structures = [
        (pk, commune, departement, max((granted or 0) - filled, 0), mission_start)
        for pk, commune, departement, granted, filled, mission_start in structures_in_scope(
            run
        ).values_list(
            "pk", "commune_id", "departement_id", "posts_granted", "posts_filled", "mission_start"
        )
    ]
    structures = [s for s in structures if s[3] > 0]
    territories = {territory_code(s[2]) for s in structures}
    rows = list(
        available_candidates()
        .order_by("pk")
        .values_list("pk", "commune_id", "max_distance_km", "availability_date")
        .iterator(chunk_size=BULK_BATCH)
    )
    cand_point = np.fromiter((index[r[1]] for r in rows), np.int64, len(rows))
    # Only candidates of a territory where there are posts.
    kept = np.isin(territory[cand_point], np.fromiter(territories, np.int64, len(territories)))
    problem = engine.Problem(
        point_lat=lat,
        point_lon=lon,
        point_territory=territory,
        cand_id=np.fromiter((r[0] for r in rows), np.int64, len(rows))[kept],
        cand_point=cand_point[kept],
        cand_max_km=np.fromiter((r[2] for r in rows), np.int64, len(rows))[kept],
        cand_available=np.fromiter((r[3].toordinal() for r in rows), np.int64, len(rows))[kept],
        post_id=np.array([s[0] for s in structures], np.int64),
        post_point=np.array([index[s[1]] for s in structures], np.int64),
        post_vacant=np.array([s[3] for s in structures], np.int64),
        post_deadline=np.array([max(s[4], start).toordinal() for s in structures], np.int64),
    )
    return problem, {s[0]: (s[2], s[3]) for s in structures}


def compute(run, k=engine.K_DEFAULT):
    """Solve the run's scope and store its results (one transaction).

    The seconds spent in each step (loading, engine steps, storing) go to `run.stats`."""
    started = time.perf_counter()
    problem, structures = build_problem(run)
    timings = {"load": time.perf_counter() - started}
    outcome = engine.solve(problem, k=k, timings=timings)
    stored = time.perf_counter()
    with transaction.atomic():
        # COPY / multi-row INSERTs (`_insert`): ~70,000 rows at 10× scale, where building model
        # instances for bulk_create cost seconds.
        _insert(
            RunStructure,
            (
                "run_id",
                "structure_id",
                "departement_id",
                "vacant",
                "optimal_filled",
                "greedy_filled",
            ),
            (
                (
                    run.pk,
                    pk,
                    departement,
                    vacant,
                    outcome.optimal.filled_by_structure.get(pk, 0),
                    outcome.greedy.filled_by_structure.get(pk, 0),
                )
                for pk, (departement, vacant) in structures.items()
            ),
        )
        _insert(
            Suggestion,
            ("run_id", "structure_id", "candidate_id", "distance_m"),
            ((run.pk, s, c, m) for s, c, m in outcome.optimal.pairs),
        )
        run.candidates_available = len(problem.cand_id)
        run.posts_vacant = int(problem.post_vacant.sum())
        run.optimal_filled = outcome.optimal.filled
        run.optimal_metres = outcome.optimal.total_m
        run.greedy_filled = outcome.greedy.filled
        run.greedy_metres = outcome.greedy.total_m
        timings["store"] = time.perf_counter() - stored
        run.stats = {**outcome.stats, "seconds": {s: round(t, 2) for s, t in timings.items()}}
        run.finished_at = timezone.now()
        run.duration_ms = round((time.perf_counter() - started) * 1000)
        run.save()
    return run


def _insert(model, columns, rows):
    """Write rows (tuples in `columns` order) into `model`'s table: COPY on PostgreSQL,
    multi-row INSERTs elsewhere. Table and column names come from the model; values are
    streamed or bound, never formatted into the SQL."""
    quote = connection.ops.quote_name
    target = f"{quote(model._meta.db_table)} ({', '.join(map(quote, columns))})"
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # SQLite caps the number of bound parameters of a statement.
        per_statement = min(BULK_BATCH, 30_000 // len(columns))
        for first in range(0, len(rows), per_statement):
            chunk = rows[first : first + per_statement]
            sql = f"INSERT INTO {target} VALUES " + ", ".join([one] * len(chunk))  # noqa: S608
            cursor.execute(sql, list(chain.from_iterable(chunk)))


def fail(run, error):
    logger.exception("allocation run %s failed", run.pk)
    AllocationRun.objects.filter(pk=run.pk).update(
        error=f"Le calcul a échoué ({type(error).__name__}).", finished_at=timezone.now()
    )


def _sum(field):
    return Coalesce(Sum(field), 0)


def departement_summary(run):
    """Per département: vacant posts, filled by the optimum and by the greedy baseline."""
    rows = (
        RunStructure.objects.filter(run=run)
        .values("departement_id", "departement__nom")
        .annotate(
            vacant=_sum("vacant"),
            optimal=_sum("optimal_filled"),
            greedy=_sum("greedy_filled"),
            structures=Count("pk"),
        )
        .order_by("departement_id")
    )
    return [{**row, "unfilled": row["vacant"] - row["optimal"]} for row in rows]


def latest_run_for(structure):
    """The latest finished run whose scope covered `structure`."""
    return (
        AllocationRun.objects.filter(
            structures__structure=structure, finished_at__isnull=False, error=""
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def suggested(structure):
    """Suggestions of the latest run covering `structure` whose candidate is still available."""
    run = latest_run_for(structure)
    if run is None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(run=run, structure=structure)
        .filter(candidate__in=available_candidates())
        .select_related("candidate__user", "candidate__commune")
    )


def suggestions_for(structure):
    """Ids of the candidate profiles the latest allocation suggests for `structure`."""
    return set(suggested(structure).values_list("candidate_id", flat=True))
