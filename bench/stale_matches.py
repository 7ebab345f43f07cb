"""Benchmark of the daily jobs of docs/domaine.md#mises-en-relation-perimees.

    uv run python bench/stale_matches.py                          # 100 000 matches, SQLite
    uv run python bench/stale_matches.py --matches 300000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x uv run python bench/stale_matches.py

Own database (var/bench_stale_matches.sqlite3 or the PostgreSQL database bench_stale_matches),
national-scale candidates and structures from bench/scale.py, then `--matches` stored matches
rebuilt at each run (bulk inserts: 40 % nouvelle, 30 % présélectionnée, the rest in other
statuses, created over the last 200 days; a third moved since, with a TransitionLog row).

Prints: the set-based selection of stale matches (one query) against the naive baseline on
the same data (every waiting match, then one query for its last move); `close_stale_matches`
(duration, queries, matches closed, structures) and its second run (idempotent: nothing left);
`send_availability_survey` over the national candidates (duration, queries, candidates asked)
and its second run.
"""

import argparse
import datetime
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import ensure, setup_django  # noqa: E402

STATUS_WEIGHTS = {
    "nouvelle": 40,
    "interessee": 30,
    "nonInteressee": 20,
    "non_disponible": 5,
    "finalisee_non_disponible": 5,
}


def build_matches(rng, count):
    """Delete every match (bench database only) and insert `count` fresh ones."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from cnum.candidates.models import CandidateProfile
    from cnum.matching.models import Match
    from cnum.structures.models import Structure
    from cnum.workflow.models import TransitionLog

    content_type = ContentType.objects.get_for_model(Match)
    with transaction.atomic():
        TransitionLog.objects.filter(content_type=content_type)._raw_delete(connection.alias)
        Match.objects.all()._raw_delete(connection.alias)
    candidates = list(CandidateProfile.objects.values_list("pk", flat=True))
    structures = list(Structure.objects.values_list("pk", flat=True))
    now = timezone.now()
    pairs = set()
    while len(pairs) < count:
        pairs.add((rng.choice(candidates), rng.choice(structures)))
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    chosen = rng.choices(statuses, weights=weights, k=count)
    matches = [
        Match(candidate_id=c, structure_id=s, status=status)
        for (c, s), status in zip(sorted(pairs), chosen, strict=True)
    ]
    with transaction.atomic():
        Match.objects.bulk_create(matches, batch_size=5_000)
    ages = {}
    with transaction.atomic():
        for match in Match.objects.only("pk").iterator(chunk_size=5_000):
            ages[match.pk] = rng.randint(0, 200)
        # created_at is auto_now_add: set the spread of ages afterwards, by age group.
        groups = {}
        for pk, age in ages.items():
            groups.setdefault(age, []).append(pk)
        for age, pks in groups.items():
            for start in range(0, len(pks), 900):
                Match.objects.filter(pk__in=pks[start : start + 900]).update(
                    created_at=now - datetime.timedelta(days=age)
                )
    logs, moved_on = [], {}
    for pk, age in ages.items():
        if rng.random() < 1 / 3:
            moved = rng.randint(0, age)
            moved_on.setdefault(moved, []).append(pk)
            logs.append(
                TransitionLog(
                    content_type=content_type,
                    object_id=pk,
                    from_status="nouvelle",
                    to_status="interessee",
                    at=now - datetime.timedelta(days=moved),
                )
            )
    with transaction.atomic():
        TransitionLog.objects.bulk_create(logs, batch_size=5_000)
    # `at` is auto_now_add too: bulk_create stamped "now"; set the chosen days afterwards.
    with transaction.atomic():
        for moved, pks in moved_on.items():
            for start in range(0, len(pks), 900):
                TransitionLog.objects.filter(
                    content_type=content_type, object_id__in=pks[start : start + 900]
                ).update(at=now - datetime.timedelta(days=moved))
    return len(logs)


def naive_stale():
    """Every waiting match, then its last move one query at a time (the baseline)."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from cnum.matching.models import Match
    from cnum.workflow.models import TransitionLog

    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Match)
    days = {
        "nouvelle": settings.MATCH_STALE_NEW_DAYS,
        "interessee": settings.MATCH_STALE_PRESELECTED_DAYS,
    }
    found = []
    for match in Match.objects.filter(status__in=list(days)).iterator(chunk_size=2_000):
        last = (
            TransitionLog.objects.filter(content_type=content_type, object_id=match.pk)
            .order_by("-at", "-pk")
            .values_list("at", flat=True)
            .first()
        )
        since = last or match.created_at
        if since < now - datetime.timedelta(days=days[match.status]):
            found.append(match.pk)
    return found


def timed(function):
    """(result, seconds, queries): counted by a wrapper, which keeps no query text."""
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return result, seconds, count[0]


def command(name):
    from django.core.management import call_command

    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matches", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-baseline", action="store_true", help="sans la référence naïve")
    args = parser.parse_args()

    setup_django("bench_stale_matches")
    from django.db import connection
    from django.utils import timezone

    from cnum.candidates import survey
    from cnum.candidates.models import CandidateProfile
    from cnum.matching import staleness

    sizes = {"candidates": 40_000, "structures": 3_000, "posts": 4_000}
    print(f"Base : {connection.vendor} — {sizes}, {args.matches} mises en relation")
    seconds = ensure(**sizes, seed=args.seed)
    print("Données réutilisées." if seconds is None else f"Génération : {seconds:.0f} s")
    rng = random.Random(args.seed)  # noqa: S311 (sampling, not secrets)
    started = time.perf_counter()
    moved = build_matches(rng, args.matches)
    print(f"Mises en relation : {time.perf_counter() - started:.0f} s ({moved} déjà déplacées)")

    found, set_s, set_q = timed(lambda: sorted(staleness.stale().values_list("pk", flat=True)))
    print(f"Sélection des périmées ({len(found)}) : {set_s * 1000:.0f} ms, {set_q} requête(s)")
    if not args.no_baseline:
        naive, naive_s, naive_q = timed(lambda: sorted(naive_stale()))
        assert found == naive, (len(found), len(naive))  # same answer both ways
        print(
            f"Référence naïve (dernier mouvement lu match par match) : {naive_s * 1000:.0f} ms, "
            f"{naive_q} requêtes (× {naive_s / set_s:.0f})"
        )
    for run in ("1re", "2e"):
        out, seconds, queries = timed(lambda: command("close_stale_matches"))
        print(f"close_stale_matches, {run} exécution : {seconds:.1f} s, {queries} requêtes — {out}")

    # Survey: every profile activated long enough ago (bench data is activated "now").
    old = timezone.now() - datetime.timedelta(days=200)
    CandidateProfile.objects.filter(activated_at__isnull=False).update(
        activated_at=old, availability_asked_at=None, availability_confirmed_at=None
    )
    due, due_s, due_q = timed(lambda: survey.due().count())
    print(f"Sondage, candidats à interroger : {due} ({due_s * 1000:.0f} ms, {due_q} requête(s))")
    for run in ("1re", "2e"):
        out, seconds, queries = timed(lambda: command("send_availability_survey"))
        print(
            f"send_availability_survey, {run} exécution : {seconds:.1f} s, {queries} requêtes "
            f"— {out}"
        )


if __name__ == "__main__":
    main()
