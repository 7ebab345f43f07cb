"""Benchmark of the activity dashboards' pages and exports.

    uv run python bench/stats_dashboards.py --records 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/stats_dashboards.py
    uv run python bench/stats_dashboards.py --stats-database   # the data of bench/stats.py as is

Uses its own database (var/bench-dashboards.sqlite3, or cnum_dash next to DATABASE_URL's
PostgreSQL), filled as bench/stats.py does when it does not hold `--records` records (then the
rollups are rebuilt), and measures, in the same run, as the national administration (every
level reached through the dashboard's own filters, as its drill-down links do):
- each dashboard page (national, the biggest région and département, the structure with the
  most conseillers, its most active conseiller), over the default period (the last twelve
  months) and over three months: full GET through Django's test client
  (scope, form, figures, splits by type and by territory/structure/conseiller, template),
  p50/p95 after a warm-up, against `activity_figures` alone for the same filter (baseline), as
  a ratio, and the number of SQL queries of the page;
- the national export of the anonymised records over three months, streamed to nowhere (CSV
  and XLSX): rows per second against reading the same rows' values without formatting
  (baseline), and the peak resident memory of the process before and after.
"""

import argparse
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import stats as core  # noqa: E402 — bench/stats.py: database, fill, dashboards' filters
from territories import percentile  # noqa: E402

# A database of its own: bench/stats.py's may be in use with another volume.
STATS_DATABASE = (core.DATABASE, core.SQLITE_FILE)
core.DATABASE = "cnum_dash"
core.SQLITE_FILE = "bench-dashboards.sqlite3"


def admin_client():
    from django.test import Client

    from cnum.accounts.roles import Role
    from cnum.accounts.testing import login, make_user

    user = make_user(Role.ADMINISTRATEUR, email=f"admin-tableaux@{core.BENCH_DOMAIN}")
    client = Client()
    login(client, user)
    return client


def query_of(f):
    """The dashboard's GET parameters selecting the filter `f` of core.dashboards()."""
    from cnum.territories.models import Departement

    if f.conseiller_ids:
        return f"conseiller={f.conseiller_ids[0]}"
    if f.structure_ids:
        return f"structure={f.structure_ids[0]}"
    if f.departements and len(f.departements) == 1:
        return f"departement={f.departements[0]}"
    if f.departements:
        return f"region={Departement.objects.get(pk=f.departements[0]).region_id}"
    return ""


def page_timings(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True)  # warm-up
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        values.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    return values, len(queries)


def bench_pages(client, args):
    from dataclasses import replace

    from cnum.stats.forms import default_period
    from cnum.stats.queries import activity_figures

    print("| tableau de bord | figures p50 ms | page p50 ms | page p95 ms | rapport | requêtes |")
    print("| --- | --- | --- | --- | --- | --- |")
    periods = (("12 derniers mois (défaut)", default_period(), ""), ("3 mois", core.PERIOD, None))
    for label, base in core.dashboards():
        for period_label, (start, end), params in periods:
            f = replace(base, start=start, end=end)
            params = f"du={f.start:%Y-%m}&au={f.end:%Y-%m}" if params is None else params
            query = "&".join(p for p in (params, query_of(f)) if p)
            url = f"/statistiques/?{query}"
            activity_figures(f)
            figures, _ = core.timings(activity_figures, args.runs, f)
            page, count = page_timings(client, url, args.runs)
            p50, base50 = percentile(page, 0.5), percentile(figures, 0.5)
            print(
                f"| {label}, {period_label} | {base50:.0f} | {p50:.0f} "
                f"| {percentile(page, 0.95):.0f} | × {p50 / base50:.1f} | {count} |"
            )


def bench_export(client, fmt):
    from cnum.stats.exports import RECORD_COLUMNS
    from cnum.stats.queries import ActivityFilter, records_in

    f = ActivityFilter(start=core.PERIOD[0], end=core.PERIOD[1])
    started = time.perf_counter()
    read = ("pk", "date", "type", "duree", "type_lieu", "materiel", "thematiques", "conseiller_id")
    rows = sum(1 for _ in records_in(f).values(*read).iterator(chunk_size=2000))
    baseline = time.perf_counter() - started
    before = core.maxrss_mb()
    started = time.perf_counter()
    url = f"/statistiques/export/activites.{fmt}?du={f.start:%Y-%m}&au={f.end:%Y-%m}"
    response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - started
    print(
        f"| {fmt.upper()} | {rows:,} | {len(RECORD_COLUMNS)} | {elapsed:.1f} s "
        f"({rows / elapsed:,.0f} lignes/s) | {baseline:.1f} s | × {elapsed / baseline:.1f} "
        f"| {size / 1e6:.1f} Mo | {before:.0f} → {core.maxrss_mb():.0f} Mo |".replace(",", " ")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--stats-database",
        action="store_true",
        help="mesurer sur la base de bench/stats.py (par exemple ses 10 M CRA)",
    )
    args = parser.parse_args()
    if args.stats_database:
        core.DATABASE, core.SQLITE_FILE = STATS_DATABASE
    url = core.bench_url()
    core.setup_django(url)
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Pages rendered without collectstatic's manifest (as in the test settings).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    if args.stats_database:
        print(f"Données de bench/stats.py : {core.record_count():,} CRA".replace(",", " "))
    elif core.record_count() != args.records:
        conseillers = max(8, round(args.records / 2500))
        fill_args = argparse.Namespace(
            records=args.records,
            conseillers=conseillers,
            structures=max(4, round(conseillers * 3 / 4)),
            places=round(conseillers * 1.5),
        )
        core.fill(fill_args, random.Random(args.seed))  # noqa: S311 — synthetic data
        core.rebuild_rollups()
    else:
        print(f"Données réutilisées : {args.records:,} CRA".replace(",", " "))
    from cnum.accounts.models import User

    User.objects.filter(email=f"admin-tableaux@{core.BENCH_DOMAIN}").delete()
    client = admin_client()
    print(f"\nPages des tableaux de bord, {core.PERIOD[0]:%m/%Y}–{core.PERIOD[1]:%m/%Y} "
          f"({args.runs} appels après un de chauffe) :")  # fmt: skip
    bench_pages(client, args)
    print("\nExport national des activités anonymisées sur la même période (flux lu en entier) :")
    print("| format | lignes | colonnes | durée | lecture seule | rapport | taille | mémoire |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for fmt in ("csv", "xlsx"):
        bench_export(client, fmt)


if __name__ == "__main__":
    main()
