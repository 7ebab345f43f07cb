"""Activity figures for a filter, served from the rollups (dashboards, public pages, benchmark).

The level of rollup rows read follows the filter: conseillers → conseiller rows, a place →
place rows, structures → structure rows, départements → département rows, otherwise the
national rows. Every need is one
aggregate query over the matching rows; the active conseillers and the top places and communes,
which read a whole level, take the full calendar years of the period from the yearly rows
(`YearRollup`) and only the months outside them from the monthly rows. A thématique filter on a
level without thématique rows (conseiller, place) is answered from the raw records of those
conseillers or that place (bounded by the records' conseiller/place indexes): `Figures.source`
is then "records".

Figures a level cannot give are None (never a wrong number): with a thématique filter on
départements or structures, the active conseillers and the top places and communes (their rows
carry no thématique); new beneficiaries with a place, type or thématique filter (a
registration has none of them).
"""

import datetime
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.activity.enums import CraType
from cnum.activity.models import Beneficiary, Cra
from cnum.stats.contributions import as_date, where_of
from cnum.stats.measures import BREAKDOWNS, MEASURE_COLUMNS, TOTALS
from cnum.stats.models import ALL, LEVELS_BY_THEMATIQUE, ActivityRollup, Level, YearRollup

TOP = 10


@dataclass(frozen=True)
class ActivityFilter:
    start: datetime.date | None = None  # first day of the first month
    end: datetime.date | None = None  # first day of the last month (included)
    departements: tuple[str, ...] | None = None  # None: all France
    structure_ids: tuple[int, ...] | None = None
    conseiller_ids: tuple[int, ...] | None = None  # a coordinator's team is a set of them
    place_id: int | None = None
    type: str | None = None
    thematique: str | None = None

    def __post_init__(self):
        # Rollups are by month: any day stands for its month.
        for name in ("start", "end"):
            day = getattr(self, name)
            if day is not None and day.day != 1:
                object.__setattr__(self, name, day.replace(day=1))

    def level(self):
        if self.conseiller_ids is not None:
            return Level.CONSEILLER
        if self.place_id is not None:
            return Level.PLACE
        if self.structure_ids is not None:
            return Level.STRUCTURE
        return Level.NATIONAL if self.departements is None else Level.DEPARTEMENT

    def needs_records(self):
        """True when the level's rows cannot answer: a thématique on conseiller or place rows,
        or a place within a set of conseillers."""
        level = self.level()
        if self.thematique and level not in LEVELS_BY_THEMATIQUE:
            return True
        return level == Level.CONSEILLER and self.place_id is not None


@dataclass
class Figures:
    totals: dict  # TOTALS column → count
    breakdowns: list  # [(Breakdown, [(value, label, count)])]
    by_month: list  # [(first day of month, {TOTALS column: count})], months with records
    conseillers_actifs: int | None
    top_places: list | None  # [(place_id, name, commune name, accompagnements)]
    top_communes: list | None  # [(code INSEE, name, accompagnements)]
    beneficiaires_nouveaux: int | None  # followed beneficiaries registered in the period
    source: str  # "rollup" or "records"


def activity_figures(f: ActivityFilter) -> Figures:
    if f.needs_records():
        from cnum.stats.live import live_activity_figures

        return live_activity_figures(f, source="records")
    sums, by_month = dict.fromkeys(MEASURE_COLUMNS, 0), []
    for month, values in monthly_sums(f):
        for column, value in zip(MEASURE_COLUMNS, values, strict=True):
            sums[column] += value
        if values[RECORDS]:
            by_month.append((month, {c: values[i] for c, i in TOTAL_INDEXES}))
    top_places, top_communes = _tops(f)
    return build_figures(
        sums,
        by_month,
        conseillers_actifs=_active_conseillers(f, sums),
        top_places=top_places,
        top_communes=top_communes,
        beneficiaires_nouveaux=new_beneficiaries(f),
        source="rollup",
    )


RECORDS = MEASURE_COLUMNS.index("records")
TOTAL_INDEXES = tuple((column, MEASURE_COLUMNS.index(column)) for column in TOTALS)


@cache
def _sums_select():
    quote = connection.ops.quote_name
    return ", ".join(f"SUM({quote(column)})" for column in MEASURE_COLUMNS)


def monthly_sums(f):
    """[(month, [sum of each measure column])] of the rollup rows of `f`'s level, by month: one
    query of a few dozen rows. Its select list is written once: the ORM took about 4 ms to
    build and compile the 120 sums on every call, for a query that runs in under 1 ms on a
    conseiller's rows. The WHERE clause is the ORM's (`rows_filter`)."""
    query = ActivityRollup.objects.filter(rows_filter(f, f.level())).query
    try:
        where, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:  # a filter naming nobody
        return []
    quote = connection.ops.quote_name
    table, month = quote(ActivityRollup._meta.db_table), quote("month")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {month}, {_sums_select()} FROM {table} WHERE {where} "  # noqa: S608
            f"GROUP BY {month} ORDER BY {month}",
            params,
        )
        rows = cursor.fetchall()
    return [(as_date(row[0]), row[1:]) for row in rows]


def rows_filter(f, level, *, thematique=True):
    """The rollup rows of `level` matching `f` (conseiller and place scopes included). Département
    rows are not split by structure: with a structure filter, the structure rows (which carry
    the département too) stand for them."""
    if level == Level.DEPARTEMENT and f.structure_ids is not None:
        level = Level.STRUCTURE
    q = scope_filter(f, level) & Q(thematique=(f.thematique or "") if thematique else "")
    if f.start:
        q &= Q(month__gte=f.start)
    if f.end:
        q &= Q(month__lte=f.end)
    return q


def scope_filter(f, level):
    """Rows of `level`, monthly or yearly, within `f`'s territory, structures, type, conseillers
    and place (the period and the thématique left to the caller)."""
    q = Q(level=level)
    if f.departements is not None:
        q &= Q(departement__in=f.departements)
    if f.structure_ids is not None:
        q &= Q(structure_id__in=f.structure_ids)
    if f.type:
        q &= Q(type=f.type)
    if level == Level.CONSEILLER and f.conseiller_ids is not None:
        q &= Q(scope__in=[str(pk) for pk in f.conseiller_ids])
    if level == Level.PLACE and f.place_id is not None:
        q &= Q(scope=str(f.place_id))
    return q


def _active_conseillers(f, sums):
    """Conseillers with records in `f`'s period; `sums` are `f`'s own sums, which answer for
    one conseiller without a second query (their rows are the rows that query would read)."""
    if f.thematique:
        return None
    if f.level() == Level.CONSEILLER and len(f.conseiller_ids) == 1:
        return int(sums["records"] > 0)
    if f.place_id is not None:
        return records_in(f).values("conseiller_id").distinct().count()
    sql, params = _scope_totals(f, Level.CONSEILLER, "records")
    if sql is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS totals WHERE total > 0", params)  # noqa: S608
        return cursor.fetchone()[0]


def _top_rows(f, level, key_type):
    """The TOP scopes of `level` by accompagnements over `f`'s period: one query, which returns
    only the scopes at or above the TOP-th total (ties at the cut are settled by `top_of`)."""
    sql, params = _scope_totals(f, level, "accompagnements")
    if sql is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH totals AS ({sql}) SELECT scope, total FROM totals WHERE total >= "  # noqa: S608
            "COALESCE((SELECT total FROM totals ORDER BY total DESC LIMIT 1 OFFSET %s), 1)",
            [*params, TOP - 1],
        )
        return top_of(dict(cursor.fetchall()), key_type)


def _scope_totals(f, level, column):
    """SQL (and its parameters) of `column` summed by scope of `level` over `f`'s period, from
    the pieces of `ranking_pieces`, each row counted with its piece's sign; (None, []) when the
    filter can match no row."""
    selects, params = [], []
    for rows, sign in ranking_pieces(f, level):
        try:
            sql, piece_params = (
                rows.annotate(signed=F(column) * Value(sign)).values_list("scope", "signed").query
            ).sql_with_params()
        except EmptyResultSet:  # a filter naming nothing (a team without conseillers)
            continue
        selects.append(sql)
        params.extend(piece_params)
    if not selects:
        return None, []
    union = " UNION ALL ".join(selects)
    sql = f"SELECT scope, SUM(signed) AS total FROM ({union}) AS pieces GROUP BY scope"  # noqa: S608
    return sql, params


def ranking_pieces(f, level):
    """[(rows, +1 or -1)] whose signed sums give, for each scope of `level`, its sums over `f`'s
    period (all thématiques) — with as few rows to read as the yearly rows allow. A calendar year
    wholly in the period is its yearly row; a year of which the period keeps at most six months is
    those months; a year of which it keeps more is its yearly row minus the months left out (the
    twelve months to last month read one yearly row and one monthly row per scope, not twelve).
    Rows of a structure or of conseillers are few: their monthly rows are read as they are.
    See docs/statistiques.md#classements."""
    if f.structure_ids is not None or f.conseiller_ids is not None:
        return [(ActivityRollup.objects.filter(rows_filter(f, level, thematique=False)), 1)]
    rows = YearRollup.objects.filter(scope_filter(f, level))
    if f.departements is None and f.type is None:
        rows = rows.filter(departement=ALL)  # the whole country: its rows summed over both
    first, last = _bounds(f, level)
    if first is None or first > last:  # no activity, or an empty period: rows of no year
        return [(rows.filter(month=0, year__lt=0), 1)]
    years, pieces = [], []
    for year in range(first, last + 1):
        kept = _kept_months(f, year)
        if kept == (1, 12):
            years.append(year)
        elif kept[1] - kept[0] < 6:
            pieces.append((_months(rows, year, *kept), 1))
        else:
            years.append(year)
            if kept[0] > 1:
                pieces.append((_months(rows, year, 1, kept[0] - 1), -1))
            if kept[1] < 12:
                pieces.append((_months(rows, year, kept[1] + 1, 12), -1))
    if years:
        # Years named one by one: each is an equality on the index, never a scan of all years.
        pieces.append((rows.filter(month=0, year__in=years), 1))
    return pieces


def _bounds(f, level):
    """(first, last) calendar years of `f`'s period; an open end stops at the first or last
    year with rows of `level` (two reads of the index's ends). (None, None) without rows."""
    first = f.start.year if f.start else None
    last = f.end.year if f.end else None
    if first is None or last is None:
        # Two ordered reads: SQLite reads MIN and MAX asked together by scanning the index.
        years = YearRollup.objects.filter(level=level).values_list("year", flat=True)
        lowest, highest = years.order_by("year").first(), years.order_by("-year").first()
        if lowest is None:
            return None, None
        first = lowest if first is None else first
        last = highest if last is None else last
    return first, last


def _kept_months(f, year):
    """(first, last) month numbers of `year` inside `f`'s period."""
    first = f.start.month if f.start and f.start.year == year else 1
    last = f.end.month if f.end and f.end.year == year else 12
    return first, last


def _months(rows, year, first, last):
    # Months named one by one, like years: a range on the index's month column would stop its
    # search there and read every département's rows of those months to keep the one asked
    # (measured: the national ranking of communes read three times the index pages, 13 → 6 ms).
    return rows.filter(year=year, month__in=list(range(first, last + 1)))


def _tops(f):
    """(top places, top communes) of `f`, None when a thématique filter makes them unknown.
    Those of conseillers or of a place are read from their records (`_record_tops`)."""
    if f.thematique:
        return None, None
    if f.conseiller_ids is not None or f.place_id is not None:
        return _record_tops(f)
    return place_names(_top_rows(f, Level.PLACE, int)), commune_names(
        _top_rows(f, Level.COMMUNE, str)
    )


def _record_tops(f):
    """Both tops from the records' totals by (place, commune), a record without commune counted
    in its place's, then one query of the names: two queries in all, the records read without
    joining the places (the planner hashed the whole table for a few hundred records)."""
    totals = records_accompagnements(f)
    place_info, commune_name = _names(
        {place for (place, _), _ in totals if place is not None},
        {commune for (_, commune), _ in totals if commune is not None},
    )
    places, communes = {}, {}
    for (place, commune), total in totals:
        places[place] = places.get(place, 0) + total
        commune = commune or place_info.get(place, (None, None, None))[1]
        communes[commune] = communes.get(commune, 0) + total
    return _named_places(top_of(places, int), place_info), _named_communes(
        top_of(communes, str), commune_name
    )


def _names(place_ids, commune_codes):
    """({place id: (name, commune code, commune name)}, {commune code: name}) of the places
    and communes given and of the places' communes, by one query (none when nothing is asked)."""
    from cnum.places.models import Place
    from cnum.territories.models import Commune

    quote = connection.ops.quote_name
    place, commune = quote(Place._meta.db_table), quote(Commune._meta.db_table)
    parts, params = [], []
    if place_ids:
        parts.append(
            f"SELECT p.id, p.nom, c.code_insee, c.nom FROM {place} p "  # noqa: S608
            f"LEFT JOIN {commune} c ON c.code_insee = p.commune_id "
            f"WHERE p.id IN ({', '.join(['%s'] * len(place_ids))})"
        )
        params.extend(place_ids)
    if commune_codes:
        parts.append(
            f"SELECT NULL, NULL, code_insee, nom FROM {commune} "  # noqa: S608
            f"WHERE code_insee IN ({', '.join(['%s'] * len(commune_codes))})"
        )
        params.extend(commune_codes)
    place_info, commune_name = {}, {}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for pk, nom, code, commune_nom in cursor.fetchall():
                if pk is not None:
                    place_info[pk] = (nom, code, commune_nom or "")
                if code is not None:
                    commune_name[code] = commune_nom
    return place_info, commune_name


def top_of(totals, key_type):
    """The TOP (key, total) of {key: total}, by total then key (as the rollup queries)."""
    ranked = sorted(
        ((key_type(k), t) for k, t in totals.items() if k is not None and t > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:TOP]


def place_names(ranked):
    """[(place id, name, commune name, total)] of the ranked (place id, total)."""
    place_info, _ = _names({pk for pk, _ in ranked}, ())
    return _named_places(ranked, place_info)


def commune_names(ranked):
    """[(code INSEE, name, total)] of the ranked (code, total)."""
    _, commune_name = _names((), {code for code, _ in ranked})
    return _named_communes(ranked, commune_name)


def _named_places(ranked, place_info):
    named = []
    for pk, total in ranked:
        nom, _, commune_nom = place_info.get(pk, ("", None, ""))
        named.append((pk, nom, commune_nom, total))
    return named


def _named_communes(ranked, commune_name):
    return [(code, commune_name.get(code, ""), total) for code, total in ranked]


def records_in(f):
    """Live records matching `f` but its thématique, in SQL (used only when bounded by
    conseillers or a place)."""
    records = Cra.objects.alive()
    if f.start:
        records = records.filter(date__gte=f.start)
    if f.end:
        records = records.filter(date__lt=next_month(f.end))
    if f.conseiller_ids is not None:
        records = records.filter(conseiller_id__in=f.conseiller_ids)
    if f.place_id is not None:
        records = records.filter(place_id=f.place_id)
    if f.structure_ids is not None:
        records = records.filter(structure_id__in=f.structure_ids)
    if f.type:
        records = records.filter(type=f.type)
    if f.departements is not None:
        records = records.annotate(
            departement_code=Coalesce(
                "structure__departement_id",
                "place__commune__departement_id",
                "commune__departement_id",
            )
        ).filter(departement_code__in=f.departements)
    return records


def records_accompagnements(f):
    """[((place id, commune code), accompagnements)] of the records matching `f` (one per
    participant: 1 for an individual record, anonymous + followed for a collective one), by
    the records' own place and commune. Written here around the ORM's WHERE (`where_of`):
    built by the ORM, its CASE and subquery took about 3 ms, for a query that runs in about
    1 ms on a conseiller's year."""
    try:
        where, params = where_of(records_in(f))
    except EmptyResultSet:  # a filter naming nobody
        return []
    record, links = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT place_id, commune_id, SUM(CASE WHEN type = %s THEN 1 "  # noqa: S608
            f"ELSE participants_anonymes + (SELECT COUNT(*) FROM {links} "
            f"WHERE {links}.cra_id = {record}.id) END) "
            f"FROM {record} WHERE {where} GROUP BY place_id, commune_id",
            [CraType.INDIVIDUEL, *params],
        )
        return [((place, commune), int(total)) for place, commune, total in cursor.fetchall()]


@cache
def _tables():
    quote = connection.ops.quote_name
    return quote(Cra._meta.db_table), quote(Cra.beneficiaries.through._meta.db_table)


def next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def new_beneficiaries(f):
    """Followed beneficiaries registered in the period (deleted ones included: the
    registration took place), by their conseiller and the conseiller's current structure."""
    if f.place_id is not None or f.type or f.thematique:
        return None
    people = Beneficiary.objects.all()
    tz = timezone.get_current_timezone()
    if f.start:
        start = datetime.datetime.combine(f.start, datetime.time(), tz)
        people = people.filter(created_at__gte=start)
    if f.end:
        limit = datetime.datetime.combine(next_month(f.end), datetime.time(), tz)
        people = people.filter(created_at__lt=limit)
    if f.conseiller_ids is not None:
        people = people.filter(conseiller_id__in=f.conseiller_ids)
    memberships = Membership.objects.filter(
        user=OuterRef("conseiller_id"), role=Role.CONSEILLER, is_active=True
    )
    if f.structure_ids is not None:
        people = people.filter(Exists(memberships.filter(organisation_id__in=f.structure_ids)))
    if f.departements is not None:
        people = people.filter(
            Exists(memberships.filter(organisation__departement_id__in=f.departements))
        )
    return people.count()


def build_figures(sums, by_month, **rest):
    totals = {column: sums.get(column, 0) for column in TOTALS}
    breakdowns = [
        (b, [(value, label, sums.get(b.columns[value], 0)) for value, label in b.choices])
        for b in BREAKDOWNS
    ]
    return Figures(totals=totals, breakdowns=breakdowns, by_month=by_month, **rest)
