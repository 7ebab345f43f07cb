"""Benchmark of the PDF documents: the national statistics report (docs/documents.md#mesures).

    uv run python bench/documents.py                       # SQLite, 300 000 CRA
    uv run python bench/documents.py --records 1000000 --runs 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/documents.py

Uses its own database (var/bench-documents.sqlite3, or cnum_docs next to DATABASE_URL's
PostgreSQL), filled as bench/stats.py does when it does not hold `--records` records. Measures,
as the national administration, the full GET of /statistiques/rapport.pdf (national, the
biggest département, the most active conseiller; last twelve months): p50/p95 wall time after
a warm-up, the process CPU time per report (the figure a loaded machine does not inflate), and
its split between the dashboard (figures and comparisons), the HTML template and WeasyPrint,
with the number of pages of the PDF. Target: the national report (about ten pages) in at most
3 s.
"""

import argparse
import io
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import stats as core  # noqa: E402 — bench/stats.py: database, fill, dashboards' filters
from stats_dashboards import admin_client, query_of  # noqa: E402
from territories import percentile  # noqa: E402

core.DATABASE = "cnum_docs"
core.SQLITE_FILE = "bench-documents.sqlite3"


class Split:
    """Wraps the steps of a report to time them: dashboard, template, WeasyPrint."""

    def __init__(self):
        from cnum.documents import services
        from cnum.stats import views

        self.times = {"tableau": 0.0, "gabarit": 0.0, "pdf": 0.0}
        self._wrap(views.Request, "build", "tableau", method=True)
        self._wrap(services, "render_to_string", "gabarit")
        self._wrap(services, "write_pdf", "pdf")

    def _wrap(self, owner, name, key, method=False):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times[key] += time.perf_counter() - started

        setattr(owner, name, timed)

    def reset(self):
        self.times = dict.fromkeys(self.times, 0.0)


def pages_of(content):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def bench_report(client, split, label, query, runs):
    url = f"/statistiques/rapport.pdf?{query}" if query else "/statistiques/rapport.pdf"
    response = client.get(url, secure=True)  # warm-up (fonts, stylesheets)
    assert response.status_code == 200, (url, response.status_code)
    walls, cpus, parts = [], [], []
    for _ in range(runs):
        split.reset()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        parts.append(dict(split.times))
        assert response.status_code == 200, (url, response.status_code)
    middle = sorted(range(runs), key=lambda i: walls[i])[runs // 2]
    part = {key: value * 1000 for key, value in parts[middle].items()}
    print(
        f"| {label} | {pages_of(response.content)} | {percentile(walls, 0.5):.0f} "
        f"| {percentile(walls, 0.95):.0f} | {percentile(cpus, 0.5):.0f} "
        f"| {part['tableau']:.0f} | {part['gabarit']:.0f} | {part['pdf']:.0f} "
        f"| {len(response.content) / 1024:.0f} Ko |"
    )
    return percentile(walls, 0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    core.setup_django(core.bench_url())
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    print(f"Base : {connection.vendor} ({connection.settings_dict['NAME']})")
    if core.record_count() != args.records:
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
    split = Split()
    reports = dict(core.dashboards())
    chosen = [
        ("national", reports["national"]),
        *[(label, f) for label, f in reports.items() if label.startswith("département")],
        *[(label, f) for label, f in reports.items() if label.startswith("conseiller")],
    ]
    print(
        f"\nRapport statistique en PDF, 12 derniers mois ({args.runs} appels après un de chauffe) :"
    )
    print(
        "| rapport | pages | p50 ms | p95 ms | CPU p50 ms | tableau ms | gabarit ms "
        "| WeasyPrint ms | taille |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    national = None
    for label, f in chosen:
        p50 = bench_report(client, split, label, query_of(f), args.runs)
        national = national or p50
    verdict = "tenu" if national <= 3000 else "NON TENU"
    print(f"\nObjectif : rapport national ≤ 3 000 ms — p50 {national:.0f} ms : {verdict}.")


if __name__ == "__main__":
    main()
