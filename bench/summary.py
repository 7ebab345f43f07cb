"""Every national-scale bench side by side with its anchors, in one run: bench/summary.md.

    uv run python bench/summary.py            # SQLite, then PostgreSQL if it answers
    make bench-summary

Each bench runs in its own process on its own database (as `make bench` does), with
BENCH_RESULTS naming a file where it writes its lines (bench/results.py). The table gives, per
work and engine: our figure, the goal, the anchor and the physical reference measured in the
same run on the same data, and our figure's ratio to each. The 10× runs stay separate
(bench/README.md).
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/cnum_bench"
# (script, options): national scale, fewer repetitions than the full benches where the
# percentiles are already stable.
BENCHES = (
    ("territories.py", ["--queries", "2000", "--points", "20"]),
    ("places.py", ["--queries", "500"]),
    (
        "matching.py",
        ["--scale", "1", "--samples", "100", "--anchor-samples", "50", "--no-baseline"],
    ),
    ("allocation.py", ["--db", "national", "--only"]),
    # The legacy import, statistics kept as in production, then without them.
    ("activity_import.py", ["--records", "100000"]),
    ("activity_import.py", ["--records", "100000", "--without-stats"]),
    # On bench/stats.py's 10 M records when they are there (generating them takes ≈ 35 min per
    # engine): otherwise the script exits with NO_DATA and the summary says so.
    ("stats_summary.py", ["--runs", "20", "--live-runs", "3", "--writes", "200"]),
)
NO_DATA = 2


def postgres_answers():
    try:
        import psycopg

        psycopg.connect(POSTGRES.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 (any failure means: no PostgreSQL to measure)
        return False
    return True


def run(script, options, engine, results):
    env = {**os.environ, "BENCH_RESULTS": results, "BENCH_ENGINE": engine}
    env.pop("DATABASE_URL", None)
    if engine == "postgresql":
        env["DATABASE_URL"] = POSTGRES
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own scripts, fixed arguments)
        [sys.executable, str(ROOT / "bench" / script), *options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    print(f"  {script} ({engine}) : {seconds:.0f} s, code {done.returncode}", flush=True)
    if done.returncode not in (0, NO_DATA):
        print(done.stdout[-2000:], done.stderr[-4000:], sep="\n")
    return done.returncode


def ratio(ours, other):
    if not other or other[1] in (None, 0) or ours in (None, 0):
        return ""
    value = ours / other[1]
    return f"× {value:.2f}" if value < 10 else f"× {value:.0f}"


def cell(value):
    if value is None:
        return "—"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def table(lines):
    rows = [
        "| travail | moteur | nous | objectif | ancre | nous / ancre | référence physique "
        "| nous / référence | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for line in lines:
        unit = line["unit"]

        def measured(pair, unit=unit):
            return f"{pair[0]} : {cell(pair[1])} {unit}" if pair else "—"

        anchor, reference = line["anchor"], line["reference"]
        rows.append(
            f"| {line['work']} | {line['engine']} | **{cell(line['ours'])} {unit}** "
            f"| {line['goal']} {unit} | {measured(anchor)} | {ratio(line['ours'], anchor)} "
            f"| {measured(reference)} | {ratio(line['ours'], reference)} | {line['note']} |"
        )
    return "\n".join(rows)


def main():
    load = os.getloadavg()
    started = time.perf_counter()
    engines = ["sqlite"] + (["postgresql"] if postgres_answers() else [])
    lines, failed, absent = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for engine in engines:
            for index, (script, options) in enumerate(BENCHES):
                results = str(Path(folder) / f"{engine}-{index}-{script}.jsonl")
                code = run(script, options, engine, results)
                if code == NO_DATA:
                    absent.append(f"{script} ({engine})")
                elif code:
                    failed.append(f"{script} ({engine})")
                if Path(results).exists():
                    for text in Path(results).read_text(encoding="utf-8").splitlines():
                        lines.append({**json.loads(text), "engine": engine})
    minutes = (time.perf_counter() - started) / 60
    now = datetime.datetime.now().astimezone()
    report = [
        "# Résumé des mesures de performance",
        "",
        f"Produit par `make bench-summary` le {now:%d/%m/%Y à %H:%M} ({minutes:.1f} min) ; "
        f"charge moyenne de la machine au départ : {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1 / 5 / 15 min) sur {os.cpu_count()} processeurs. Chaque ligne : notre mesure, "
        "l'objectif, l'ancre (ce que ferait une solution ordinaire) et la référence physique "
        "(la borne de ce que permet la machine), mesurées dans la même exécution sur les mêmes "
        "données. Détails et mesures à 10× : `bench/README.md`.",
        "",
        table(lines),
        "",
    ]
    if absent:
        report += ["Sans données (lancer d'abord bench/stats.py) : " + ", ".join(absent), ""]
    if failed:
        report += ["Échecs : " + ", ".join(failed), ""]
    (ROOT / "bench" / "summary.md").write_text("\n".join(report), encoding="utf-8")
    print("\n".join(report))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
