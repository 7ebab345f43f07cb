"""Public pages around the map (docs/domaine.md#lieux-public): the orientation sheet by e-mail,
error reports, the guided search and the embeddable map."""

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cnum.core import throttling
from cnum.places import outreach, services
from cnum.places.outreach_forms import ReportForm, SheetForm
from cnum.places.policies import visible_place
from cnum.places.search import EmbedForm, GuidedSearchForm
from cnum.places.views import map_context, with_map_tiles

HOUR = 60 * 60
SHEETS_PER_CLIENT = 10  # a mediator orienting several people in an hour
SHEETS_PER_RECIPIENT = 3  # nobody gets flooded with sheets
REPORTS_PER_CLIENT = 5
EMBED_PAGE_SIZE = 20


def _throttled(request):
    response = render(request, "places/throttled.html", {"title": "Trop de demandes"}, status=429)
    response["Retry-After"] = str(HOUR)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def send_sheet(request, pk):
    """/lieux/<pk>/envoyer/: the place's orientation sheet mailed to someone."""
    place = visible_place(request.user, pk)
    form = SheetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttling.hit(request, "places:sheet", SHEETS_PER_CLIENT, HOUR):
            return _throttled(request)
        if form.is_valid() and form.is_spam:
            return redirect("places:detail", pk=place.pk)  # nothing sent, nothing said
        if form.is_valid():
            to = form.cleaned_data["email"]
            if not throttling.allow("places:sheet-to", to.lower(), SHEETS_PER_RECIPIENT, HOUR):
                return _throttled(request)
            outreach.send_sheet(place, to=to, note=form.cleaned_data["note"])
            messages.success(request, f"La fiche du lieu est envoyée à {to}.")
            return redirect("places:detail", pk=place.pk)
    context = {"title": f"Envoyer la fiche « {place.nom} »", "place": place, "form": form}
    return render(request, "places/send_sheet.html", context, status=400 if form.errors else 200)


@login_not_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """/lieux/<pk>/signaler/: the public reports an error on the place's page."""
    place = visible_place(request.user, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttling.hit(request, "places:report", REPORTS_PER_CLIENT, HOUR):
            return _throttled(request)
        if form.is_valid():
            if not form.is_spam:
                outreach.report_error(
                    place,
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                    contact_email=form.cleaned_data["contact_email"],
                )
            messages.success(
                request, "Merci : votre signalement est transmis aux gestionnaires du lieu."
            )
            return redirect("places:detail", pk=place.pk)
    context = {"title": f"Signaler une erreur — {place.nom}", "place": place, "form": form}
    return render(request, "places/report.html", context, status=400 if form.errors else 200)


@login_not_required
@require_GET
@with_map_tiles
def guided_search(request):
    """/carte/recherche-guidee/: need, place, time and accessibility, one fieldset each."""
    bound = "q" in request.GET
    form = GuidedSearchForm(request.GET if bound else None)
    context = {"title": "Recherche guidée d'un lieu", "form": form, **map_context()}
    if bound and form.is_valid():
        context.update(_search_results(form, form.cleaned_data["page"] or 1))
    return render(request, "places/guided.html", context, status=400 if form.errors else 200)


def _search_results(form, page, queryset=None):
    now = timezone.now()
    found = services.places_near(
        form.cleaned_data["q"],
        offset=(page - 1) * services.PAGE_SIZE,
        filters=form.place_filters(now),
        queryset=queryset,
    )
    services.with_next_openings([item.place for item in found.items], now)
    return {
        "results": found,
        "page": page,
        "first_rank": (page - 1) * services.PAGE_SIZE + 1,
        "active_filters": form.active_filter_count(),
    }


# --- The embeddable map ----------------------------------------------------------------------


def framed_anywhere(view):
    """Any site may show this page in a frame: the CSP and X-Frame-Options refusals that hold
    everywhere else are lifted for this view only (docs/domaine.md#lieux-integration)."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


class EmbedFilters(EmbedForm):
    def place_filters(self, now=None):
        return self.filters()

    def active_filter_count(self):
        return 0


@login_not_required
@require_GET
@framed_anywhere
@with_map_tiles
def embed(request):
    """/carte/integration/: the map with minimal chrome, pre-filtered by the address."""
    form = EmbedFilters(request.GET)
    context = {"title": "Lieux de médiation numérique", "form": form, **map_context()}
    if not form.is_valid():
        return render(request, "places/embed.html", context, status=400)
    data = form.cleaned_data
    places = services.public_places_in(departement=data["departement"], commune=data["commune"])
    page = data["page"] or 1
    if data["q"]:
        context.update(_search_results(form, page, queryset=places))
    elif data["departement"] or data["commune"]:
        context["listing"] = _territory_page(places, form, page)
    context["pre_filters"] = form.query_string()
    return render(request, "places/embed.html", context)


def _territory_page(places, form, number):
    """The territory's places by commune then name (no search asked yet)."""
    service = form.cleaned_data["service"]
    places = places.exclude(services=[]).select_related("commune").order_by("commune__nom", "nom")
    if service:
        # JSON lists: filtered here in Python, the same way on SQLite and PostgreSQL.
        pks = [pk for pk, values in places.values_list("pk", "services") if service in values]
        places = places.filter(pk__in=pks)
    page = Paginator(places, EMBED_PAGE_SIZE).get_page(number)
    page.object_list = services.with_next_openings(list(page.object_list), timezone.now())
    return page


@login_not_required
@require_GET
def embed_help(request):
    """/carte/integrer/: the iframe snippet for the filters chosen, and its preview."""
    form = EmbedForm(request.GET if request.GET else None)
    context = {"title": "Intégrer la carte à votre site", "form": form}
    if form.is_bound and form.is_valid():
        query = form.query_string()
        path = reverse("places:embed") + (f"?{query}" if query else "")
        context.update(embed_url=settings.SITE_URL + path, preview_url=path)
    return render(request, "places/embed_help.html", context, status=400 if form.errors else 200)
