"""National allocation of available candidates to vacant posts (rules: docs/domaine.md#eligibilite;
machinery: docs/repartition.md).

`request_run` records a run and hands it to the background worker; `compute` loads the scope,
solves (cnum.allocation.engine) and stores the suggestions; `suggestions_for` is what the
structure's candidates screen highlights.
"""

import logging
import time

import numpy as np
from django.db import transaction
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
    candidates = [
        row
        for row in available_candidates()
        .order_by("pk")
        .values_list("pk", "commune_id", "max_distance_km", "availability_date")
        .iterator(chunk_size=BULK_BATCH)
        if territory[index[row[1]]] in territories
    ]
    problem = engine.Problem(
        point_lat=lat,
        point_lon=lon,
        point_territory=territory,
        cand_id=np.array([c[0] for c in candidates], np.int64),
        cand_point=np.array([index[c[1]] for c in candidates], np.int64),
        cand_max_km=np.array([c[2] for c in candidates], np.int64),
        cand_available=np.array([c[3].toordinal() for c in candidates], np.int64),
        post_id=np.array([s[0] for s in structures], np.int64),
        post_point=np.array([index[s[1]] for s in structures], np.int64),
        post_vacant=np.array([s[3] for s in structures], np.int64),
        post_deadline=np.array([max(s[4], start).toordinal() for s in structures], np.int64),
    )
    return problem, {s[0]: (s[2], s[3]) for s in structures}


def compute(run, k=engine.K_DEFAULT):
    """Solve the run's scope and store its results (one transaction)."""
    started = time.perf_counter()
    problem, structures = build_problem(run)
    outcome = engine.solve(problem, k=k)
    with transaction.atomic():
        RunStructure.objects.bulk_create(
            (
                RunStructure(
                    run=run,
                    structure_id=pk,
                    departement_id=departement,
                    vacant=vacant,
                    optimal_filled=outcome.optimal.filled_by_structure.get(pk, 0),
                    greedy_filled=outcome.greedy.filled_by_structure.get(pk, 0),
                )
                for pk, (departement, vacant) in structures.items()
            ),
            batch_size=BULK_BATCH,
        )
        Suggestion.objects.bulk_create(
            (
                Suggestion(run=run, structure_id=s, candidate_id=c, distance_m=m)
                for s, c, m in outcome.optimal.pairs
            ),
            batch_size=BULK_BATCH,
        )
        run.candidates_available = len(problem.cand_id)
        run.posts_vacant = int(problem.post_vacant.sum())
        run.optimal_filled = outcome.optimal.filled
        run.optimal_metres = outcome.optimal.total_m
        run.greedy_filled = outcome.greedy.filled
        run.greedy_metres = outcome.greedy.total_m
        run.stats = outcome.stats
        run.finished_at = timezone.now()
        run.duration_ms = round((time.perf_counter() - started) * 1000)
        run.save()
    return run


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
