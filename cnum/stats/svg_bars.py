"""Charts of the PDF reports (cnum.documents), drawn on the server as inline SVG bars.

Each row of a chart's table gets its bar, in a last column: the table is the chart. Labels and
values are the table's text, so a screen reader reads them in order and a copy-paste keeps
them; the bars, drawn without text, only show the proportions (docs/documents.md#statistiques).
A bar per row rather than one drawing per chart also keeps rendering fast: WeasyPrint lays out
every SVG text node like a paragraph.
"""

from django.utils.html import format_html

SCALE = 100  # the bars' viewBox width: a bar of value v is 100 * v / max units long
COLOUR = "#000091"


def bar(value, highest):
    """The SVG bar of `value` against `highest` (safe HTML), or "" for nothing to draw."""
    if not value or not highest or value <= 0:
        return ""
    length = round(SCALE * float(value) / float(highest), 2)
    return format_html(
        '<svg class="barre" viewBox="0 0 {} 10" preserveAspectRatio="none" aria-hidden="true">'
        '<rect width="{}" height="10" fill="{}"/></svg>',
        SCALE,
        length,
        COLOUR,
    )


def chart_rows(chart):
    """(label, [value per series], share, bar) for the table of a cnum.stats.charts.Chart; the
    bar shows the first series (accompagnements for the evolution by month)."""
    rows = chart.rows
    highest = max((values[0] or 0 for _, values, _, _ in rows), default=0)
    return [(label, values, share, bar(values[0], highest)) for label, values, share, _ in rows]


def comparison_rows(comparison):
    """(name, records, accompagnements, hours, share, bar) of a dashboard Comparison; the bar
    shows the accompagnements."""
    highest = max((row[3] or 0 for row in comparison.rows), default=0)
    return [
        (name, records, people, hours, share, bar(people, highest))
        for name, _, records, people, hours, share in comparison.rows
    ]
