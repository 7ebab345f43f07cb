"""The statistics lines of the performance summary, on bench/stats.py's data (10 M CRA).

    uv run python bench/stats.py --only-fill        # once per engine (then the rebuild below)
    uv run python bench/stats.py --reuse --runs 3   # rebuilds the rollups, full bench
    uv run python bench/stats_summary.py            # these lines, on the data as it is
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/stats_summary.py

Measures, in the same run and on the same data, each figure beside a La Coop-style live SQL
aggregation over the raw records (one grouped query per figure, what a platform without
rollups runs on each page; the dashboards' live SQL computes every figure they show, as
`activity_figures` does: distribution, evolution, top places and communes, active conseillers,
new beneficiaries):
- the dashboards' figures (`activity_figures`) of every scope over the last twelve months at
  the data's end (December 2025 – November 2026, a period across two calendar years), p95,
  goal ≤ 50 ms, beside the live SQL of the same scope and months;
- the national dashboard page over the same months (full GET as the national administration),
  p95, goal ≤ 200 ms;
- the four reference aggregations (national distribution, one département over one year,
  national monthly evolution, one conseiller — all the figures of their dashboard) against our
  figures for the same filter: goal, never slower than the live SQL;
- the cost of the rollup upkeep on a write (`save_record` with and without it), goal ≤ × 2.
Exits with an explanation when bench/stats.py has not filled and rebuilt its database.
"""

import argparse
import datetime
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import stats as core  # noqa: E402 — bench/stats.py: database, dashboards' filters, writes
import stats_dashboards as pages  # noqa: E402 — the dashboard page as a client sees it
from results import emit  # noqa: E402
from territories import percentile  # noqa: E402

core.DATABASE, core.SQLITE_FILE = pages.STATS_DATABASE  # bench/stats.py's own data
TWELVE_MONTHS = (datetime.date(2025, 12, 1), datetime.date(2026, 11, 1))
ONE_YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))
ANONYMOUS = [  # the anonymous breakdowns' columns of activity_cra
    *("genre_masculin", "genre_feminin", "genre_non_communique"),
    *("age_moins_de_douze", "age_douze_dix_huit", "age_dix_huit_vingt_quatre"),
    *("age_vingt_cinq_trente_neuf", "age_quarante_cinquante_neuf", "age_soixante_soixante_neuf"),
    *("age_soixante_dix_plus", "age_non_communique", "statut_scolarise", "statut_sans_emploi"),
    *("statut_en_emploi", "statut_retraite", "statut_non_communique"),
]
ACCOMPAGNEMENTS = "CASE WHEN cra.type = 'individuel' THEN 1 ELSE cra.participants_anonymes END"


# --- La Coop-style live SQL ----------------------------------------------------------------------


def live_where(f):
    """(JOIN, WHERE, params) of the raw records within `f` (département by the structure)."""
    join, where, params = "", ["cra.deleted_at IS NULL"], []
    if f.start:
        where.append("cra.date >= %s")
        params.append(f.start)
    if f.end:
        where.append("cra.date < %s")
        params.append(core.next_month(f.end))
    if f.departements is not None:
        join = "JOIN accounts_organisation s ON s.id = cra.structure_id"
        where.append(f"s.departement_id IN ({', '.join(['%s'] * len(f.departements))})")
        params.extend(f.departements)
    if f.structure_ids is not None:
        where.append(f"cra.structure_id IN ({', '.join(['%s'] * len(f.structure_ids))})")
        params.extend(f.structure_ids)
    if f.conseiller_ids is not None:
        where.append(f"cra.conseiller_id IN ({', '.join(['%s'] * len(f.conseiller_ids))})")
        params.extend(f.conseiller_ids)
    return join, " AND ".join(where), params


# Per engine: a record's thématiques as rows, and the month of its date.
DIALECT = {
    "postgresql": ("jsonb_array_elements_text(cra.thematiques) AS t(value)",
                   "date_trunc('month', cra.date)"),
    "sqlite": ("json_each(cra.thematiques) AS t", "strftime('%%Y-%%m', cra.date)"),
}  # fmt: skip


def grouped(cursor, f, select, group=None, joined=""):
    """Rows of `SELECT select … GROUP BY group` (one row without `group`) over the live records
    within `f`."""
    join, where, params = live_where(f)
    cursor.execute(
        f"SELECT {select} FROM activity_cra cra {join} {joined} "  # noqa: S608
        f"WHERE {where}{f' GROUP BY {group}' if group else ''}",
        params,
    )
    return cursor.fetchall()


def live_distribution(cursor, f):
    """Counts by type with the anonymous breakdowns, then by thématique: the répartitions."""
    sums = ", ".join(f"SUM({c})" for c in ANONYMOUS)
    by_type = f"type, COUNT(*), SUM({ACCOMPAGNEMENTS}), SUM(duree), {sums}"
    elements, _ = DIALECT[cursor.db.vendor]
    return grouped(cursor, f, by_type, "type") + grouped(
        cursor, f, "t.value, COUNT(*)", "t.value", f"CROSS JOIN {elements}"
    )


def live_evolution(cursor, f):
    _, month = DIALECT[cursor.db.vendor]
    return grouped(cursor, f, f"{month}, COUNT(*), SUM({ACCOMPAGNEMENTS})", "1")


def live_tops(cursor, f):
    """The ten places and the ten communes with the most accompagnements, then their names."""
    place = "LEFT JOIN places_place p ON p.id = cra.place_id"
    return ranked(cursor, f, "cra.place_id", "", "places_place n ON n.id") + ranked(
        cursor,
        f,
        "COALESCE(cra.commune_id, p.commune_id)",
        place,
        "territories_commune n ON n.code_insee",
    )


def ranked(cursor, f, key, joined, names):
    """The ten `key` values with the most accompagnements, with the name `names` joins."""
    join, where, params = live_where(f)
    cursor.execute(
        f"SELECT t.k, n.nom, t.total FROM (SELECT {key} AS k, "  # noqa: S608
        f"SUM({ACCOMPAGNEMENTS}) AS total FROM activity_cra cra {join} {joined} "
        f"WHERE {where} GROUP BY 1 ORDER BY 2 DESC LIMIT 10) t LEFT JOIN {names} = t.k",
        params,
    )
    return cursor.fetchall()


def live_active(cursor, f):
    return grouped(cursor, f, "COUNT(DISTINCT cra.conseiller_id)")


def live_new_beneficiaries(cursor, f):
    """Followed beneficiaries registered in the period by the scope's conseillers (those of its
    structures or départements by their active membership)."""
    where, params = [], []
    if f.start:
        where.append("b.created_at >= %s")
        params.append(f.start)
    if f.end:
        where.append("b.created_at < %s")
        params.append(core.next_month(f.end))
    if f.conseiller_ids is not None:
        where.append(f"b.conseiller_id IN ({', '.join(['%s'] * len(f.conseiller_ids))})")
        params.extend(f.conseiller_ids)
    codes = f.structure_ids if f.structure_ids is not None else f.departements
    if codes is not None:
        column = "m.organisation_id" if f.structure_ids is not None else "s.departement_id"
        member = (
            "EXISTS (SELECT 1 FROM accounts_membership m JOIN accounts_organisation s "  # noqa: S608
            "ON s.id = m.organisation_id WHERE m.user_id = b.conseiller_id AND "
            f"m.role = 'conseiller' AND m.is_active AND {column} IN "
            f"({', '.join(['%s'] * len(codes))}))"
        )
        where.append(member)
        params.extend(codes)
    cursor.execute(
        "SELECT COUNT(*) FROM activity_beneficiary b "  # noqa: S608
        f"WHERE {' AND '.join(where) or 'TRUE'}",
        params,
    )
    return cursor.fetchall()


def live_figures(cursor, f):
    """Every figure of the dashboard computed live for `f`, one query per figure as a
    La Coop-style page does: distribution, evolution, top places and communes, active
    conseillers, new beneficiaries (`activity_figures` computes them all)."""
    return [
        *live_distribution(cursor, f),
        *live_evolution(cursor, f),
        *live_tops(cursor, f),
        *live_active(cursor, f),
        *live_new_beneficiaries(cursor, f),
    ]


def live_sql(f):
    from django.db import connection

    with connection.cursor() as cursor:
        return live_figures(cursor, f)


# --- Measures -------------------------------------------------------------------------------------


def timed(function, argument, runs):
    values, _ = core.timings(function, runs, argument)
    return percentile(values, 0.95)


def figures_per_scope(args):
    from cnum.stats.queries import activity_figures

    print(f"\nChiffres des tableaux de bord, {TWELVE_MONTHS[0]:%m/%Y}–{TWELVE_MONTHS[1]:%m/%Y} :")
    print("| périmètre | nous p95 ms | SQL en direct p95 ms | nous / direct |")
    print("| --- | --- | --- | --- |")
    worst = 0.0
    for label, base in core.dashboards():
        f = replace(base, start=TWELVE_MONTHS[0], end=TWELVE_MONTHS[1])
        activity_figures(f)
        ours = timed(activity_figures, f, args.runs)
        live = timed(live_sql, f, args.live_runs)
        worst = max(worst, ours)
        print(f"| {label} | {ours:.1f} | {live:.1f} | × {ours / live:.2f} |")
        emit(
            f"chiffres d'un tableau de bord, {label}, 12 mois glissants, p95",
            round(ours, 1),
            goal="≤ 50",
            anchor=("SQL en direct sur les CRA (façon La Coop)", round(live, 1)),
        )
    return worst


def national_page(args):
    from django.conf import settings

    from cnum.accounts.models import User
    from cnum.stats.queries import ActivityFilter

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    User.objects.filter(email=f"admin-tableaux@{core.BENCH_DOMAIN}").delete()
    client = pages.admin_client()
    url = f"/statistiques/?du={TWELVE_MONTHS[0]:%Y-%m}&au={TWELVE_MONTHS[1]:%Y-%m}"
    values, queries = pages.page_timings(client, url, args.runs)
    page = percentile(values, 0.95)
    f = ActivityFilter(start=TWELVE_MONTHS[0], end=TWELVE_MONTHS[1])
    live = timed(live_sql, f, args.live_runs)
    print(f"\nPage nationale, 12 mois glissants : p95 {page:.0f} ms ({queries} requêtes) ; "
          f"SQL en direct des mêmes chiffres {live:.0f} ms")  # fmt: skip
    emit(
        "page nationale des statistiques, 12 mois glissants, p95",
        round(page, 1),
        goal="≤ 200",
        anchor=("SQL en direct sur les CRA (façon La Coop)", round(live, 1)),
    )


def references(args):
    """Our figures against the four reference live aggregations, same filter each."""
    from cnum.stats.queries import ActivityFilter, activity_figures

    scopes = dict(core.dashboards())
    departement = next(f for label, f in scopes.items() if label.startswith("département"))
    conseiller = next(f for label, f in scopes.items() if label.startswith("conseiller"))
    national = ActivityFilter()
    cases = (
        ("répartition nationale, tout", national, live_distribution),
        (
            f"département {departement.departements[0]}, année 2025",
            replace(departement, start=ONE_YEAR[0], end=ONE_YEAR[1]),
            live_distribution,
        ),
        ("évolution mensuelle nationale, tout", national, live_evolution),
        ("un conseiller, tout", conseiller, live_figures),
    )
    print("\nRéférences « en direct » contre nos chiffres pour le même filtre :")
    print("| agrégation | nous p95 ms | SQL en direct p95 ms | nous / direct |")
    print("| --- | --- | --- | --- |")
    for label, f, query in cases:
        from django.db import connection

        def live(f, query=query):
            with connection.cursor() as cursor:
                return query(cursor, f)

        activity_figures(f)
        ours = timed(activity_figures, f, args.runs)
        direct = timed(live, f, args.live_runs)
        print(f"| {label} | {ours:.1f} | {direct:.1f} | × {ours / direct:.2f} |")
        emit(
            f"statistiques : {label}, p95",
            round(ours, 1),
            goal="≤ l'ancre",
            anchor=("SQL en direct sur les CRA (façon La Coop)", round(direct, 1)),
        )


def upkeep(args):
    """The write with and without the rollup upkeep (bench/stats.py's alternating blocks)."""
    import io
    from contextlib import redirect_stdout

    output = io.StringIO()
    with redirect_stdout(output):
        times = core.bench_writes(args, random.Random(args.seed))  # noqa: S311 — synthetic data
    print("\n" + output.getvalue().rstrip())
    emit(
        "écriture d'un CRA avec l'entretien des statistiques (save_record)",
        round(times["avec"], 2),
        goal="≤ 2 × sans",
        anchor=("la même écriture sans l'entretien", round(times["sans"], 2)),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--live-runs", type=int, default=3)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    core.setup_django(core.bench_url())
    from django.db import connection

    from cnum.stats.models import ActivityRollup

    count = core.record_count()
    if not count or not ActivityRollup.objects.exists():
        print("La base de bench/stats.py est vide ou ses agrégats ne sont pas construits : "
              "lancer d'abord bench/stats.py (voir bench/README.md).")  # fmt: skip
        sys.exit(2)
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"{count:,} CRA".replace(",", " "))  # fmt: skip
    # Planner statistics up to date, as PostgreSQL's autovacuum keeps them: after a migration
    # that added rows, SQLite otherwise keeps choosing from its old statistics. On PostgreSQL,
    # VACUUM too, as autovacuum does after a rebuild: until the visibility map is set, every
    # index-only read of the rollups also visits the table (measured: national figures 154 ms
    # instead of 40 ms right after `rebuild_stats`). Minutes after a rebuild, instant after.
    command = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        for table in ("stats_activityrollup", "stats_yearrollup"):
            started = time.perf_counter()
            cursor.execute(f"{command} {table}")  # noqa: S608 — fixed table names
            print(f"{command} {table} : {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    figures_per_scope(args)
    national_page(args)
    references(args)
    upkeep(args)
    print(f"\nDurée : {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
