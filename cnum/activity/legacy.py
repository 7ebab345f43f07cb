"""Mapping of legacy (v1, 2021–2024) CRA to the current model (docs/domaine.md#cra-v1).

v1 → v2 mapping table
=====================

========================  ==================================================================
v1                        v2
========================  ==================================================================
``_id.$oid``              ``legacy_id`` (unique: re-importing a record changes nothing)
``conseiller.$id.$oid``   ``conseiller`` through the mapping file (legacy id → e-mail of an
                          account holding, or having held, the conseiller role; other
                          mapping lines are refused); unknown → the line is reported, never
                          dropped silently. A record is checked for its own content first:
                          an invalid one is reported as such whoever its conseiller is
``structure.$id.$oid``    ``structure`` through the mapping file (legacy id → SIRET), else
                          the conseiller's structure
``activite``              ``individuel``/``ponctuel`` with 1 participant → ``individuel``;
                          ``collectif``, or more than 1 participant → ``collectif`` (title
                          « Atelier collectif » when none)
``canal``                 ``rattachement`` → ``lieu_activite`` (the place: see ``permanence``);
                          ``autre lieu`` → ``autre``; ``distance`` → ``a_distance``;
                          ``domicile`` → ``domicile``
``permanence``            kept raw in ``legacy_data``; for ``rattachement`` only, ``place`` is
                          the conseiller's place (one they are linked to) that matches it:
                          1. the only one whose ``pivot`` is the permanence's ``siret`` (or
                          ``pivot``); 2. else the one whose name (``nomEnseigne`` or
                          ``nom``; case, accents and spacing ignored) and commune (INSEE code
                          ``adresse.codeCommune`` or ``codeCommune``) both match; 3. else the
                          conseiller's main place; none if they have no place
``codeCommune``           ``commune`` (INSEE code; required for ``autre`` and ``domicile``)
``duree``                 ``0-30`` → 15; ``30-60`` → 45; minutes (60–480) kept
``dateAccompagnement``    ``date`` (Europe/Paris day; must be ≥ 2020-01-01)
``themes``                ``thematiques`` (see THEMES; duplicates merged)
``sousThemes``            kept in ``legacy_data``
``nbParticipants``        ``participants_anonymes`` (v1 had no followed beneficiaries)
``age`` counts            ``moins12ans`` → moins_de_douze; ``de12a18ans`` → douze_dix_huit;
                          ``de18a35ans`` → vingt_cinq_trente_neuf; ``de35a60ans`` →
                          quarante_cinquante_neuf; ``plus60ans`` → soixante_soixante_neuf
                          (the v2 bracket overlapping most); raw counts kept in legacy_data
``statut`` counts         ``etudiant`` → scolarise; ``sansEmploi`` → sans_emploi;
                          ``enEmploi`` → en_emploi; ``retraite`` → retraite;
                          ``heterogene`` → non_communique
(gender)                  not in v1: every participant → ``genre_non_communique``
``age``/``statut`` string earliest shape: every participant in that one bracket / status
breakdown short of total  the remainder → ``non_communique``; over the total → error
``organismes``/``organisme``  individual: ``oriente`` = yes, ``orientation_kind`` from ORGANISMES
                          (free text → ``autre``), names in ``precision_demarche``; collective:
                          kept in legacy_data only (orientation is individual in v2)
``nbParticipantsRecurrents``, ``accompagnement``  kept in ``legacy_data``
========================  ==================================================================
"""

import datetime
import functools
import json
import unicodedata
from typing import NamedTuple
from zoneinfo import ZoneInfo

import orjson

from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    GENRE_FIELDS,
    STATUT_FIELDS,
    CraType,
    Genre,
    StructureKind,
    Thematique,
    TrancheAge,
    TypeLieu,
)

PARIS = ZoneInfo("Europe/Paris")

CANAL = {
    "rattachement": TypeLieu.LIEU_ACTIVITE,
    "autre lieu": TypeLieu.AUTRE,
    "autre": TypeLieu.AUTRE,
    "distance": TypeLieu.A_DISTANCE,
    "domicile": TypeLieu.DOMICILE,
}
THEMES = {
    "equipement informatique": Thematique.MATERIEL,
    "vocabulaire": Thematique.CULTURE,
    "internet": Thematique.NAVIGATION,
    "securite": Thematique.SECURITE,
    "courriel": Thematique.EMAIL,
    "echanger": Thematique.RESEAUX_SOCIAUX,
    "traitement texte": Thematique.BUREAUTIQUE,
    "contenus numeriques": Thematique.CONTENUS,
    "trouver emploi": Thematique.INSERTION,
    "tpe/pme": Thematique.ENTREPRENEURIAT,
    "accompagner enfant": Thematique.PARENTALITE,
    "demarche en ligne": Thematique.DEMARCHES,
    "fraude et harcelement": Thematique.SECURITE,
    "sante": Thematique.SANTE,
    "smartphone": Thematique.MATERIEL,
    "budget": Thematique.BANQUE,
    "scolaire": Thematique.SCOLARITE,
    "diagnostic": Thematique.DIAGNOSTIC,
    "autre": Thematique.CULTURE,
}
AGES = {
    "moins12ans": TrancheAge.MOINS_12,
    "de12a18ans": TrancheAge.DE_12_18,
    "de18a35ans": TrancheAge.DE_25_39,
    "de35a60ans": TrancheAge.DE_40_59,
    "plus60ans": TrancheAge.DE_60_69,
}
STATUTS = {
    "etudiant": "scolarise",
    "sansEmploi": "sans_emploi",
    "enEmploi": "en_emploi",
    "retraite": "retraite",
    "heterogene": "non_communique",
}
ORGANISMES = {
    "ANTS": StructureKind.ADMINISTRATION,
    "Assistante sociale": StructureKind.AIDE_SOCIALE,
    "CAF": StructureKind.OPERATEUR,
    "CARSAT": StructureKind.OPERATEUR,
    "CCAS": StructureKind.AIDE_SOCIALE,
    "CEFS": StructureKind.AUTRE,
    "CIP": StructureKind.INSERTION,
    "CPAM": StructureKind.OPERATEUR,
    "DGFIP": StructureKind.ADMINISTRATION,
    "France Services": StructureKind.DEMARCHES,
    "Mairie": StructureKind.ADMINISTRATION,
    "Médiathèque": StructureKind.MEDIATION,
    "Mission locale": StructureKind.INSERTION,
    "Pôle emploi": StructureKind.INSERTION,
    "Préfecture": StructureKind.ADMINISTRATION,
    "Sous-préfecture": StructureKind.ADMINISTRATION,
    "Service de police": StructureKind.ADMINISTRATION,
    "Gendarmerie": StructureKind.ADMINISTRATION,
    "Revendeur informatique": StructureKind.AUTRE,
    "Tiers-lieu / Fablab": StructureKind.MEDIATION,
}
DUREE_RANGES = {"0-30": 15, "30-60": 45}
# Plain strings: hashing enum members is slow over millions of records.
CANAL, THEMES, AGES, ORGANISMES = (
    {key: str(value) for key, value in table.items()} for table in (CANAL, THEMES, AGES, ORGANISMES)
)


INDIVIDUEL, COLLECTIF = str(CraType.INDIVIDUEL), str(CraType.COLLECTIF)
AUTRE_KIND = str(StructureKind.AUTRE)
GENRE_UNKNOWN = GENRE_FIELDS[Genre.NON_COMMUNIQUE]
NO_COUNTS = dict.fromkeys(COUNT_FIELDS, 0)
# v1 fields kept as they were in `legacy_data`.
KEPT = (
    "activite", "canal", "themes", "sousThemes", "age", "statut", "organismes", "organisme",
    "nbParticipantsRecurrents", "accompagnement", "codePostal", "nomCommune",
)  # fmt: skip


class LegacyError(ValueError):
    """A record that cannot be mapped; the message is the error report's line."""


def oid(value):
    """The hex id of an extended-JSON ObjectId, a DBRef or a plain string."""
    if isinstance(value, dict):
        if "$id" in value:
            return oid(value["$id"])
        return value.get("$oid")
    return value if isinstance(value, str) else None


def parse_date(value):
    """A Paris date from `{"$date": ISO or {"$numberLong": ms}}`, an ISO string or ms."""
    if isinstance(value, dict):
        value = value.get("$date")
        if isinstance(value, dict):
            value = int(value.get("$numberLong", "x"))
    if isinstance(value, str):
        return _paris_day(value)
    return _paris_day_uncached(value)


@functools.lru_cache(maxsize=1 << 16)
def _paris_day(value):
    # Exports repeat the same instants (often Paris midnight): parse each once.
    return _paris_day_uncached(value)


def _paris_day_uncached(value):
    if isinstance(value, int | float):
        moment = datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    elif isinstance(value, str):
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return moment.date()
    else:
        raise LegacyError("date d'accompagnement absente")
    return moment.astimezone(PARIS).date()


def number(value, name):
    """An int from a JSON number, a numeric string or `{"$numberInt": …}`."""
    if type(value) is int and value >= 0:  # the usual case, and what the checks below keep
        return value
    if isinstance(value, dict):
        value = value.get("$numberInt", value.get("$numberLong", value.get("$numberDouble")))
    if value in (None, ""):
        return 0
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise LegacyError(f"{name} : « {value} » n'est pas un nombre") from None
    if result != int(result) or result < 0:
        raise LegacyError(f"{name} : « {value} » n'est pas un entier positif")
    return int(result)


def duree(value):
    if isinstance(value, str) and value.strip() in DUREE_RANGES:
        return DUREE_RANGES[value.strip()]
    minutes = number(value, "durée")
    if minutes <= 0:
        raise LegacyError(f"durée « {value} » invalide")
    return minutes


def breakdown(raw, mapping, target, total, name):
    """Counts by v2 value from v1 counts (or the earliest single string); remainder → n.c."""
    counts = dict.fromkeys(target.values(), 0)
    if isinstance(raw, str):
        if raw not in mapping:
            raise LegacyError(f"{name} « {raw} » inconnu")
        counts[target[mapping[raw]]] = total
        return counts
    raw = raw or {}
    if not isinstance(raw, dict):
        raise LegacyError(f"{name} illisible")
    for key, value in raw.items():
        if key not in mapping:
            raise LegacyError(f"{name} « {key} » inconnu")
        counts[target[mapping[key]]] += number(value, key)
    given = sum(counts.values())
    if given > total:
        raise LegacyError(f"la répartition par {name} ({given}) dépasse les participants ({total})")
    counts[target["non_communique"]] += total - given
    return counts


def organismes(cra):
    """[(name, count)] from `organismes` (list of {name: count}) or the earliest `organisme`."""
    raw = cra.get("organismes")
    if raw is None and cra.get("organisme"):
        raw = [{cra["organisme"]: 1}]
    found = []
    for item in raw or []:
        if isinstance(item, dict):
            found.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, str):
            found.append((item, 1))
    return found


def map_record(doc):
    """v2 field values of a v1 document (conseiller and places resolved by the caller)."""
    cra = doc.get("cra")
    if not isinstance(cra, dict):
        raise LegacyError("champ « cra » absent")
    total = number(cra.get("nbParticipants"), "nbParticipants")
    if not 1 <= total <= 100:
        raise LegacyError(f"nbParticipants = {total} (attendu entre 1 et 100)")
    activite = cra.get("activite")
    if activite not in ("individuel", "collectif", "ponctuel"):
        raise LegacyError(f"activité « {activite} » inconnue")
    kind = COLLECTIF if activite == "collectif" or total > 1 else INDIVIDUEL
    canal = CANAL.get(cra.get("canal"))
    if canal is None:
        raise LegacyError(f"canal « {cra.get('canal')} » inconnu")
    themes = cra.get("themes") or []
    themes = [themes] if isinstance(themes, str) else themes
    unknown = [t for t in themes if t not in THEMES]
    if unknown or not themes:
        raise LegacyError(f"thème(s) inconnu(s) ou absent(s) : {', '.join(map(str, unknown))}")
    values = {
        "type": kind,
        "date": parse_date(cra.get("dateAccompagnement")),
        "duree": duree(cra.get("duree")),
        "type_lieu": canal,
        "commune_insee": (str(cra.get("codeCommune") or "").strip() or None),
        "thematiques": list(dict.fromkeys(THEMES[t] for t in themes)),
        "materiel": [],
        "demarches": [],
        "participants_anonymes": total,
        **NO_COUNTS,
        GENRE_UNKNOWN: total,
        **breakdown(cra.get("age"), AGES, AGE_FIELDS, total, "âge"),
        **breakdown(cra.get("statut"), STATUTS, STATUT_FIELDS, total, "statut"),
        "titre": "Atelier collectif" if kind == COLLECTIF else "",
        "legacy_id": oid(doc.get("_id")),
    }
    redirections = organismes(cra)
    if redirections and kind == INDIVIDUEL:
        values["oriente"] = True
        values["orientation_kind"] = ORGANISMES.get(redirections[0][0], AUTRE_KIND)
        values["precision_demarche"] = ", ".join(name for name, _ in redirections)[:500]
    values["legacy_data"] = {k: cra[k] for k in KEPT if k in cra}
    if doc.get("permanence"):
        values["legacy_data"]["permanence"] = doc["permanence"]
    return values


class Permanence(NamedTuple):
    """What identifies a v1 permanence among the conseiller's places (see the table above)."""

    pivot: str | None
    name: str | None
    insee: str | None


def permanence(doc):
    """The Permanence of a v1 document, or None when it has none (or an unreadable one)."""
    raw = doc.get("permanence")
    if not isinstance(raw, dict):
        return None
    address = raw.get("adresse") if isinstance(raw.get("adresse"), dict) else {}
    pivot = _text(raw.get("siret") or raw.get("pivot"))
    name = _text(raw.get("nomEnseigne") or raw.get("nom"))
    insee = _text(address.get("codeCommune") or raw.get("codeCommune"))
    return Permanence(pivot, normalise_name(name) if name else None, insee)


def _text(value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


@functools.lru_cache(maxsize=1 << 14)
def normalise_name(name):
    """A place name as compared: without case, accents or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_line(line, *, csv_row=None):
    """A v1 document from a JSON Lines line (str or UTF-8 bytes), or from a CSV row (dict;
    JSON-encoded columns)."""
    if csv_row is not None:
        return csv_document(csv_row)
    try:
        doc = orjson.loads(line)  # 3 to 4 times faster than json.loads on these lines
    except orjson.JSONDecodeError:
        # What orjson refuses (broken lines, bad UTF-8, NaN, integers beyond 64 bits, lone
        # surrogates) goes through json, which accepts the same documents as before and says
        # why it refuses the others in the error report's words.
        return _parse_line_slowly(line)
    if not isinstance(doc, dict):
        raise LegacyError("la ligne n'est pas un objet JSON")
    return doc


def _parse_line_slowly(line):
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LegacyError(f"JSON illisible ({exc.msg})") from None
    except UnicodeDecodeError:
        raise LegacyError("ligne illisible : encodage autre que UTF-8") from None
    if not isinstance(doc, dict):
        raise LegacyError("la ligne n'est pas un objet JSON")
    return doc


def csv_document(row):
    """CSV export: `_id`, `conseiller`, `structure`, `createdAt` and `cra.<field>` columns;
    list and object values as JSON, lists also accepted joined with `|`."""
    cra = {}
    for key, value in row.items():
        if key and key.startswith("cra.") and value not in (None, ""):
            cra[key[4:]] = _csv_value(value)
    return {
        "_id": row.get("_id"),
        "conseiller": row.get("conseiller"),
        "structure": row.get("structure"),
        "cra": cra,
    }


def _csv_value(value):
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value.split("|") if "|" in value else value
