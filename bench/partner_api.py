"""Benchmark of the partner API and the data·inclusion feed: time per page, through the whole
HTTP stack (Django test client: middleware, token check, validation, JSON).

    uv run python bench/partner_api.py                          # SQLite, 10 M records
    uv run python bench/partner_api.py --records 1000000 --reuse
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/partner_api.py

Shares the database of bench/stats.py (var/bench-stats.sqlite3, or cnum_statsbench next to
DATABASE_URL's PostgreSQL) and its generator: with `--reuse`, records already there in the
right number are kept, and so are the rollups if present (else they are rebuilt).

Measures, per endpoint, p50/p95/max per page after one warm-up call:
- /partenaires/activites (100 per page): the first `--pages` pages by cursor, France, the
  département with most records, three months, that département over three months;
- /partenaires/statistiques: France, the région and département with most conseillers, the
  biggest structure; without period and over three months (`--runs` calls each);
- /partenaires/structures, /postes, /conseillers: every page (100 per page) of France;
- /data-inclusion/structures and /services: every page (500 per page).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import stats as stats_bench  # noqa: E402 — the 10 M records generator and its database
from territories import percentile  # noqa: E402

PERIOD = {"du": "2026-06-01", "au": "2026-08-31"}


def prepare(args):
    url = stats_bench.bench_url()
    if url.startswith("sqlite") and not args.reuse:
        stats_bench.drop_sqlite_file(url)
    stats_bench.setup_django(url)
    from django.db import connection

    from cnum.stats.models import ActivityRollup

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    if args.reuse and stats_bench.record_count() == args.records:
        print(f"Données réutilisées : {args.records:,} CRA".replace(",", " "))
        if not ActivityRollup.objects.exists():
            stats_bench.rebuild_rollups()
        return
    rng = random.Random(args.seed)  # noqa: S311 — synthetic data, not secrets
    stats_bench.fill(args, rng)
    stats_bench.rebuild_rollups()


def partner_key():
    from cnum.accounts.models import User
    from cnum.api.models import ApiToken, Scope

    author, _ = User.objects.get_or_create(email="jetons@banc-api.exemple.fr")
    ApiToken.objects.filter(created_by=author).delete()
    return ApiToken.issue(name="Banc", scopes=list(Scope), created_by=author)[1]


class Caller:
    def __init__(self, key):
        from django.test import Client

        self.client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {key}"})

    def get(self, url, params):
        started = time.perf_counter()
        response = self.client.get(url, params, secure=True)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, params, response.status_code, response.content)
        return elapsed, response.json()


def report(label, durations, items):
    count = f"{items:,}".replace(",", " ")
    print(
        f"| {label} | {len(durations)} | {count} | {percentile(durations, 0.5):.1f} | "
        f"**{percentile(durations, 0.95):.1f}** | {max(durations):.1f} |"
    )


def walk(caller, url, params, pages, next_of):
    """Pages one after the other (cursor or page number); the first call is a warm-up."""
    caller.get(url, params)
    durations, items, params = [], 0, dict(params)
    for _ in range(pages):
        elapsed, body = caller.get(url, params)
        durations.append(elapsed)
        items += len(body.get("resultats", body.get("items", [])))
        following = next_of(body, params)
        if following is None:
            break
        params = following
    return durations, items


def by_cursor(body, params):
    return None if body["suivant"] is None else {**params, "curseur": body["suivant"]}


def by_number(body, params):
    return None if params["page"] >= body["pages"] else {**params, "page": params["page"] + 1}


def busiest():
    """(région, département) with most conseillers, the structure with most conseillers."""
    from django.db.models import Count

    from cnum.accounts.models import Membership
    from cnum.accounts.roles import Role

    members = Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
    departement = (
        members.values("organisation__departement")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation__departement", "organisation__departement__region")
        .first()
    )
    structure = (
        members.values("organisation").annotate(n=Count("pk")).order_by("-n")[0]["organisation"]
    )
    return departement[1], departement[0], structure


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true", help="garder les données déjà là")
    parser.add_argument("--pages", type=int, default=50, help="pages lues par liste à curseur")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    # The generator's own defaults (bench/stats.py).
    args.conseillers = max(8, round(args.records / 2500))
    args.structures = max(4, round(args.conseillers * 3 / 4))
    args.places = round(args.conseillers * 1.5)
    prepare(args)

    caller = Caller(partner_key())
    region, departement, structure = busiest()
    print(f"\nRégion {region}, département {departement}, structure {structure}")
    print("| liste | pages | éléments | p50 ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    activities = "/api/v1/partenaires/activites"
    for label, params in (
        ("activités, France", {}),
        (f"activités, département {departement}", {"departement": departement}),
        ("activités, juin–août 2026", PERIOD),
        (f"activités, {departement} et juin–août 2026", {"departement": departement, **PERIOD}),
    ):
        report(label, *walk(caller, activities, params, args.pages, by_cursor))
    for name in ("structures", "postes", "conseillers"):
        report(name, *walk(caller, f"/api/v1/partenaires/{name}", {}, 10**6, by_cursor))
    for name in ("structures", "services"):
        url = f"/api/v1/data-inclusion/{name}"
        report(f"data·inclusion {name}", *walk(caller, url, {"page": 1}, 10**6, by_number))
    statistics = "/api/v1/partenaires/statistiques"
    for label, params in (
        ("statistiques, France", {}),
        (f"statistiques, région {region}", {"region": region}),
        (f"statistiques, département {departement}", {"departement": departement}),
        (f"statistiques, structure {structure}", {"structure": structure}),
    ):
        for suffix, period in (("", {}), (", juin–août 2026", PERIOD)):
            caller.get(statistics, {**params, **period})
            durations = [caller.get(statistics, {**params, **period})[0] for _ in range(args.runs)]
            report(label + suffix, durations, 1)


if __name__ == "__main__":
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    main()
