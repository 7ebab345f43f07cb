"""What a chart or a map shows, independent of how it is drawn.

`templates/stats/_chart.html` renders a `Chart` as a Chart.js canvas (static/stats/charts.js,
drawn from JSON embedded with json_script) followed by its table, which is the accessible
alternative and what a visitor without JavaScript or a printer gets. `_choropleth.html` renders
a `Choropleth` (built by `choropleth()` from {département code: value}) as an inline SVG map of
France plus its table. Both partials take one variable: `chart`, or `map`.
"""

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from cnum.core.text import nombre
from cnum.stats.measures import Unit
from cnum.stats.percentages import largest_remainder

KINDS = ("bar", "line", "doughnut")
UNIT_LABELS = {Unit.RECORDS: "CRA", Unit.PARTICIPANTS: "personnes", Unit.MINUTES: "minutes"}
MAP_DATA = Path(__file__).resolve().parent / "data" / "departements.json"
MAP_CLASSES = 5


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple


@dataclass(frozen=True)
class Chart:
    """One chart and its table. Give `values` for one series, or `series` for several.

    `partition`: each unit has exactly one value, so shares (largest remainder) add up to 100.
    `share_base`: for multi-valued lists, shares of that total (they may add up to more).
    """

    title: str
    labels: tuple
    values: tuple = ()
    series: tuple = ()
    unit: str = ""
    kind: str = "bar"
    partition: bool = False
    share_base: int | None = None
    label_header: str = "Valeur"
    note: str = ""
    slug: str = ""
    level: int = 3
    # Optional link per label (drill-down), same order as labels; "" for none.
    links: tuple = field(default=())

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Type de graphique inconnu : {self.kind}")
        if bool(self.values) == bool(self.series) and self.labels:
            raise ValueError("Un graphique a soit `values`, soit `series`.")
        for name in ("labels", "values", "series", "links"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "series", tuple(Series(s[0], tuple(s[1])) for s in self.series))
        if any(len(s.values) != len(self.labels) for s in self.all_series):
            raise ValueError("Chaque série a une valeur par libellé.")

    @property
    def all_series(self):
        if self.series:
            return self.series
        return (Series(self.unit or self.title, self.values),)

    @property
    def dom_id(self):
        return "graphique-" + (self.slug or slugify(self.title))

    @property
    def data_id(self):
        return self.dom_id + "-donnees"

    @property
    def total(self):
        return sum(self.values) if self.values else None

    @property
    def shares(self):
        """Percentages per label (Decimal, one decimal), or None when they mean nothing."""
        if not self.values:
            return None
        if self.partition:
            return largest_remainder(self.values, decimals=1)
        if self.share_base:
            return [
                (Decimal(100) * v / self.share_base).quantize(Decimal("0.1")) for v in self.values
            ]
        return None

    @property
    def rows(self):
        """(label, [value per series], share or None, link) for the table."""
        shares = self.shares or [None] * len(self.labels)
        links = self.links or [""] * len(self.labels)
        columns = [s.values for s in self.all_series]
        return [
            (label, [column[i] for column in columns], shares[i], links[i])
            for i, label in enumerate(self.labels)
        ]

    @property
    def data(self):
        """What static/stats/charts.js draws."""
        return {
            "kind": self.kind,
            "title": self.title,
            "unit": self.unit,
            "labels": [str(label) for label in self.labels],
            "series": [{"name": s.name, "values": list(s.values)} for s in self.all_series],
        }


def breakdown_chart(breakdown, items, *, records=None, slug=""):
    """The chart of one measures.Breakdown from (value, label, count) items.

    Partitions with few values are doughnuts; multi-valued lists show each value's share of the
    records (`records`), which may add up to more than 100 %.
    """
    labels = [label for _, label, _ in items]
    values = [count for _, _, count in items]
    few = len(items) <= 5
    return Chart(
        title=breakdown.label,
        labels=labels,
        values=values,
        unit=UNIT_LABELS.get(breakdown.unit, ""),
        kind="doughnut" if breakdown.partition and few else "bar",
        partition=breakdown.partition,
        share_base=None if breakdown.partition else records,
        label_header=breakdown.label,
        note=""
        if breakdown.partition
        else "Un CRA peut en compter plusieurs : les parts ne s'additionnent pas à 100 %.",
        slug=slug or breakdown.prefix,
    )


# --- Map of France by département ---------------------------------------------------------


@cache
def map_data():
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str
    value: object  # None: no figure for this département
    bucket: int  # 0: none or zero; 1..MAP_CLASSES: darker is more
    label: dict | None  # where to write the code (overseas inset squares)


@dataclass(frozen=True)
class Choropleth:
    title: str
    unit: str
    view_box: str
    source: str
    areas: tuple
    legend: tuple  # (bucket, lowest value, highest value)
    rows: tuple  # (code, name, value, link) for the table, by code
    slug: str = ""
    level: int = 3

    @property
    def dom_id(self):
        return "carte-" + (self.slug or slugify(self.title))

    @property
    def shapes(self):
        """The SVG shapes of the départements, written here rather than by the template: the
        template engine took about 25 ms for the hundred of them, a tenth of the national page."""
        return format_html_join("", "{}", ((_area_svg(area),) for area in self.areas))


def _area_svg(area):
    empty = area.value is None
    shape = format_html(
        '<path class="cnum-choro cnum-choro--{}{}" d="{}" data-departement="{}">'
        "<title>{} ({}) : {}</title></path>",
        area.bucket,
        " cnum-choro--vide" if empty else "",
        area.path,
        area.code,
        area.name,
        area.code,
        "aucune donnée" if empty else nombre(area.value),
    )
    if not area.label:
        return shape
    return shape + format_html(
        '<text class="cnum-choro__label" x="{}" y="{}" aria-hidden="true">{}</text>',
        area.label["x"],
        area.label["y"],
        area.name,
    )


def _breaks(values, classes):
    """Upper bounds of up to `classes` quantile classes of the positive values."""
    positives = sorted(v for v in values if v and v > 0)
    if not positives:
        return []
    n = min(classes, len(set(positives)))
    bounds = [positives[math.ceil(len(positives) * k / n) - 1] for k in range(1, n + 1)]
    return sorted(set(bounds))


def _bucket(value, breaks):
    if not value or value <= 0:
        return 0
    return next(i for i, bound in enumerate(breaks, 1) if value <= bound)


def choropleth(values, *, title, unit="", names=None, links=None, slug="", level=3):
    """A map of {département code: value}; `links` {code: url} become the table's drill-down.

    Départements missing from `values` are drawn without a figure; values of territories
    the map does not draw (collectivités d'outre-mer) are still in the table.
    """
    data = map_data()
    links = links or {}
    breaks = _breaks(values.values(), MAP_CLASSES)
    areas = tuple(
        Area(
            code=shape["code"],
            name=shape["name"],
            path=shape["path"],
            value=values.get(shape["code"]),
            bucket=_bucket(values.get(shape["code"]), breaks),
            label=shape.get("label"),
        )
        for shape in data["departements"]
    )
    legend = []
    for i, bound in enumerate(breaks, 1):
        inside = [v for v in values.values() if _bucket(v, breaks) == i]
        legend.append((i, min(inside, default=bound), bound))
    if names is None:
        names = _departement_names()
    rows = tuple(
        (code, names.get(code, code), values[code], links.get(code, "")) for code in sorted(values)
    )
    return Choropleth(
        title=title,
        unit=unit,
        view_box=data["viewBox"],
        source=data["source"],
        areas=areas,
        legend=tuple(legend),
        rows=rows,
        slug=slug,
        level=level,
    )


def _departement_names():
    from cnum.territories.models import Departement

    return dict(Departement.objects.values_list("code", "nom"))
