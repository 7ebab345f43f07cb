"""Benchmark of the recruitment workflow at national scale (cnum.recruitment).

    uv run python bench/recruitment.py              # 40 000 candidates, 3 000 structures
    uv run python bench/recruitment.py --scale 10   # 400 000 / 30 000 / 40 000 posts
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x uv run python bench/recruitment.py

Own database (var/bench_recruitment.sqlite3, or bench_recruitment next to DATABASE_URL's
PostgreSQL): candidates and validated structures from bench/scale.py, then a recruitment layer
rebuilt on each run (every post but one filled, a tenth of them waiting for validation, a twentieth
of the contracts already past their end date). Prints:
- a recruitment request (quota: structure row locked, posts counted, move, contract) against a
  plain sorting move on the same matches, as a ratio;
- the administration's queue, first page, against a naive queue (every waiting row, one query per
  row for the person, the structure and the contract), as a ratio;
- the daily end-of-contract run: nothing to do, then every expired contract;
- on PostgreSQL: concurrent requests on one structure (they queue on its lock) against the same
  number spread over many structures, as a throughput ratio.
"""

import argparse
import datetime
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import BENCH_DOMAIN, STRUCTURE_NAME, clear, ensure, setup_django  # noqa: E402

# Posts granted per 3 000 structures: all but one per structure filled, i.e. 4 000 conseillers,
# the programme's first-wave volume (× 10 with --scale 10).
POSTS = 7_000


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def ms(started):
    return (time.perf_counter() - started) * 1000


def clear_layer():
    """Remove the previous run's recruitment layer (contracts first: they protect matches)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Q

    from cnum.accounts.models import Membership
    from cnum.matching.models import Match
    from cnum.recruitment.models import Contract, Rupture
    from cnum.workflow.models import TransitionLog

    matches = Match.objects.filter(structure__name__startswith=STRUCTURE_NAME)
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(Match)
        TransitionLog.objects.filter(content_type=content_type)._raw_delete(connection.alias)
        Rupture.objects.filter(match__in=matches)._raw_delete(connection.alias)
        Contract.objects.filter(match__in=matches)._raw_delete(connection.alias)
        Membership.objects.filter(
            Q(organisation__name__startswith=STRUCTURE_NAME)
            | Q(user__email__endswith=f"@{BENCH_DOMAIN}")
        )._raw_delete(connection.alias)
        matches._raw_delete(connection.alias)


def granted_posts():
    from django.db.models import Sum

    from cnum.structures.models import CommitteeDecision

    decisions = CommitteeDecision.objects.filter(structure__name__startswith=STRUCTURE_NAME)
    return decisions.aggregate(total=Sum("posts_granted"))["total"] or 0


def build_layer(rng):
    """Every post but one filled (a tenth waiting for validation), one pre-selected candidate per
    structure, a twentieth of the contracts past their end. Bulk inserts: benchmark data only."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from cnum.accounts.models import Membership, User
    from cnum.candidates.models import CandidateProfile
    from cnum.matching.enums import MatchStatus as S
    from cnum.matching.models import Match
    from cnum.recruitment.enums import ContractType
    from cnum.recruitment.models import Contract
    from cnum.structures.models import Structure
    from cnum.workflow.models import TransitionLog

    today = timezone.localdate()
    users = User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").order_by("pk")
    manager = users.first()
    structures = list(
        Structure.objects.filter(name__startswith=STRUCTURE_NAME)
        .with_posts_granted()
        .values_list("pk", "posts_granted")
    )
    candidates = iter(
        CandidateProfile.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    matches, memberships = [], []
    for structure_id, posts in structures:
        memberships.append(
            Membership(user=manager, role="gestionnaire_structure", organisation_id=structure_id)
        )
        for n in range(posts or 0):
            if n == posts - 1:
                status = S.INTERESSEE
            else:
                status = S.RECRUTEE if rng.random() < 0.1 else S.FINALISEE
            matches.append(
                Match(structure_id=structure_id, candidate_id=next(candidates), status=status)
            )
    content_type = ContentType.objects.get_for_model(Match)
    with transaction.atomic():
        Membership.objects.bulk_create(memberships, batch_size=5000)
        Match.objects.bulk_create(matches, batch_size=5000)
        holders = (
            Match.objects.filter(structure__name__startswith=STRUCTURE_NAME)
            .exclude(status=S.INTERESSEE)
            .values_list("pk", "status")
        )
        contracts, logs = [], []
        for pk, status in holders:
            expired = status == S.FINALISEE and rng.random() < 0.05
            start = today - datetime.timedelta(days=800 if expired else rng.randint(0, 600))
            contracts.append(
                Contract(
                    match_id=pk,
                    type=ContractType.CDD,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=730),
                    created_by=manager,
                )
            )
            logs.append(
                TransitionLog(
                    content_type=content_type,
                    object_id=pk,
                    from_status=S.INTERESSEE,
                    to_status=S.RECRUTEE,
                    actor=manager,
                )
            )
        Contract.objects.bulk_create(contracts, batch_size=5000)
        TransitionLog.objects.bulk_create(logs, batch_size=5000)
    return manager, len(contracts)


def bench_request(matches, manager):
    """Recruitment requests (quota) against plain sorting moves, on the same matches (rolled
    back after each, so every request meets the same state)."""
    from django.db import transaction

    from cnum.matching.enums import MatchStatus as S
    from cnum.recruitment import services
    from cnum.recruitment.testing import contract_data
    from cnum.workflow.engine import apply_transition

    plain, quota = [], []
    for match in matches:
        for durations, move in (
            (plain, lambda m: apply_transition(m, S.NON_INTERESSEE, manager)),
            (quota, lambda m: services.request_recruitment(m, manager, contract_data())),
        ):
            with transaction.atomic():
                started = time.perf_counter()
                move(match)
                durations.append(ms(started))
                transaction.set_rollback(True)
            match.status = S.INTERESSEE
    return plain, quota


def bench_queue(admin, repeat):
    """The queue view's first page (rendered) against a naive listing of every waiting row."""
    from django.conf import settings
    from django.test import RequestFactory

    from cnum.matching.models import Match
    from cnum.recruitment.models import Contract
    from cnum.recruitment.services import DECISIONS
    from cnum.recruitment.views.administration import queue

    # The page as served, minus collectstatic: static URLs without the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    request = RequestFactory().get("/recrutements/a-valider/")
    request.user = admin
    request._messages = []
    paged, naive = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        response = queue(request)
        paged.append(ms(started))
    assert response.status_code == 200
    for _ in range(max(1, repeat // 10)):
        started = time.perf_counter()
        rows = [
            (m.candidate.user.email, m.structure.name, Contract.objects.filter(match=m).first())
            for m in Match.objects.filter(status__in=list(DECISIONS))
        ]
        naive.append(ms(started))
    return paged, naive, len(rows)


def bench_concurrency(structures, manager, threads, per_thread):
    """Requests from `threads` connections at once, on one structure or on distinct ones;
    rolled back, so every request finds a vacant post. Returns requests per second."""
    from django.db import connections, transaction

    from cnum.matching.models import Match
    from cnum.recruitment import services
    from cnum.recruitment.testing import contract_data

    def worker(structure_ids, barrier):
        try:
            picked = [
                Match.objects.filter(structure_id=pk, status="interessee").first()
                for pk in structure_ids
            ]
            barrier.wait()
            for match in picked:
                with transaction.atomic():
                    services.request_recruitment(match, manager, contract_data())
                    time.sleep(0.002)  # a request's own work after the move (render, commit)
                    transaction.set_rollback(True)
                match.status = "interessee"
        finally:
            connections.close_all()

    results = {}
    for label, plan in (
        ("une seule structure", [[structures[0]] * per_thread for _ in range(threads)]),
        (
            "structures distinctes",
            [structures[1 + t * per_thread : 1 + (t + 1) * per_thread] for t in range(threads)],
        ),
    ):
        barrier = threading.Barrier(threads + 1)
        pool = [threading.Thread(target=worker, args=(ids, barrier)) for ids in plan]
        for thread in pool:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in pool:
            thread.join()
        results[label] = threads * per_thread / (time.perf_counter() - started)
    return results


def end_of_contracts():
    from django.db import transaction

    from cnum.candidates.services import today
    from cnum.recruitment.services import end_expired_contracts, expired_matches

    started = time.perf_counter()
    noop = end_expired_contracts(today() - datetime.timedelta(days=3650))
    idle = ms(started)
    expected = expired_matches(today()).count()
    with transaction.atomic():
        started = time.perf_counter()
        ended = end_expired_contracts()
        full = ms(started)
        transaction.set_rollback(True)
    assert noop == 0 and ended == expected
    return idle, ended, full


def report(label, values):
    return (
        f"{label} : p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup_django("bench_recruitment")
    from django.db import connection

    from cnum.accounts.models import User
    from cnum.accounts.roles import Role
    from cnum.accounts.testing import make_user
    from cnum.matching.models import Match

    clear_layer()
    sizes = {
        "candidates": 40_000 * args.scale,
        "structures": 3_000 * args.scale,
        "posts": POSTS * args.scale,
    }
    if granted_posts() != sizes["posts"]:
        clear()  # another bench generated the same counts with fewer posts
    generated = ensure(**sizes, seed=args.seed)
    reused = "données reprises" if generated is None else f"données générées en {generated:.0f} s"
    print(f"Base : {connection.vendor} ; {reused}")
    rng = random.Random(args.seed)  # noqa: S311 (sampling, not secrets)
    started = time.perf_counter()
    manager, held = build_layer(rng)
    print(
        f"Couche recrutement : {held} contrats, construite en {time.perf_counter() - started:.0f} s"
    )

    candidates = list(
        Match.objects.filter(structure__name__startswith=STRUCTURE_NAME, status="interessee")
        .select_related("structure")
        .order_by("pk")
    )
    sample = rng.sample(candidates, min(args.sample, len(candidates)))
    plain, quota = bench_request(sample, manager)
    print(report("Présélection (déplacement simple)", plain))
    print(report("Demande de recrutement (verrou, quota, contrat)", quota))
    print(
        "  rapport demande / déplacement simple (p50) : "
        f"× {statistics.median(quota) / statistics.median(plain):.1f}"
    )

    admin_email = f"administration@{BENCH_DOMAIN}"
    User.objects.filter(email=admin_email).delete()  # its role went with the previous layer
    admin = make_user(Role.ADMINISTRATEUR, email=admin_email)
    paged, naive, waiting = bench_queue(admin, 20)
    print(report(f"File de validation, 1re page ({waiting} dossiers en attente)", paged))
    print(report("File naïve (tout, une requête par ligne)", naive))
    print(
        "  rapport naïve / paginée (p50) : "
        f"× {statistics.median(naive) / statistics.median(paged):.0f}"
    )

    idle, ended, full = end_of_contracts()
    print(f"Fin des contrats, rien à clore : {idle:.0f} ms")
    print(
        f"Fin des contrats, {ended} contrats échus : {full / 1000:.1f} s "
        f"({full / max(ended, 1):.1f} ms par contrat)"
    )

    if connection.vendor == "postgresql":
        ids = [m.structure_id for m in candidates]
        rates = bench_concurrency(ids, manager, threads=8, per_thread=10)
        for label, rate in rates.items():
            print(f"8 connexions simultanées, {label} : {rate:.0f} demandes/s")
        ratio = rates["structures distinctes"] / rates["une seule structure"]
        print(f"  rapport distinctes / une seule (débit) : × {ratio:.1f}")


if __name__ == "__main__":
    main()
