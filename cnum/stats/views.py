"""Activity dashboards of signed-in audiences: the page, its print view and its exports.

Every view starts from the viewer's scope (cnum.stats.scopes): a role without a dashboard gets
403; a filter outside the scope gets 403 with the reason and nothing of the figures; malformed
filters get the form back with French errors (400).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cnum.documents.enums import DocumentKind
from cnum.documents.services import render_pdf
from cnum.stats import dashboard as dashboards
from cnum.stats import exports, scopes, svg_bars
from cnum.stats.forms import SCOPED_FIELDS, StatsFilterForm
from cnum.stats.referrals import dashboard_referrals
from cnum.stats.scopes import OutOfScope, Selection

FORMATS = ("csv", "xlsx")
TITLE = "Statistiques d'activité"
# Query parameters a drill-down link keeps or changes.
PARAMETERS = ("du", "au", *SCOPED_FIELDS, "type", "thematique")


def query_string(data, **changes):
    """The filters of `data` (raw GET values) with `changes` (None removes a key)."""
    values = {k: data.get(k) for k in PARAMETERS if data.get(k)}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    if changes.get("structure") is not None:
        # Choosing a structure starts from all of its activity.
        values.pop("conseiller", None)
        values.pop("place", None)
    return urlencode(values)


@dataclass
class Request:
    """The filters of a request within the viewer's scope, or the response refusing them."""

    scope: scopes.Scope
    form: StatsFilterForm
    activity: object = None  # ActivityFilter, None when the form is invalid
    selection: Selection = Selection()
    refusal: object = None  # an HttpResponse (403) when a filter is outside the scope

    def invalid(self, request):
        context = {"title": TITLE, "form": self.form, "scope": self.scope}
        return render(request, "stats/dashboard.html", context, status=400)

    def build(self, link=lambda **changes: ""):
        return dashboards.build(
            self.scope, self.activity, self.selection, link, filters=self.shown_filters()
        )

    def shown_filters(self):
        data, fields = self.form.cleaned_data, self.form.fields
        period = f"{dashboards.month_label(data['du'])} – {dashboards.month_label(data['au'])}"
        shown = [("Période", period)]
        for name in SCOPED_FIELDS:
            picked = getattr(self.selection, name)
            if picked is not None:
                shown.append((fields[name].label, dashboards.display_name(picked)))
        for name in ("type", "thematique"):
            if data.get(name):
                shown.append((fields[name].label, dict(fields[name].choices)[data[name]]))
        return shown


def _read(request):
    scope = scopes.viewer_scope(request.user)
    form = StatsFilterForm(request.GET, scope=scope)
    if not form.is_valid():
        form.limit_choices(Selection())
        return Request(scope, form)
    try:
        activity, selection = scopes.activity_filter(scope, form.cleaned_data)
    except OutOfScope as refusal:
        context = {"title": "Filtre refusé", "reason": str(refusal)}
        return Request(
            scope, form, refusal=render(request, "stats/refused.html", context, status=403)
        )
    form.limit_choices(selection)
    return Request(scope, form, activity, selection)


def _page(request, template):
    read = _read(request)
    if read.refusal:
        return read.refusal
    if read.activity is None:
        return read.invalid(request)
    base = reverse("stats:dashboard")
    board = read.build(lambda **changes: f"{base}?{query_string(request.GET, **changes)}")
    context = {
        "title": TITLE,
        "form": read.form,
        "scope": read.scope,
        "board": board,
        "query": query_string(request.GET),
        "referrals": dashboard_referrals(read.activity),
    }
    return render(request, template, context)


@require_GET
def dashboard(request):
    return _page(request, "stats/dashboard.html")


@require_GET
def dashboard_print(request):
    return _page(request, "stats/dashboard_print.html")


def _drawn(chart):
    return (chart, svg_bars.chart_rows(chart)) if chart is not None else None


@require_GET
def dashboard_pdf(request):
    """The dashboard as a PDF report with a verification code (docs/documents.md#statistiques)."""
    read = _read(request)
    if read.refusal:
        return read.refusal
    if read.activity is None:
        return read.invalid(request)
    board = read.build()
    period = dict(board.filters)["Période"]
    context = {
        "board": board,
        "evolution": _drawn(board.evolution),
        "charts": [_drawn(chart) for chart in board.charts],
        "top_places": _drawn(board.top_places),
        "top_communes": _drawn(board.top_communes),
        "comparisons": [(c, svg_bars.comparison_rows(c)) for c in board.comparisons],
    }
    return render_pdf(
        "stats/report_pdf.html",
        context,
        kind=DocumentKind.STATISTIQUES,
        title=f"{TITLE} — {board.title}",
        issued_by=request.user,
        subject=" ; ".join(f"{label} : {value}" for label, value in board.filters),
        filename=f"statistiques-{board.title}-{period}",
    )


def _export(request, fmt, respond):
    if fmt not in FORMATS:
        raise Http404
    read = _read(request)
    if read.refusal:
        return read.refusal
    if read.activity is None:
        return read.invalid(request)
    return respond(read, fmt)


@require_GET
def export_figures(request, fmt):
    return _export(request, fmt, lambda read, fmt: exports.figures_response(read.build(), fmt))


@require_GET
def export_records(request, fmt):
    return _export(request, fmt, lambda read, fmt: exports.records_response(read.activity, fmt))
