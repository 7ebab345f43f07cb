"""Coverage of the last `make test COVERAGE=1`, one line per app and the total."""

import json
from collections import defaultdict
from pathlib import Path

import coverage

REPORT = Path("var/coverage.json")
measured = coverage.Coverage()
measured.load()
measured.json_report(outfile=str(REPORT))
files = json.loads(REPORT.read_text())["files"]
apps = defaultdict(lambda: [0, 0])
for path, data in files.items():
    parts = path.split("/")
    if "migrations" in parts or "tests" in parts:
        continue
    app = parts[1] if len(parts) > 2 else "(racine)"
    apps[app][0] += data["summary"]["covered_lines"]
    apps[app][1] += data["summary"]["num_statements"]
print("Couverture des tests (lignes exécutées, hors tests et migrations) :")
for app, (covered, total) in sorted(apps.items()):
    print(f"  {app:<14} {covered:>6} / {total:<6} {100 * covered / max(total, 1):5.1f} %")
covered, total = map(sum, zip(*apps.values(), strict=True))
print(f"  {'total':<14} {covered:>6} / {total:<6} {100 * covered / max(total, 1):5.1f} %")
