"""Public statistics by territory (France, régions, départements) and statistical secrecy.

Every published figure is a `Cell`. The rules of secrecy live here and nowhere else:

- primary: a non-zero cell built from fewer than MIN_BENEFICIAIRES beneficiaries or fewer
  than MIN_CONSEILLERS conseillers is not published;
- secondary: wherever published figures add up (a breakdown and its total, individual plus
  collective, départements of a région, régions of the nation), a single hidden cell could be
  recomputed by difference; the smallest other non-zero cell of that sum is hidden too, until
  no sum has exactly one hidden cell.

Activity figures are read from the same rollup rows as cnum.stats.queries (département rows,
all thématiques; conseiller rows for the active conseillers), for every territory at once:
one grouped query per level, since secrecy must be settled across all territories together.

At national scale that takes seconds, so no visitor waits for it: the publication is stored as a
`PublicSnapshot` shared by every web process, refreshed every 15 minutes by `manage.py
publish_stats` (or its background task), and a page finding it older than
STATS_PUBLIC_CACHE_SECONDS serves it all the same while asking the task worker for a new one.
"""

import datetime
import logging
import pickle
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from cnum.activity.enums import CraType
from cnum.places.models import Place
from cnum.stats import public_aidants, public_referrals, steering
from cnum.stats.measures import BREAKDOWNS, Unit
from cnum.stats.models import ActivityRollup, Level, PublicSnapshot
from cnum.stats.percentages import largest_remainder
from cnum.territories.models import Departement, Region

logger = logging.getLogger(__name__)

MIN_BENEFICIAIRES = 5
MIN_CONSEILLERS = 3
SECRET = "secret statistique"
SECRET_NOTE = (
    "« Secret statistique » : la valeur n'est pas publiée car elle porte sur moins de "
    f"{MIN_BENEFICIAIRES} bénéficiaires ou moins de {MIN_CONSEILLERS} conseillers, ou parce "
    "qu'elle permettrait de retrouver par différence une valeur ainsi masquée."
)

NATIONAL, REGION, DEPARTEMENT = "national", "region", "departement"
FRANCE = "FR"

# What a figure counts, for the thresholds.
BENEFICIAIRES, CONSEILLERS, NOTHING = "beneficiaires", "conseillers", "rien"


@dataclass(frozen=True)
class Indicator:
    code: str  # stable name (open data column « indicateur »)
    label: str
    counts: str  # BENEFICIAIRES, CONSEILLERS or NOTHING (not about people)


HEADLINE = (
    Indicator("activites", "Activités enregistrées (accompagnements individuels et ateliers)",
              BENEFICIAIRES),
    Indicator("accompagnements", "Accompagnements (une personne accompagnée compte pour un)",
              BENEFICIAIRES),
    Indicator("accompagnements_individuels", "Accompagnements individuels", BENEFICIAIRES),
    Indicator("ateliers_collectifs", "Ateliers collectifs", BENEFICIAIRES),
    Indicator("participants_ateliers", "Participants aux ateliers collectifs", BENEFICIAIRES),
    Indicator("conseillers_actifs", "Conseillers ayant enregistré une activité", CONSEILLERS),
    Indicator("conseillers_recrutes", "Conseillers recrutés (en poste)", CONSEILLERS),
    Indicator("structures_accueil", "Structures accueillant un conseiller", CONSEILLERS),
    Indicator("lieux", "Lieux d'activité des conseillers", NOTHING),
)  # fmt: skip
HEADLINE_CODES = {indicator.code: indicator for indicator in HEADLINE}
PUBLIC_BREAKDOWNS = tuple(
    b for b in BREAKDOWNS if b.prefix in ("thematique", "lieu", "duree", "age", "genre", "statut")
)
# The total each partition adds up to.
PARTITION_TOTAL = {Unit.RECORDS: "activites", Unit.PARTICIPANTS: "accompagnements"}
# Cells that add up: total = sum of parts, in every territory.
SUMS = (
    ("activites", ("accompagnements_individuels", "ateliers_collectifs")),
    ("accompagnements", ("accompagnements_individuels", "participants_ateliers")),
    *(
        (PARTITION_TOTAL[b.unit], tuple(b.columns.values()))
        for b in PUBLIC_BREAKDOWNS
        if b.partition
    ),
)
# Figures not about people are never secret, and take no part in secondary suppression.
PROTECTED_COLUMNS = (
    *(i.code for i in HEADLINE if i.counts != NOTHING),
    *(column for b in PUBLIC_BREAKDOWNS for column in b.columns.values()),
    *public_referrals.CODES,
    *public_aidants.PROTECTED_CODES,
)
BREAKDOWN_COLUMNS = tuple(column for b in PUBLIC_BREAKDOWNS for column in b.columns.values())


@dataclass
class Cell:
    value: int
    beneficiaires: int | None = None  # people the figure is built from, if it is about them
    conseillers: int | None = None  # conseillers the figure is built from
    secret: bool = False
    share: object = None  # Decimal percentage within its partition, if any

    @property
    def shown(self):
        """The value as published: None when secret."""
        return None if self.secret else self.value


def primary_secret(cell):
    """True when the cell itself is built from too few people (zero is always published)."""
    if cell.value == 0:
        return False
    if cell.beneficiaires is not None and cell.beneficiaires < MIN_BENEFICIAIRES:
        return True
    return cell.conseillers is not None and cell.conseillers < MIN_CONSEILLERS


def protect(cells, sums):
    """Secondary suppression. `cells`: {key: Cell}; `sums`: [(total key, [part keys])] where
    the total is the sum of the parts. Hides more cells until no sum has exactly one hidden
    cell (one hidden cell = total minus the others). Returns the keys hidden here."""
    hidden = []
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            group = [total, *parts]
            if sum(cells[key].secret for key in group) != 1:
                continue
            key = _second_cell(cells, parts) or _second_cell(cells, group, zero=True)
            if key is None:
                continue  # nothing left to hide: every cell of the sum is hidden
            cells[key].secret = True
            hidden.append(key)
            changed = True
    return hidden


def _second_cell(cells, keys, zero=False):
    """The smallest published cell among `keys` (non-zero first: hiding a zero protects little)."""
    candidates = [k for k in keys if not cells[k].secret and (zero or cells[k].value > 0)]
    return min(candidates, key=lambda k: cells[k].value, default=None)


# Territories


@dataclass(frozen=True)
class Zone:
    """A territory of the public statistics."""

    niveau: str
    code: str
    nom: str
    parent: str | None = None  # code of the région (départements), FRANCE (régions)

    @property
    def key(self):
        return (self.niveau, self.code)

    @property
    def slug(self):
        """The value of the « territoire » parameter of the public page."""
        return {NATIONAL: "france", REGION: f"region-{self.code}"}.get(
            self.niveau, f"departement-{self.code}"
        )


def territories():
    """France, then régions, then départements (collectivités d'outre-mer under France)."""
    found = [Zone(NATIONAL, FRANCE, "France entière")]
    found += [Zone(REGION, r.code, r.nom, FRANCE) for r in Region.objects.order_by("code")]
    found += [
        Zone(DEPARTEMENT, d.code, d.nom, d.region_id or FRANCE)
        for d in Departement.objects.order_by("code")
    ]
    return found


# Reading the figures


def _activity_sums():
    """{(département, type): {column: sum}} of the département rollup rows."""
    columns = ("records", "accompagnements", *BREAKDOWN_COLUMNS)
    rows = (
        ActivityRollup.objects.filter(level=Level.DEPARTEMENT, thematique="")
        .order_by()
        .values("departement", "type")
        .annotate(**{column: Sum(column) for column in columns})
    )
    return {(row.pop("departement"), row.pop("type")): row for row in rows}


# Territory key of a conseiller rollup row `r` (joined to its département `d` for the région).
_TERRITORY_KEY = {DEPARTEMENT: "r.departement", REGION: "d.region_id", NATIONAL: f"'{FRANCE}'"}


def _conseiller_counts(niveau):
    """Conseillers behind each column, per territory of `niveau`: {territory code: {column:
    conseillers}} ("conseillers_actifs": those with records; "individuel", "collectif": with
    records of that type). Each conseiller's rows are summed first, then conseillers with a
    positive sum are counted: one pass, where a distinct count per column would sort the rows
    once per column. Identifiers come from the code; values are bound parameters."""
    quote = connection.ops.quote_name
    columns = ("records", *BREAKDOWN_COLUMNS)
    key = _TERRITORY_KEY[niveau]
    group = "r.scope" if niveau == NATIONAL else f"{key}, r.scope"  # no constant in GROUP BY
    sums = [f"SUM(r.{quote(c)}) AS {quote(c)}" for c in columns]
    sums += [f"SUM(CASE WHEN r.type = %s THEN r.records ELSE 0 END) AS {quote(t)}" for t in _TYPES]
    counted = {"conseillers_actifs": "records", **{t: t for t in _TYPES}}
    counted.update((c, c) for c in BREAKDOWN_COLUMNS)
    counts = [f"COUNT(CASE WHEN {quote(c)} > 0 THEN 1 END)" for c in counted.values()]
    sql = f"""
        SELECT territoire, {", ".join(counts)}
        FROM (SELECT {key} AS territoire, {", ".join(sums)}
              FROM {quote(ActivityRollup._meta.db_table)} r
              LEFT JOIN {quote(Departement._meta.db_table)} d ON d.code = r.departement
              WHERE r.level = %s AND r.thematique = ''
              GROUP BY {group}) per_conseiller
        GROUP BY territoire
    """  # noqa: S608 — identifiers from the code only
    params = [*_TYPES, Level.CONSEILLER.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(counted, row[1:], strict=True)) for row in cursor.fetchall()}


_TYPES = (CraType.INDIVIDUEL.value, CraType.COLLECTIF.value)


def _places_by_departement():
    rows = (
        Place.objects.public().order_by().values("commune__departement_id").annotate(n=Count("pk"))
    )
    return {row["commune__departement_id"]: row["n"] for row in rows}


@dataclass
class Sums:
    """Additive figures of one territory before secrecy."""

    values: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, other):
        for column, value in other.values.items():
            self.values[column] += value


def _departement_sums():
    """{département code: Sums} of every additive figure."""
    result = defaultdict(Sums)
    for (dep, type_), row in _activity_sums().items():
        values = result[dep].values
        for column, value in row.items():
            if column == "records":
                continue
            values[column] += value or 0
        records, accompagnements = row["records"] or 0, row["accompagnements"] or 0
        values["activites"] += records
        if type_ == CraType.INDIVIDUEL:
            values["accompagnements_individuels"] += records
        else:
            values["ateliers_collectifs"] += records
            values["participants_ateliers"] += accompagnements
    for dep, counts in steering.employment_counts().items():
        result[dep].values["conseillers_recrutes"] += counts["conseillers_recrutes"]
        result[dep].values["structures_accueil"] += counts["structures_accueil"]
    for dep, n in _places_by_departement().items():
        result[dep].values["lieux"] += n
    return result


def _cells(values, conseillers):
    """The cells of one territory from its sums and its conseillers per column."""
    cells = {}
    for indicator in HEADLINE:
        # Distinct conseillers do not add up: each territory has its own count.
        source = conseillers if indicator.code == "conseillers_actifs" else values
        value = source.get(indicator.code, 0)
        cell = Cell(value)
        if indicator.counts == BENEFICIAIRES:
            # Records counted as people: a workshop has at least one participant, so the
            # threshold never lets through a figure built from fewer people than it shows.
            cell.beneficiaires = value
            cell.conseillers = conseillers.get(_conseillers_column(indicator.code), 0)
        elif indicator.counts == CONSEILLERS:
            cell.conseillers = (
                value
                if indicator.code != "structures_accueil"
                else values.get("conseillers_recrutes", 0)
            )
        cells[indicator.code] = cell
    for column in BREAKDOWN_COLUMNS:
        value = values.get(column, 0)
        cells[column] = Cell(value, value, conseillers.get(column, 0))
    return cells


def _conseillers_column(code):
    return {
        "accompagnements_individuels": "individuel",
        "ateliers_collectifs": "collectif",
        "participants_ateliers": "collectif",
    }.get(code, "conseillers_actifs")


@dataclass
class TerritoryFigures:
    place: Zone
    cells: dict  # column → Cell

    def headline(self):
        return [(indicator, self.cells[indicator.code]) for indicator in HEADLINE]

    def referrals(self):
        """[(indicator, Cell)] of the referrals (none in a snapshot stored before them)."""
        return [
            (i, self.cells[i.code]) for i in public_referrals.INDICATORS if i.code in self.cells
        ]

    def aidants_connect(self):
        """[(indicator, Cell)] of Aidants Connect (none in a snapshot stored before them)."""
        return [(i, self.cells[i.code]) for i in public_aidants.INDICATORS if i.code in self.cells]

    def aidants_connect_domains(self):
        """[(domain, label, Cell)]: mandates' authorisations by domain."""
        return [
            (domain, label, self.cells[code])
            for code, (domain, label) in public_aidants.DOMAIN_CODES.items()
            if code in self.cells
        ]

    def breakdowns(self):
        """[(Breakdown, [(value, label, Cell)])] of the public breakdowns."""
        return [
            (b, [(value, label, self.cells[b.columns[value]]) for value, label in b.choices])
            for b in PUBLIC_BREAKDOWNS
        ]


@dataclass
class Publication:
    """Every territory's cells, secrecy applied."""

    territories: dict  # (niveau, code) → TerritoryFigures
    computed_at: object = None

    def of(self, niveau, code):
        return self.territories.get((niveau, code))

    def level(self, niveau):
        return [t for t in self.territories.values() if t.place.niveau == niveau]

    def children(self, territory):
        """Régions (and collectivités d'outre-mer) of France, départements of a région."""
        if territory.place.niveau == DEPARTEMENT:
            return []
        return [t for t in self.territories.values() if t.place.parent == territory.place.code]


def publication():
    """Figures of France, every région and every département, secrecy applied."""
    places = territories()
    by_dep = _departement_sums()
    conseillers = {niveau: _conseiller_counts(niveau) for niveau in (DEPARTEMENT, REGION, NATIONAL)}
    sums = {}
    for place in places:
        if place.niveau == DEPARTEMENT:
            sums[place.key] = by_dep.get(place.code, Sums())
    for place in places:
        if place.niveau != DEPARTEMENT:
            total = Sums()
            for dep in places:
                if dep.niveau == DEPARTEMENT and _within(dep, place):
                    total.add(sums[dep.key])
            if place.niveau == NATIONAL:
                total.add(by_dep.get("", Sums()))  # records placed in no département
            sums[place.key] = total
    territories_ = {
        place.key: TerritoryFigures(
            place, _cells(sums[place.key].values, conseillers[place.niveau].get(place.code, {}))
        )
        for place in places
    }
    unplaced = by_dep.get("", Sums())
    _add_referral_cells(territories_, places, unplaced)
    _add_aidants_connect_cells(territories_, places, unplaced)
    _apply_secrecy(territories_, places, unplaced=unplaced)
    for territory in territories_.values():
        _set_shares(territory)
    return Publication(territories_, timezone.now())


# Snapshots kept in the database: the latest serves, the previous ones only help diagnose.
SNAPSHOTS_KEPT = 3
# Set in the cache when a page has asked for a new snapshot (per snapshot, for one period).
REFRESH_KEY = "stats:public:refresh-requested"

# The latest snapshot unpickled by this process: (id, computed_at, Publication).
_loaded = None


def refresh_publication():
    """Compute the publication and store it as the latest snapshot, for every web process."""
    return _store(publication())


def refresh_if_older_than(seconds):
    """Refresh unless another worker did it meanwhile (the latest snapshot is recent enough):
    several web processes may ask for the same refresh."""
    latest = (
        PublicSnapshot.objects.order_by("-computed_at", "-pk")
        .values_list("computed_at", flat=True)
        .first()
    )
    if latest and timezone.now() - latest < datetime.timedelta(seconds=seconds):
        return None
    return refresh_publication()


def _store(data):
    global _loaded
    snapshot = PublicSnapshot.objects.create(
        computed_at=data.computed_at, data=pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    )
    older = PublicSnapshot.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)
    PublicSnapshot.objects.filter(pk__in=list(older[SNAPSHOTS_KEPT:])).delete()
    _loaded = (snapshot.pk, snapshot.computed_at, data)
    return data


def _load(snapshot):
    """The snapshot's Publication, or None when it cannot be read back (written by another
    version of the code, damaged)."""
    global _loaded
    if _loaded and _loaded[:2] == (snapshot["pk"], snapshot["computed_at"]):
        return _loaded[2]
    raw = PublicSnapshot.objects.filter(pk=snapshot["pk"]).values_list("data", flat=True).first()
    try:
        data = pickle.loads(bytes(raw))  # noqa: S301 (written by this application only)
    except Exception:
        logger.warning("Instantané des statistiques publiques illisible : recalcul.", exc_info=True)
        return None
    if not isinstance(data, Publication):
        logger.warning("Instantané des statistiques publiques d'un autre type : recalcul.")
        return None
    data.computed_at = snapshot["computed_at"]
    _loaded = (snapshot["pk"], snapshot["computed_at"], data)
    return data


def cached_publication():
    """The publication of the latest snapshot: public pages and files must not let any visitor
    trigger the national aggregation at will. Computed and stored here only when there is none
    (or it cannot be read); older than STATS_PUBLIC_CACHE_SECONDS, it is still served while the
    task worker is asked, once per period, for a new one. 0 computes it every time."""
    seconds = getattr(settings, "STATS_PUBLIC_CACHE_SECONDS", 15 * 60)
    if seconds <= 0:
        return publication()
    snapshot = (
        PublicSnapshot.objects.order_by("-computed_at", "-pk").values("pk", "computed_at").first()
    )
    data = _load(snapshot) if snapshot else None
    if data is None:
        return refresh_publication()
    if timezone.now() - snapshot["computed_at"] >= datetime.timedelta(seconds=seconds):
        _request_refresh(snapshot["pk"], seconds)
    return data


def _request_refresh(snapshot_pk, seconds):
    """Enqueue the refresh, at most once per period and snapshot in this process (the task
    itself skips the work when another process's request already got it done)."""
    if not cache.add(f"{REFRESH_KEY}:{snapshot_pk}", True, seconds):
        return
    from cnum.stats.tasks import refresh_public_statistics

    try:
        refresh_public_statistics.enqueue(if_older_than=seconds)
    except Exception:
        cache.delete(f"{REFRESH_KEY}:{snapshot_pk}")
        logger.exception("Mise à jour des statistiques publiques non confiée au worker.")


def _add_referral_cells(territories_, places, unplaced):
    """Referral cells of every territory (docs/orientations.md#statistiques), under the same
    secrecy: a referral is one person."""
    region_of = {p.code: p.parent for p in places if p.niveau == DEPARTEMENT}
    counts, outside = public_referrals.territory_counts(
        region_of, (NATIONAL, FRANCE), REGION, DEPARTEMENT
    )
    for key, territory in territories_.items():
        for code in public_referrals.CODES:
            value, conseillers = counts.get(key, {}).get(code, (0, 0))
            territory.cells[code] = Cell(value, value, conseillers)
    for code, n in outside.items():
        unplaced.values[code] += n


def _add_aidants_connect_cells(territories_, places, unplaced):
    """Aidants Connect cells of every territory (docs/aidants-connect.md#chiffres), under the
    same secrecy: mandates and uses are about usagers, aidants count as conseillers do."""
    region_of = {p.code: p.parent for p in places if p.niveau == DEPARTEMENT}
    counts, outside = public_aidants.territory_counts(
        region_of, (NATIONAL, FRANCE), REGION, DEPARTEMENT
    )
    kinds = {i.code: i.counts for i in public_aidants.INDICATORS}
    for key, territory in territories_.items():
        for code in public_aidants.CODES:
            value, usagers, aidants = counts.get(key, {}).get(code, (0, 0, 0))
            kind = kinds.get(code, BENEFICIAIRES)
            if kind == NOTHING:
                territory.cells[code] = Cell(value)
            elif kind == CONSEILLERS:
                territory.cells[code] = Cell(value, conseillers=aidants)
            else:
                territory.cells[code] = Cell(value, usagers, aidants)
    for code, n in outside.items():
        unplaced.values[code] += n


def _within(dep, place):
    """Whether département `dep` is part of région or nation `place`."""
    return place.niveau == NATIONAL or dep.parent == place.code


def _apply_secrecy(territories_, places, unplaced):
    cells, relations = {}, []
    for key, territory in territories_.items():
        for column, cell in territory.cells.items():
            cells[(key, column)] = cell
            cell.secret = primary_secret(cell)
        relations += [((key, total), [(key, part) for part in parts]) for total, parts in SUMS]
    france = (NATIONAL, FRANCE)
    for parent in places:
        if parent.niveau == DEPARTEMENT:
            continue
        members = [p.key for p in places if p.parent == parent.code]
        for column in PROTECTED_COLUMNS:
            if parent.key == france and unplaced.values.get(column, 0):
                # Records placed in no département are published nowhere: the difference
                # between France and its régions is theirs, not a hidden territory's.
                continue
            relations.append(((parent.key, column), [(m, column) for m in members]))
    protect(cells, relations)


def _set_shares(territory):
    """Percentages of each partition (largest remainder: they add up to 100); none on secret
    cells."""
    for breakdown, items in territory.breakdowns():
        if not breakdown.partition:
            continue
        shares = largest_remainder([cell.value for _, _, cell in items], decimals=1)
        for (_, _, cell), share in zip(items, shares, strict=True):
            cell.share = None if cell.secret else share


# Open data


CSV_COLUMNS = (
    ("niveau", "Niveau du territoire : national, region ou departement."),
    ("code_territoire", "Code INSEE de la région ou du département ; FR pour la France entière."),
    ("nom_territoire", "Nom du territoire."),
    ("indicateur", "Code stable de l'indicateur (voir la liste des indicateurs)."),
    ("modalite", "Code de la modalité pour une répartition (thématique, tranche d'âge…) ; vide "
                 "pour un indicateur global."),
    ("libelle", "Libellé de l'indicateur ou de la modalité."),
    ("valeur", "Nombre entier ; vide si la valeur relève du secret statistique."),
    ("part_pourcent", "Part de la modalité dans sa répartition, en pourcentage à une décimale "
                      "(les parts d'une répartition exclusive totalisent 100) ; vide sinon ou si "
                      "secret statistique."),
    ("secret_statistique", "true si la valeur n'est pas publiée (secret statistique), false "
                           "sinon."),
)  # fmt: skip
CSV_LEVELS = {"national": NATIONAL, "regions": REGION, "departements": DEPARTEMENT}


def csv_rows(publication_, niveau):
    """Rows of the open-data file of one level, in CSV_COLUMNS order."""
    for territory in publication_.level(niveau):
        place = territory.place
        head = (place.niveau, place.code, place.nom)
        for indicator, cell in (*territory.headline(), *territory.referrals()):
            yield (*head, indicator.code, "", indicator.label, *_csv_cell(cell))
        for indicator, cell in territory.aidants_connect():
            yield (*head, indicator.code, "", indicator.label, *_csv_cell(cell))
        for domain, label, cell in territory.aidants_connect_domains():
            yield (*head, public_aidants.DOMAIN_PREFIX, domain, label, *_csv_cell(cell))
        for breakdown, items in territory.breakdowns():
            for value, label, cell in items:
                yield (*head, breakdown.prefix, value, label, *_csv_cell(cell))


def _csv_cell(cell):
    share = "" if cell.share is None else f"{cell.share:.1f}"
    return ("" if cell.secret else cell.value, share, "true" if cell.secret else "false")
