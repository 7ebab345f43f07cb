"""Territory rules: name normalisation, codes, commune search and distances."""

import math
import re
import unicodedata
from dataclasses import dataclass

from cnum.territories import search_index
from cnum.territories.models import Commune, CommuneSearchKey, FormerCommune

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_POSTAL_CODE = re.compile(r"[0-9]{5}")
_POSTAL_PREFIX = re.compile(r"[0-9]{2,4}")
_INSEE_CODE = re.compile(r"(?:[0-9]{5}|2[AB][0-9]{3})")
# « Saint-Denis (93) », « Saint-Denis (974) », « Ajaccio (2A) »: the label the widget shows.
_NAME_WITH_DEPARTEMENT = re.compile(r"^(?P<nom>.*\S)\s*\(\s*(?P<dep>[0-9]{2,3}|2[AaBb])\s*\)$")


def normalise(text):
    """Search form of a name: no accents, lower case, words separated by one space, « st » spelled
    « saint ». Idempotent, and the output only holds [a-z0-9 ]."""
    text = unicodedata.normalize("NFKD", str(text).casefold().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    # NFKD may produce letters that casefold again (e.g. compatibility capitals).
    text = text.casefold().translate(_LIGATURES)
    words = _NOT_ALNUM.sub(" ", text).split()
    return " ".join(_SAINT.get(word, word) for word in words)


def name_variants(nom):
    """Search forms of a name: normalised, then with its apostrophes dropped rather than
    spaced, so that « lhay les roses » finds « L'Haÿ-les-Roses » as « l hay » does."""
    return list(dict.fromkeys([normalise(nom), normalise(_APOSTROPHES.sub("", str(nom)))]))


def parse_postal_code(text):
    """The 5-digit postal code typed in `text` (spaces tolerated: « 75 001 »), or None."""
    compact = "".join(str(text).split())
    return compact if _POSTAL_CODE.fullmatch(compact) else None


def parse_insee_code(text):
    """The INSEE code typed in `text` (5 digits, or 2A/2B + 3 digits for Corsica), or None."""
    compact = "".join(str(text).split()).upper()
    return compact if _INSEE_CODE.fullmatch(compact) else None


def departement_code_from_insee(code_insee):
    """Département of a commune from its INSEE code (never from a postal code: 05110 serves
    communes of two départements). Overseas codes have three digits (971…978)."""
    code = parse_insee_code(code_insee or "")
    if code is None:
        raise ValueError(f"Code INSEE invalide : {code_insee!r}")
    return code[:3] if code.startswith("97") else code[:2]


def split_departement(text):
    """(name, département code or None) from « Nom (dép) »."""
    match = _NAME_WITH_DEPARTEMENT.match(str(text).strip())
    if match:
        return match["nom"], match["dep"].upper()
    return str(text).strip(), None


# --- Search -----------------------------------------------------------------------------------


def _communes():
    return Commune.objects.select_related("departement")


def search_communes(q, limit=10):
    """Communes matching `q`, best first: two queries, the loaded reference's checksum and the
    communes found in this process's index (docs/territoires.md#recherche).

    `q` may be an INSEE code (« 2A004 »), a postal code (« 75001 », or its first 2 to 4 digits),
    a name or the start of any of its words, accents and case ignored (« st etienne »), possibly
    followed by a département « (42) », or the name of a former commune (then its current
    commune). A code gives the commune with this INSEE code, then those with this postal code
    (see communes_for_code); a name gives exact names first, then by population.
    """
    limit = max(1, min(int(limit), 100))
    q = str(q or "").strip()[:200]
    if not q:
        return []

    code = parse_insee_code(q)
    if code:
        return communes_for_code(code)[:limit]
    compact = "".join(q.split())
    if compact.isascii() and compact.isdigit():
        if _POSTAL_PREFIX.fullmatch(compact):
            return _in_order(search_index.index().by_postal_prefix(compact)[:limit])
        return []

    name, departement = split_departement(q)
    return _search_by_name(normalise(name), departement, limit)


def communes_for_code(code, queryset=None):
    """The communes a typed code designates, each with `matched_as` saying how: the commune
    with this INSEE code first, then those with this postal code (« 75001 »: Paris 1er rather
    than Paris). « 97411 » is both Saint-Denis's INSEE code and Saint-Paul's postal code."""
    queryset = (Commune.objects.all() if queryset is None else queryset).select_related(
        "departement", "region", "parent"
    )
    # One query for both readings of the code (the postal code's communes from the index).
    postal = search_index.index().by_postal_code(code) if code.isdigit() else []
    found = list(queryset.filter(pk__in=[code, *postal]))
    by_insee = [commune for commune in found if commune.pk == code]
    for commune in by_insee:
        commune.matched_as = f"code commune {code}"
    by_postal = _most_precise(
        sorted(
            (commune for commune in found if commune.pk != code),
            key=lambda commune: (commune.type, -commune.population, commune.code_insee),
        )
    )
    for commune in by_postal:
        commune.matched_as = f"code postal {code}"
    return by_insee + by_postal


def _search_by_name(prefix, departement, limit):
    if not prefix:
        return []
    best = dict(search_index.index().by_name(prefix, departement)[:limit])
    found = _in_order(best)
    _label_former(found, {code: former for code, former in best.items() if former})
    return found


def _in_order(codes):
    """The communes of `codes` (with their département), in that order: one query."""
    by_code = _communes().in_bulk(list(codes))
    return [by_code[code] for code in codes if code in by_code]


def _label_former(communes, former_of):
    """Label the communes found by the name of a former commune (one query, when any)."""
    if not former_of:
        return
    formers = FormerCommune.objects.in_bulk(former_of.values())
    for commune in communes:
        former = formers.get(former_of.get(commune.pk))
        if former:
            former.commune = commune
            commune.matched_as = former.libelle


# --- Resolving typed text to one commune (forms without JavaScript) -----------------------------


class CommuneNotResolved(ValueError):
    """The text designates no commune, or several: `message` says which (in French)."""

    def __init__(self, message, candidates=()):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)


MAX_CANDIDATES = 8


def _labels(communes):
    return ", ".join(c.libelle for c in communes[:MAX_CANDIDATES]) + (
        ", …" if len(communes) > MAX_CANDIDATES else ""
    )


def _most_precise(communes):
    """Drop a commune when one of its arrondissements is also there (« 75001 » → Paris 1er)."""
    parents = {c.parent_id for c in communes if c.parent_id}
    return [c for c in communes if c.pk not in parents]


def _resolve_code(code, queryset):
    found = communes_for_code(code, queryset)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommuneNotResolved(
            f"Aucune commune ne correspond au code « {code} ». Vérifiez le code postal ou le "
            "code INSEE, ou tapez le nom de la commune."
        )
    by_postal = [c for c in found if c.matched_as.startswith("code postal")]
    hint = (
        "Choisissez-en une dans la liste ou tapez son nom suivi du département, "
        f"par exemple « {found[0].libelle} »."
    )
    if len(by_postal) < len(found):
        names = ", ".join(c.nom for c in by_postal[:MAX_CANDIDATES])
        raise CommuneNotResolved(
            f"« {code} » est à la fois un code commune et un code postal : "
            f"{found[0].nom} (code commune {code}) ou {names} (code postal {code}) ? {hint}",
            found,
        )
    raise CommuneNotResolved(
        f"Plusieurs communes ont le code postal {code} : {_labels(found)}. {hint}", found
    )


def _exact_name(key, departement, queryset):
    """Communes whose name (or, failing that, a former commune's name) is `key`, with or
    without its apostrophes."""
    keys = CommuneSearchKey.objects.filter(
        key=key, whole_name=True, commune__in=queryset.values("pk")
    )
    if departement:
        keys = keys.filter(commune__departement_id=departement)
    rows = list(keys.values_list("commune_id", "former_id"))
    own = [code for code, former in rows if former is None]
    former_of = {} if own else {code: former for code, former in rows}
    codes = own or list(former_of)
    found = list(queryset.filter(pk__in=codes).order_by("-population", "code_insee"))
    _label_former(found, former_of)
    return found


def resolve_commune(text, queryset=None):
    """The one commune `text` designates: « Nom (dép) » (as the autocomplete writes it), an exact
    name, a postal code or an INSEE code. Raises CommuneNotResolved, listing the candidates,
    when the text is unknown or ambiguous."""
    queryset = (Commune.objects.all() if queryset is None else queryset).select_related(
        "departement", "region", "parent"
    )
    text = str(text or "").strip()[:200]
    if not text:
        raise CommuneNotResolved("Indiquez une commune.")
    code = parse_insee_code(text)
    if code:
        return _resolve_code(code, queryset)

    name, departement = split_departement(text)
    key = normalise(name)
    if not key:
        raise CommuneNotResolved("Tapez le nom, le code postal ou le code INSEE de la commune.")
    found = _exact_name(key, departement, queryset)
    if len(found) == 1:
        return found[0]
    if found:
        raise CommuneNotResolved(
            f"Plusieurs communes s'appellent « {name} » : {_labels(found)}. Choisissez-en une dans "
            f"la liste ou précisez le département, par exemple « {found[0].libelle} ».",
            found,
        )
    candidates = search_communes(name, MAX_CANDIDATES)
    allowed = set(queryset.filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
    suggestions = [c for c in candidates if c.pk in allowed]
    if departement:
        suggestions = [c for c in suggestions if c.departement_id == departement] or suggestions
    message = f"Aucune commune ne s'appelle « {text} »."
    if suggestions:
        message += f" Vouliez-vous dire : {_labels(suggestions)} ?"
    else:
        message += " Vérifiez l'orthographe ou tapez le code postal."
    raise CommuneNotResolved(message, suggestions)


# --- Distances --------------------------------------------------------------------------------


def distance_km(a, b):
    """Great-circle distance in km between two (latitude, longitude) points (haversine)."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Nearby:
    commune: Commune
    distance_km: float


def bounding_box(lat, lon, radius_km):
    """(lat_min, lat_max, lon_min, lon_max) containing every point within `radius_km`."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    lat_min, lat_max = lat - dlat, lat + dlat
    if lat_max >= 90 or lat_min <= -90:
        return max(lat_min, -90.0), min(lat_max, 90.0), -180.0, 180.0
    # Widest longitude span is at the latitude farthest from the equator within the box.
    cos_lat = math.cos(math.radians(max(abs(lat_min), abs(lat_max))))
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    if dlon >= 180:
        return lat_min, lat_max, -180.0, 180.0
    return lat_min, lat_max, lon - dlon, lon + dlon


def communes_within(lat, lon, radius_km, queryset=None):
    """Communes whose centre lies within `radius_km` of (lat, lon), nearest first, as `Nearby`.

    The (latitude, longitude) index narrows to a bounding box; haversine decides. The box does
    not wrap around the antimeridian: no French commune is near it.
    """
    lat, lon, radius_km = float(lat), float(lon), float(radius_km)
    if not all(map(math.isfinite, (lat, lon, radius_km))) or radius_km < 0:
        raise ValueError("Coordonnées ou rayon invalides.")
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_km)
    queryset = Commune.objects.all() if queryset is None else queryset
    candidates = queryset.filter(
        latitude__gte=lat_min,
        latitude__lte=lat_max,
        longitude__gte=lon_min,
        longitude__lte=lon_max,
    ).select_related("departement")
    found = []
    for commune in candidates:
        distance = distance_km((lat, lon), (commune.latitude, commune.longitude))
        if distance <= radius_km:
            found.append(Nearby(commune, distance))
    found.sort(key=lambda n: (n.distance_km, n.commune.code_insee))
    return found
