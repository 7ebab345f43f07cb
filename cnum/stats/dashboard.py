"""What a dashboard shows, built once for the page, its print view and its exports.

`build(scope, activity, selection, link)` reads the figures (cnum.stats.queries) and the
comparisons (cnum.stats.comparisons) and returns a `Dashboard`: headline cards, one chart per
breakdown, the evolution by month, the top places and communes, and, depending on what is
selected, the comparison across régions, départements, structures or conseillers with links
drilling down (`link(**changes)` gives the URL of the dashboard with other filters).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.activity.enums import CraType
from cnum.stats import comparisons
from cnum.stats.charts import Chart, breakdown_chart, choropleth
from cnum.stats.forms import add_months
from cnum.stats.measures import TOTALS
from cnum.stats.percentages import largest_remainder
from cnum.stats.queries import activity_figures
from cnum.structures.models import Structure
from cnum.territories.models import Departement, Region

MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
UNAVAILABLE = "Non disponible avec ce filtre"


@dataclass(frozen=True)
class Card:
    label: str
    value: object  # None: the figure cannot be given for these filters
    unit: str = ""


@dataclass(frozen=True)
class Comparison:
    """A table comparing the parts of the selection (régions, départements…)."""

    title: str
    header: str
    rows: list  # (name, link, records, accompagnements, hours, share of accompagnements)
    slug: str


@dataclass
class Dashboard:
    title: str
    period: tuple
    cards: list
    charts: list
    evolution: Chart
    top_places: Chart | None
    top_communes: Chart | None
    comparisons: list = field(default_factory=list)
    map: object = None
    source: str = ""
    filters: list = field(default_factory=list)  # (label, value) of the active filters


def hours(minutes):
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_label(day):
    return f"{MONTHS[day.month - 1]} {day.year}"


def build(scope, activity, selection, link, *, filters=()):
    figures = activity_figures(activity)
    types = comparisons.by_type(activity)
    dashboard = Dashboard(
        title=_title(scope, selection),
        period=(activity.start, activity.end),
        cards=_cards(figures, types),
        charts=_charts(figures, types),
        evolution=_evolution(figures, activity),
        top_places=_top_places(figures),
        top_communes=_top_communes(figures),
        source=figures.source,
        filters=list(filters),
    )
    _add_comparisons(dashboard, scope, activity, selection, link)
    return dashboard


def _title(scope, selection):
    for picked in (selection.place, selection.conseiller, selection.structure):
        if picked is not None:
            return display_name(picked)
    if selection.departement is not None:
        return str(selection.departement)
    if selection.region is not None:
        return selection.region.nom
    return scope.label


def display_name(obj):
    if isinstance(obj, User):
        return obj.get_full_name() or f"Conseiller n° {obj.pk}"
    return str(getattr(obj, "name", None) or obj)


def _cards(figures, types):
    totals = figures.totals
    individual = types.get(CraType.INDIVIDUEL, {}) if types is not None else None
    collective = types.get(CraType.COLLECTIF, {}) if types is not None else None
    cards = [
        Card("Personnes accompagnées", totals["accompagnements"], "accompagnements"),
        Card("Accompagnements individuels", _get(individual, "records"), "CRA"),
        Card("Ateliers collectifs", _get(collective, "records"), "CRA"),
        Card("Participants aux ateliers", _get(collective, "accompagnements"), "personnes"),
        Card("Participations de bénéficiaires suivis", totals["participations_suivies"]),
        Card("Participants anonymes", totals["participants_anonymes"]),
        Card("Nouveaux bénéficiaires suivis", figures.beneficiaires_nouveaux),
        Card("Heures d'accompagnement", hours(totals["minutes"]), "heures"),
        Card("Conseillers actifs", figures.conseillers_actifs),
        Card("Personnes orientées", totals["orientations"]),
        Card("CRA enregistrés", totals["records"], "CRA"),
    ]
    if totals["legacy_records"]:
        cards.append(Card(TOTALS["legacy_records"][0], totals["legacy_records"], "CRA"))
    return cards


def _get(values, column):
    return None if values is None else values.get(column, 0)


def _charts(figures, types):
    charts = []
    if types is not None:
        charts.append(
            Chart(
                title="Individuel ou collectif",
                labels=[label for _, label in CraType.choices],
                values=[types.get(t, {}).get("records", 0) for t in CraType.values],
                unit="CRA",
                kind="doughnut",
                partition=True,
                label_header="Type d'activité",
                slug="type",
            )
        )
    records = figures.totals["records"]
    charts += [breakdown_chart(b, items, records=records) for b, items in figures.breakdowns]
    return charts


def _months(start, end):
    months, day = [], start
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    return months


def _evolution(figures, activity):
    by_month = dict(figures.by_month)
    start = activity.start or (min(by_month) if by_month else None)
    end = activity.end or (max(by_month) if by_month else None)
    months = _months(start, end) if start and end else []
    empty = dict.fromkeys(TOTALS, 0)
    return Chart(
        title="Évolution par mois",
        labels=[month_label(m) for m in months],
        series=[
            ("Accompagnements", [by_month.get(m, empty)["accompagnements"] for m in months]),
            ("CRA", [by_month.get(m, empty)["records"] for m in months]),
        ],
        kind="line",
        label_header="Mois",
        slug="evolution",
        level=2,
    )


def _top_places(figures):
    if figures.top_places is None:
        return None
    return Chart(
        title="Lieux les plus fréquentés",
        labels=[
            f"{name} ({commune})" if commune else name for _, name, commune, _ in figures.top_places
        ],
        values=[total for *_, total in figures.top_places],
        unit="accompagnements",
        label_header="Lieu",
        slug="top-lieux",
    )


def _top_communes(figures):
    if figures.top_communes is None:
        return None
    return Chart(
        title="Communes les plus représentées",
        labels=[f"{name} ({code})" for code, name, _ in figures.top_communes],
        values=[total for *_, total in figures.top_communes],
        unit="accompagnements",
        label_header="Commune",
        slug="top-communes",
    )


# --- Comparisons and drill-down ---------------------------------------------------------------


def _add_comparisons(dashboard, scope, activity, selection, link):
    if selection.place is not None or selection.conseiller is not None:
        return
    if scope.is_territorial and selection.structure is None:
        _territories(dashboard, scope, activity, selection, link)
        if selection.departement is not None or len(activity.departements or ()) == 1:
            _structures(dashboard, activity, link)
        return
    if scope.audience == Role.GRAND_RESEAU and selection.structure is None:
        _structures(dashboard, activity, link)  # a network compares its member structures
        return
    if scope.audience != Role.CONSEILLER:
        _conseillers(dashboard, activity, link)


def _rows(items, link_of):
    """Comparison rows from [(name, key, values)], largest first, with shares that add up."""
    items = sorted(items, key=lambda item: (-item[2]["accompagnements"], item[0]))
    shares = largest_remainder([values["accompagnements"] for *_, values in items], decimals=1)
    return [
        (name, link_of(key), v["records"], v["accompagnements"], hours(v["minutes"]), share)
        for (name, key, v), share in zip(items, shares, strict=True)
    ]


def _territories(dashboard, scope, activity, selection, link):
    values = comparisons.by_departement(activity)
    if values is None:
        return
    names = dict(Departement.objects.values_list("code", "nom"))
    allowed = set(scope.departements or names)
    dep_link = lambda code: link(departement=code, region=None) if code in allowed else ""  # noqa: E731
    if selection.departement is None:
        dashboard.map = choropleth(
            {code: v["accompagnements"] for code, v in values.items()},
            title="Personnes accompagnées par département",
            unit="accompagnements",
            names=names,
            links={code: dep_link(code) for code in values},
        )
    if selection.region is None and selection.departement is None and scope.departements is None:
        dashboard.comparisons.append(_regions(values, scope, link))
    if selection.departement is None:
        items = [(f"{names.get(code, code)} ({code})", code, v) for code, v in values.items()]
        dashboard.comparisons.append(
            Comparison("Par département", "Département", _rows(items, dep_link), "departements")
        )


def _regions(values, scope, link):
    region_of = dict(Departement.objects.values_list("code", "region_id"))
    totals = {}
    for code, v in values.items():
        region = region_of.get(code) or ""
        into = totals.setdefault(region, dict.fromkeys(comparisons.COLUMNS, 0))
        for column in comparisons.COLUMNS:
            into[column] += v[column]
    names = dict(Region.objects.values_list("code", "nom"))
    items = [(names.get(code, "Hors région (collectivités d'outre-mer)"), code, v)
             for code, v in totals.items()]  # fmt: skip
    region_link = lambda code: link(region=code, departement=None) if code else ""  # noqa: E731
    return Comparison("Par région", "Région", _rows(items, region_link), "regions")


def _structures(dashboard, activity, link):
    values = comparisons.by_structure(activity)
    if values is None:
        return
    names = dict(Structure.objects.filter(pk__in=values).values_list("pk", "name"))
    items = [(names.get(pk, f"Structure n° {pk}"), pk, v) for pk, v in values.items()]
    rows = _rows(items, lambda pk: link(structure=pk))
    dashboard.comparisons.append(Comparison("Par structure", "Structure", rows, "structures"))


def _conseillers(dashboard, activity, link):
    values = comparisons.by_conseiller(activity)
    if values is None:
        return
    users = User.objects.filter(pk__in=values).only("first_name", "last_name")
    names = {u.pk: display_name(u) for u in users}
    items = [(names.get(pk, f"Conseiller n° {pk}"), pk, v) for pk, v in values.items()]
    rows = _rows(items, lambda pk: link(conseiller=pk))
    dashboard.comparisons.append(Comparison("Par conseiller", "Conseiller", rows, "conseillers"))
