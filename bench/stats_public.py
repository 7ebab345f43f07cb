"""Benchmark of the public statistics: every territory's figures with secrecy applied.

    uv run python bench/stats_public.py                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/stats_public.py
    uv run python bench/stats_public.py --conseillers 40000      # ten times the programme

Uses its own database (var/bench-stats-public.sqlite3, or cnum_statspublicbench next to
DATABASE_URL's PostgreSQL). The public figures read rollup rows only, so the rollups are
written directly (benchmark data, never the services): each conseiller gets a département
(real départements, a few big ones weighted up), rows for every month and both types with
small counts in about a third of the breakdown columns; the département rows are their sums.

Measures `cnum.stats.public.publication()` (France, régions and départements, primary and
secondary suppression) and the open-data file of the départements, p50/p95 after a warm-up,
the number of queries, and the peak resident memory of the process.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import stats as stats_bench  # noqa: E402 — database set-up shared with bench/stats.py
from territories import percentile  # noqa: E402

stats_bench.DATABASE = "cnum_statspublicbench"
stats_bench.SQLITE_FILE = "bench-stats-public.sqlite3"
FIRST_MONTH = datetime.date(2022, 12, 1)
BATCH = 5_000


def months(count):
    day = FIRST_MONTH
    for _ in range(count):
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def fill(args, rng):
    from django.db import connection, transaction

    from cnum.activity.enums import CraType
    from cnum.stats.measures import MEASURE_COLUMNS
    from cnum.stats.models import ActivityRollup, Level
    from cnum.territories.models import Departement

    codes = list(Departement.objects.values_list("code", flat=True))
    weights = [8 if code in ("75", "13", "69", "59", "33", "92", "93") else 1 for code in codes]
    table = connection.ops.quote_name(ActivityRollup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 — table name, not input
    sums = {}
    batch = []
    started = time.perf_counter()
    for conseiller in range(1, args.conseillers + 1):
        dep = rng.choices(codes, weights)[0]
        structure = conseiller // 2 + 1
        columns = rng.sample(MEASURE_COLUMNS, k=len(MEASURE_COLUMNS) // 3)
        for month in months(args.months):
            for type_ in (CraType.INDIVIDUEL, CraType.COLLECTIF):
                values = {column: rng.randint(0, 6) for column in columns}
                values["records"] = rng.randint(1, 20)
                values["accompagnements"] = values["records"] * (1 if type_ == "individuel" else 6)
                key = (dep, structure, month, type_)
                total = sums.setdefault(key, dict.fromkeys(MEASURE_COLUMNS, 0))
                for column, value in values.items():
                    total[column] += value
                batch.append(
                    ActivityRollup(
                        level=Level.CONSEILLER,
                        scope=str(conseiller),
                        departement=dep,
                        structure_id=structure,
                        month=month,
                        type=type_,
                        thematique="",
                        **values,
                    )  # fmt: skip
                )
        if len(batch) >= BATCH:
            with transaction.atomic():
                ActivityRollup.objects.bulk_create(batch)
            batch = []
    batch += [
        ActivityRollup(
            level=Level.DEPARTEMENT,
            scope=dep,
            departement=dep,
            structure_id=structure,
            month=month,
            type=type_,
            thematique="",
            **values,
        )  # fmt: skip
        for (dep, structure, month, type_), values in sums.items()
    ]
    with transaction.atomic():
        ActivityRollup.objects.bulk_create(batch, batch_size=BATCH)
    rows = ActivityRollup.objects.count()
    print(
        f"Rollups écrits : {rows:,} lignes en {time.perf_counter() - started:.0f} s".replace(
            ",", " "
        )
    )


def measure(label, function, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    p50, p95 = (f"{value:,.0f}".replace(",", " ") for value in (p50, p95))
    print(f"| {label} | {p50} | {p95} | {len(queries)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conseillers", type=int, default=4_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="garder les rollups déjà là")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 — synthetic data, not secrets

    stats_bench.setup_django(stats_bench.bench_url())
    from django.db import connection

    from cnum.stats import public
    from cnum.stats.models import ActivityRollup

    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    if not (args.reuse and ActivityRollup.objects.exists()):
        fill(args, rng)

    def csv_file():
        for _ in public.csv_rows(public.publication(), public.DEPARTEMENT):
            pass

    print("| mesure | p50 ms | p95 ms | requêtes |")
    print("| --- | --- | --- | --- |")
    measure("publication (France, régions, départements, secret appliqué)", public.publication,
            args.runs)  # fmt: skip
    measure("fichier des départements (toutes les lignes)", csv_file, args.runs)
    print(f"Mémoire de pointe du processus (ru_maxrss) : {stats_bench.maxrss_mb():.0f} Mo")


if __name__ == "__main__":
    main()
