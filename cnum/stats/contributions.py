"""What one activity record adds to the rollups: its measures and the rollup keys it feeds.

This module is the single definition of every indicator; the upkeep on writes, the rebuild,
the check and the live aggregation (the benchmark baseline) all go through `contribution` and
`keys`. A record is read as `Facts`, a flat copy of what counts, loaded in bulk by
`load_facts` (no query per record) or taken from a `Cra` instance by `facts_of`.

Definitions (docs/domaine.md#cra, docs/statistiques.md):
- accompagnements: one per person accompanied — 1 for an individual record, anonymous
  participants + followed beneficiaries for a collective one;
- participations_suivies: followed beneficiaries taking part (the individual record's
  beneficiary, the collective record's beneficiaries); participants_anonymes: the others;
- age, genre, statut: per participant — the anonymous counts of the record plus each followed
  beneficiary's gender, status and age bracket at the record's date (from the birth year);
- thématiques, démarches, matériel: one per value present on the record (multi-valued);
  lieu, durée, autonomie, niveau, orientation kind: one per record;
- a soft-deleted record contributes nothing.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection

from cnum.activity.enums import (
    AGE_FIELDS,
    GENRE_FIELDS,
    STATUT_FIELDS,
    CraType,
    tranche_for_age,
)
from cnum.activity.models import Cra
from cnum.stats.measures import DUREE_BUCKETS, MEASURE_COLUMNS
from cnum.stats.models import LEVELS_BY_THEMATIQUE, Level

COLUMN_INDEX = {column: i for i, column in enumerate(MEASURE_COLUMNS)}

# Columns of Cra read for a contribution, in the order of `Facts` fields after `pk`.
RECORD_VALUES = (
    "pk", "conseiller_id", "structure_id", "type", "date", "duree", "type_lieu", "place_id",
    "materiel", "thematiques", "demarches", "autonomie", "oriente", "orientation_kind",
    "orientation_place_id", "niveau", "participants_anonymes", "legacy_id", "deleted_at",
    *GENRE_FIELDS.values(), *AGE_FIELDS.values(), *STATUT_FIELDS.values(),
    # The commune and département the record is placed in (see `departement_of`).
    "commune_id", "place__commune_id", "structure__departement_id",
    "place__commune__departement_id", "commune__departement_id",
    # The individual record's followed beneficiary.
    "beneficiary_id", "beneficiary__genre", "beneficiary__annee_naissance",
    "beneficiary__statut",
)  # fmt: skip
COUNT_COLUMNS = (*GENRE_FIELDS.values(), *AGE_FIELDS.values(), *STATUT_FIELDS.values())


@dataclass(slots=True)
class Follower:
    """A followed beneficiary taking part in a record (no personal data)."""

    genre: str
    annee_naissance: int | None
    statut: str


@dataclass(slots=True)
class Facts:
    pk: int
    conseiller_id: int
    structure_id: int | None
    type: str
    date: object
    duree: int
    type_lieu: str
    place_id: int | None
    commune_id: str | None  # the record's commune, else its place's commune
    departement: str
    materiel: list
    thematiques: list
    demarches: list
    autonomie: str
    oriente: bool
    orientation_kind: str
    orientation_place_id: int | None
    niveau: str
    participants_anonymes: int
    counts: dict  # anonymous count column → number
    legacy: bool
    deleted: bool
    followers: list = field(default_factory=list)


def departement_of(structure_dep, place_dep, commune_dep):
    """The record's structure's département, else its place's, else its commune's, else ""."""
    return structure_dep or place_dep or commune_dep or ""


def facts_from_row(row):
    """`Facts` from a tuple of RECORD_VALUES (followers of collective records added later), as
    the ORM gives it or as a plain cursor does (JSON as text, SQLite's dates as text and
    booleans as 0/1)."""
    values = dict(zip(RECORD_VALUES, row, strict=True))
    facts = Facts(
        pk=values["pk"],
        conseiller_id=values["conseiller_id"],
        structure_id=values["structure_id"],
        type=values["type"],
        date=as_date(values["date"]),
        duree=values["duree"],
        type_lieu=values["type_lieu"],
        place_id=values["place_id"],
        commune_id=values["commune_id"] or values["place__commune_id"],
        departement=departement_of(
            values["structure__departement_id"],
            values["place__commune__departement_id"],
            values["commune__departement_id"],
        ),
        materiel=_list(values["materiel"]),
        thematiques=_list(values["thematiques"]),
        demarches=_list(values["demarches"]),
        autonomie=values["autonomie"],
        oriente=bool(values["oriente"]),
        orientation_kind=values["orientation_kind"],
        orientation_place_id=values["orientation_place_id"],
        niveau=values["niveau"],
        participants_anonymes=values["participants_anonymes"],
        counts={column: values[column] for column in COUNT_COLUMNS},
        legacy=values["legacy_id"] is not None,
        deleted=values["deleted_at"] is not None,
    )
    if values["beneficiary_id"] is not None:
        facts.followers.append(
            Follower(
                values["beneficiary__genre"],
                values["beneficiary__annee_naissance"],
                values["beneficiary__statut"],
            )
        )
    return facts


def as_date(value):
    """A date column as read by a plain cursor (SQLite gives text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _list(value):
    if isinstance(value, str):
        value = json.loads(value)
    return value or []


@cache
def _facts_select():
    """The SELECT of RECORD_VALUES, its five joins included, without WHERE: compiled once.
    Building it (some forty values across the joins) cost the ORM 2 to 3 ms on every write, most
    of the rollup upkeep of a single record."""
    sql, params = Cra.objects.order_by().values_list(*RECORD_VALUES).query.sql_with_params()
    if params or " WHERE " in sql:
        raise ValueError("la lecture des CRA pour les statistiques ne doit rien filtrer")
    return sql


def fact_rows(queryset):
    """Rows of RECORD_VALUES of the records of `queryset`, read by a plain cursor (see
    `facts_from_row`): the compiled SELECT, restricted by `queryset`'s WHERE."""
    where, params = where_of(queryset)
    with prepared_cursor() as cursor:
        cursor.execute(f"{_facts_select()} WHERE {where}", params)  # noqa: S608
        return cursor.fetchall()


def prepared_cursor():
    """A cursor whose repeated statements PostgreSQL plans once per connection: it binds its
    parameters on the server, so psycopg prepares a statement run five times, and PostgreSQL
    then keeps one generic plan. Planning the facts read (six tables joined) cost 1.2 ms, twenty
    times its execution, on every write. Elsewhere, the usual cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    cursor = psycopg.Cursor(connection.connection)
    # Wrapped as Django wraps its own: logged in DEBUG and seen by execute wrappers.
    return (
        connection.make_debug_cursor(cursor)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )


def where_of(queryset):
    """(WHERE, params) of a queryset of records, for SQL written around the records' table
    under its own name. A queryset that joins other tables (or is sliced or combined) selects
    the records' ids in a subquery; one that does not (the usual `pk` filter of a write) is
    used as it is, which spares PostgreSQL planning a self-join of the records. Raises
    EmptyResultSet for a queryset that can select nothing."""
    query = queryset.query
    joined = [alias for alias in list(query.alias_map)[1:] if query.alias_refcount[alias]]
    if joined or query.is_sliced or query.combinator:
        quote = connection.ops.quote_name
        column = f"{quote(Cra._meta.db_table)}.{quote(Cra._meta.pk.column)}"
        ids, params = queryset.order_by().values("pk").query.sql_with_params()
        return f"{column} IN ({ids})", params
    try:
        return query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:  # no condition: every record
        return "1 = 1", []


def load_facts(queryset):
    """Facts of the records of `queryset`, with at most two queries whatever their number."""
    try:
        rows = fact_rows(queryset)
    except EmptyResultSet:  # a queryset that can select nothing
        return []
    by_pk = {row[0]: facts_from_row(row) for row in rows}
    # Only collective records have participants: an individual record's write reads no more.
    collective = [pk for pk, facts in by_pk.items() if facts.type == CraType.COLLECTIF]
    if collective:
        links = Cra.beneficiaries.through.objects.filter(cra_id__in=collective)
        add_collective_followers(by_pk, links, stream=len(collective) > 1000)
    return list(by_pk.values())


def add_collective_followers(by_pk, links, *, stream=True):
    """Add to the collective records of `by_pk` the followed beneficiaries `links` hold; a
    server-side cursor (`stream`) only when they may be many (it costs three round trips)."""
    rows = links.values_list(
        "cra_id", "beneficiary__genre", "beneficiary__annee_naissance", "beneficiary__statut"
    )
    for cra_id, genre, annee, statut in rows.iterator(chunk_size=5000) if stream else rows:
        facts = by_pk.get(cra_id)
        if facts is not None and facts.type == CraType.COLLECTIF:
            facts.followers.append(Follower(genre, annee, statut))


def facts_of(cra):
    """Facts of one `Cra` instance (tests and one-off use; bulk code uses `load_facts`)."""
    return load_facts(Cra.objects.filter(pk=cra.pk))[0]


def duree_bucket(minutes):
    for code, _label, low, high in DUREE_BUCKETS:
        if minutes >= low and (high is None or minutes < high):
            return code
    raise ValueError(f"durée hors des tranches : {minutes}")


def age_bracket(annee_naissance, day):
    """Age bracket on `day` from the birth year alone; a birth year after `day` is treated as
    not communicated (as cnum.activity.services does when a beneficiary is anonymised)."""
    if annee_naissance is None or annee_naissance > day.year:
        return tranche_for_age(None)
    return tranche_for_age(day.year - annee_naissance)


def contribution(record):
    """The measures `record` (a `Facts` or a `Cra`) adds, as {column: count} (zeros left out)."""
    facts = record if isinstance(record, Facts) else facts_of(record)
    if facts.deleted:
        return {}
    result = {}

    def add(column, count=1):
        if count:
            result[column] = result.get(column, 0) + count

    followed = len(facts.followers)
    individual = facts.type == CraType.INDIVIDUEL
    add("records")
    add("accompagnements", 1 if individual else facts.participants_anonymes + followed)
    add("participants_anonymes", facts.participants_anonymes)
    add("participations_suivies", followed)
    add("minutes", facts.duree)
    add("legacy_records", int(facts.legacy))
    add("orientations", int(facts.oriente))
    add("orientations_lieu", int(facts.orientation_place_id is not None))
    for prefix, values in (
        ("thematique", facts.thematiques),
        ("demarche", facts.demarches),
        ("materiel", facts.materiel),
    ):
        for value in set(values):
            add(f"{prefix}_{value}")
    add(f"lieu_{facts.type_lieu}")
    add(f"duree_{duree_bucket(facts.duree)}")
    for prefix, value in (
        ("autonomie", facts.autonomie),
        ("niveau", facts.niveau),
        ("orientation", facts.orientation_kind),
    ):
        if value:
            add(f"{prefix}_{value}")
    for column, count in facts.counts.items():
        add(column, count)  # anonymous counts share the rollup columns' names
    for follower in facts.followers:
        add(f"age_{age_bracket(follower.annee_naissance, facts.date)}")
        add(f"genre_{follower.genre}")
        add(f"statut_{follower.statut}")
    unknown = set(result) - COLUMN_INDEX.keys()
    if unknown:
        where = f" dans le CRA {facts.pk}" if facts.pk else ""
        raise ValueError(f"valeurs inconnues{where} : {sorted(unknown)}")
    return result


def month_of(day):
    return day.replace(day=1)


def keys(record):
    """The rollup keys (level, scope, departement, structure_id, month, type, thematique) that
    `record` feeds; none for a deleted record."""
    facts = record if isinstance(record, Facts) else facts_of(record)
    if facts.deleted:
        return []
    base = _base_key(facts)
    themes = [_theme_key(base, theme) for theme in sorted(set(facts.thematiques))]
    return [*keys_of_base(base), *(k for theme in themes for k in keys_of_theme(theme))]


def _base_key(facts):
    """Everything the rows without thématique depend on: records sharing it feed the same rows."""
    return (
        facts.departement,
        facts.structure_id or 0,
        facts.conseiller_id,
        facts.place_id,
        facts.commune_id or "",
        month_of(facts.date),
        facts.type,
    )


def _theme_key(base, theme):
    departement, structure_id, _conseiller, _place, _commune, month, type_ = base
    return (departement, structure_id, month, type_, theme)


def keys_of_base(base):
    departement, structure_id, conseiller_id, place_id, commune_id, month, type_ = base
    # Département rows are not split by structure (a structure filter reads structure rows): a
    # national figure then sums a few thousand rows, not one per structure.
    result = [
        (Level.NATIONAL.value, "", "", 0, month, type_, ""),
        (Level.DEPARTEMENT.value, departement, departement, 0, month, type_, ""),
        (Level.STRUCTURE.value, str(structure_id), departement, structure_id, month, type_, ""),
        (Level.CONSEILLER.value, str(conseiller_id), departement, structure_id, month, type_, ""),
    ]
    if place_id is not None:
        result.append(
            (Level.PLACE.value, str(place_id), departement, structure_id, month, type_, "")
        )
    if commune_id:
        result.append(
            (Level.COMMUNE.value, commune_id, departement, structure_id, month, type_, "")
        )
    return result


def keys_of_theme(theme_key):
    departement, structure_id, month, type_, theme = theme_key
    scopes = {  # level: (scope, département, structure)
        Level.NATIONAL: ("", "", 0),
        Level.DEPARTEMENT: (departement, departement, 0),
        Level.STRUCTURE: (str(structure_id), departement, structure_id),
    }
    return [
        (level.value, scope, in_departement, structure, month, type_, theme)
        for level, (scope, in_departement, structure) in scopes.items()
        if level in LEVELS_BY_THEMATIQUE
    ]


class Tally:
    """Signed sums of contributions per rollup key. Records are first summed per base key
    (conseiller, place, commune, month, type…) and per (structure, month, type, thématique):
    many records share each, so spreading the sums to the rollup rows costs little."""

    def __init__(self):
        self.by_base = {}
        self.by_theme = {}

    def __len__(self):
        return len(self.by_base) + len(self.by_theme)

    def add(self, facts, sign=1):
        if facts.deleted:
            return
        counts = [(COLUMN_INDEX[c], sign * n) for c, n in contribution(facts).items()]
        self._add(_base_key(facts), set(facts.thematiques), counts)

    def add_row(self, row, followers=()):
        """Add one raw row of RECORD_VALUES (see `stream_rows`) with its collective followers."""
        measured = row_measures(row, followers)
        if measured is not None:
            self._add(*measured)

    def _add(self, base, themes, counts):
        targets = [_sums(self.by_base, base)]
        targets.extend(_sums(self.by_theme, _theme_key(base, theme)) for theme in themes)
        for sums in targets:
            for index, count in counts:
                sums[index] += count

    def rows(self):
        """{key: [sum per measure column]}, keys whose sums are all zero left out."""
        rows = {}
        for groups, spread in ((self.by_base, keys_of_base), (self.by_theme, keys_of_theme)):
            for group_key, sums in groups.items():
                present = [(i, n) for i, n in enumerate(sums) if n]
                for key in spread(group_key):
                    row = rows.get(key)
                    if row is None:
                        row = rows[key] = [0] * len(MEASURE_COLUMNS)
                    for index, count in present:
                        row[index] += count
        return {key: row for key, row in rows.items() if any(row)}


def _sums(groups, key):
    sums = groups.get(key)
    if sums is None:
        sums = groups[key] = [0] * len(MEASURE_COLUMNS)
    return sums


# --- Raw rows (rebuild) ---------------------------------------------------------------------------

_AT = {name: i for i, name in enumerate(RECORD_VALUES)}
# What `contribution` reads of a raw row, besides the booleans and followers `add_row` adds.
CONTENT_VALUES = (
    "type", "duree", "type_lieu", "materiel", "thematiques", "demarches", "autonomie", "oriente",
    "orientation_kind", "niveau", "participants_anonymes", *COUNT_COLUMNS,
    "beneficiary__genre", "beneficiary__annee_naissance", "beneficiary__statut",
)  # fmt: skip
_content_values = itemgetter(*(_AT[name] for name in CONTENT_VALUES))
_departement_values = itemgetter(
    _AT["structure__departement_id"],
    _AT["place__commune__departement_id"],
    _AT["commune__departement_id"],
)


def stream_rows(records, chunk=20_000):
    """Raw rows of RECORD_VALUES of `records` in their order, by chunks, each with
    {record id: followers} of its collective records. One server-side cursor (PostgreSQL) and
    one query per chunk; JSON stays text and dates stay as the database gives them, so that
    records with the same content are recognised without parsing them."""
    sql, params = records.values_list(*RECORD_VALUES).query.sql_with_params()
    links = Cra.beneficiaries.through.objects
    collective = CraType.COLLECTIF.value
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            ids = [row[0] for row in rows if row[_AT["type"]] == collective]
            followers = {}
            if ids:
                found = links.filter(cra_id__in=ids).values_list(
                    "cra_id",
                    "beneficiary__genre",
                    "beneficiary__annee_naissance",
                    "beneficiary__statut",
                )
                for cra_id, *person in found:
                    followers.setdefault(cra_id, []).append(tuple(person))
            yield rows, {pk: tuple(sorted(people, key=str)) for pk, people in followers.items()}


def row_measures(row, followers=()):
    """(base key, thématiques, [(column index, count)]) of a raw row of RECORD_VALUES and its
    collective followers, None for a deleted record. The measures come from `contribution`,
    computed once per distinct content (records with the same values add the same counts)."""
    if row[_AT["deleted_at"]] is not None:
        return None
    month, year = _month_and_year(row[_AT["date"]])
    has_followers = followers or row[_AT["beneficiary_id"]] is not None
    content = (
        *_content_values(row),
        row[_AT["legacy_id"]] is not None,
        row[_AT["orientation_place_id"]] is not None,
        year if has_followers else None,  # the followers' age brackets depend on it
        followers,
    )
    try:
        counts, themes = _content_sums(content)
    except ValueError as error:
        raise ValueError(f"CRA {row[0]} : {error}") from error
    base = (
        departement_of(*_departement_values(row)),
        row[_AT["structure_id"]] or 0,
        row[_AT["conseiller_id"]],
        row[_AT["place_id"]],
        row[_AT["commune_id"]] or row[_AT["place__commune_id"]] or "",
        month,
        row[_AT["type"]],
    )
    return base, themes, counts


@lru_cache(maxsize=4096)
def _month_and_year(day):
    if isinstance(day, str):  # SQLite gives dates as text
        day = datetime.date.fromisoformat(day)
    return month_of(day), day.year


@lru_cache(maxsize=200_000)
def _content_sums(content):
    """([(column index, count)], thématiques) of a record's content (see `row_measures`)."""
    legacy, oriented_to_place, year, followers = content[len(CONTENT_VALUES) :]
    values = dict.fromkeys(RECORD_VALUES)
    values.update(zip(CONTENT_VALUES, content, strict=False))
    values.update(
        pk=0,
        date=datetime.date(year or 2000, 1, 1),  # only the year counts (age brackets)
        legacy_id="" if legacy else None,
        orientation_place_id=0 if oriented_to_place else None,
        # The individual record's beneficiary: its genre is never null when there is one.
        beneficiary_id=None if values["beneficiary__genre"] is None else 0,
    )
    facts = facts_from_row(tuple(values[name] for name in RECORD_VALUES))
    facts.followers.extend(Follower(*person) for person in followers)
    counts = tuple((COLUMN_INDEX[c], n) for c, n in contribution(facts).items())
    return counts, tuple(sorted(set(facts.thematiques)))
