"""Public statistics (no login, no JavaScript needed), open-data files, and the steering page
of préfets and the national administration."""

import csv

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.core.params import str_param
from cnum.stats import public, steering
from cnum.stats.charts import Chart, choropleth
from cnum.territories.models import Departement, Region

# Public page


class TerritoryForm(forms.Form):
    territoire = forms.ChoiceField(label="Territoire", required=False)

    def __init__(self, data, zones):
        super().__init__(data)
        groups = {public.NATIONAL: [], public.REGION: [], public.DEPARTEMENT: []}
        for zone in zones:
            label = zone.nom if zone.niveau != public.DEPARTEMENT else f"{zone.code} — {zone.nom}"
            groups[zone.niveau].append((zone.slug, label))
        self.groups = [
            ("", groups[public.NATIONAL]),
            ("Régions", groups[public.REGION]),
            ("Départements", groups[public.DEPARTEMENT]),
        ]
        # Django validates grouped choices as they are: (group label, [(value, label)]).
        self.fields["territoire"].choices = [
            *groups[public.NATIONAL],
            *(group for group in self.groups if group[0]),
        ]
        self.fields["territoire"].error_messages["invalid_choice"] = (
            "Ce territoire n'existe pas : choisissez la France, une région ou un département "
            "dans la liste."
        )


@login_not_required
@require_GET
def public_statistics(request):
    data = public.cached_publication()
    zones = {t.place.slug: t for t in data.territories.values()}
    form = TerritoryForm(request.GET, [t.place for t in data.territories.values()])
    valid = form.is_valid()
    territory = zones[(valid and form.cleaned_data["territoire"]) or "france"]
    children = data.children(territory)
    context = {
        "title": f"Statistiques publiques — {territory.place.nom}",
        "computed_at": data.computed_at,
        "form": form,
        "territory": territory,
        "parent": _parent(data, territory),
        "children": children,
        "map": _public_map(data, territory),
        "secret": public.SECRET,
        "secret_note": public.SECRET_NOTE,
        "downloads": [
            (reverse("stats:public_csv", args=[name]), label)
            for name, label in (
                ("national", "France entière"),
                ("regions", "Régions"),
                ("departements", "Départements"),
            )
        ],
        "columns": public.CSV_COLUMNS,
        "indicators": public.HEADLINE,
        "breakdowns": public.PUBLIC_BREAKDOWNS,
    }
    return render(request, "stats/public.html", context, status=200 if valid else 400)


def _parent(data, territory):
    place = territory.place
    if place.niveau == public.NATIONAL:
        return None
    parent = data.of(public.REGION, place.parent) if place.niveau == public.DEPARTEMENT else None
    return parent or data.of(public.NATIONAL, public.FRANCE)


def _public_map(data, territory):
    """Accompaniments by département (published values only) for France and its régions."""
    if territory.place.niveau == public.DEPARTEMENT:
        return None
    inside = [
        t
        for t in data.level(public.DEPARTEMENT)
        if territory.place.niveau == public.NATIONAL or t.place.parent == territory.place.code
    ]
    values = {
        t.place.code: t.cells["accompagnements"].value
        for t in inside
        if not t.cells["accompagnements"].secret
    }
    links = {t.place.code: f"?territoire={t.place.slug}" for t in inside}
    return choropleth(
        values,
        title="Accompagnements par département",
        unit="accompagnements",
        names={t.place.code: t.place.nom for t in inside},
        links=links,
        slug="accompagnements-departements",
        level=2,
    )


class _Echo:
    def write(self, value):
        return value


@login_not_required
@require_GET
def public_csv(request, niveau):
    """One open-data file per level: UTF-8, comma-separated, streamed line by line."""
    level = public.CSV_LEVELS.get(niveau)
    if level is None:
        raise Http404
    rows = public.csv_rows(public.cached_publication(), level)
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines():
        yield writer.writerow([name for name, _ in public.CSV_COLUMNS])
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiques-{niveau}.csv"'
    return response


# Steering page


REFUSED = (
    "Ce territoire est hors de votre territoire de compétence ({home}) : ses indicateurs ne "
    "vous sont pas accessibles."
)


def _requested(request):
    """The territory named by the query string (None: the viewer's home); 404 if unknown."""
    if code := str_param(request.GET, "departement"):
        dep = Departement.objects.filter(code=code).first()
        if dep is None:
            raise Http404
        return steering.Territory("departement", dep.code, dep.nom)
    if code := str_param(request.GET, "region"):
        reg = Region.objects.filter(code=code).first()
        if reg is None:
            raise Http404
        return steering.Territory("region", reg.code, reg.nom)
    return None


@require_GET
@require_role(Role.PREFET, Role.ADMINISTRATEUR)
def steering_page(request):
    scope = steering.viewer_scope(request.user)
    territory = _requested(request) or scope.home
    if not scope.allows(territory, steering.departement_codes(territory)):
        context = {
            "title": "Territoire non autorisé",
            "message": REFUSED.format(home=scope.home.nom),
        }
        return render(request, "stats/steering_refused.html", context, status=403)
    report = steering.report(territory, scope)
    context = {
        "title": f"Pilotage — {territory.nom}",
        "report": report,
        "scope": scope,
        "up": _up(territory, scope),
        "counts": [
            (label, report.indicators.counts[code]) for code, label in steering.COUNTS.items()
        ],
        "columns": [(code, steering.COUNTS[code]) for code in steering.TABLE_COUNTS],
        "table": [
            (child, [values.counts[code] for code in steering.TABLE_COUNTS])
            for child, values in report.rows
        ],
        "status_chart": Chart(
            title="Structures par statut",
            labels=[label for label, _ in report.indicators.status_rows()],
            values=[n for _, n in report.indicators.status_rows()],
            unit="structures",
            partition=True,
            label_header="Statut",
            slug="structures-statut",
        ),
        "delay_chart": Chart(
            title="Délai entre la décision du comité et le recrutement validé",
            labels=[label for label, _ in report.indicators.delay_distribution()],
            values=[n for _, n in report.indicators.delay_distribution()],
            unit="recrutements",
            partition=True,
            label_header="Délai",
            slug="delai-recrutement",
        ),
    }
    if territory.niveau != "departement":
        context["map"] = choropleth(
            {code: values.counts["postes_vacants"] for code, values in report.departements.items()},
            title="Postes vacants par département",
            unit="postes vacants",
            links={code: f"?departement={code}" for code in report.departements},
            slug="postes-vacants",
            level=2,
        )
    return render(request, "stats/steering.html", context)


def _up(territory, scope):
    """The territory above, when the viewer may see it (for the way back up)."""
    if territory.niveau == "departement":
        dep = Departement.objects.select_related("region").get(code=territory.code)
        if dep.region_id:
            region = steering.Territory("region", dep.region_id, dep.region.nom)
            if scope.allows(region, steering.departement_codes(region)):
                return region
    if territory.niveau != "national" and scope.allows(steering.NATIONAL):
        return steering.NATIONAL
    return None
