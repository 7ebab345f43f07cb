"""One line of the performance summary, written by a bench when `make bench-summary` runs it.

`bench/summary.py` starts each bench with BENCH_RESULTS naming a file; `emit` appends one JSON
line there: our figure, the goal, and the anchor and physical reference measured in the same
run on the same data. Outside the summary (BENCH_RESULTS unset) it does nothing.
"""

import json
import os


def emit(work, ours, *, goal, unit="ms", anchor=None, reference=None, note=""):
    """`anchor` and `reference`: (label, value in `unit`) or None. `goal`: text, e.g. "≤ 10"."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    line = {
        "work": work,
        "ours": ours,
        "unit": unit,
        "goal": goal,
        "anchor": anchor,
        "reference": reference,
        "note": note,
    }
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
