"""Public map and directory of places; places managed by structures and their conseillers."""

from functools import wraps
from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cnum.places import outreach, services
from cnum.places.forms import ConseillerPlacesForm, ModerationForm, PlaceForm
from cnum.places.models import Place, PlaceReport
from cnum.places.outreach_forms import ListingForm
from cnum.places.policies import (
    conseiller_required,
    conseiller_structures,
    manageable_place,
    manageable_places,
    manageable_structures,
    moderated_place,
    moderator_required,
    place_manager_required,
    visible_place,
)
from cnum.places.search import PlaceSearchForm
from cnum.workflow.engine import InvalidTransition


def tile_sources():
    """CSP sources of the map tiles (« {s}. » subdomains become a wildcard)."""
    url = settings.MAP_TILE_URL
    if not url:
        return []
    parts = urlsplit(url.replace("{s}.", "tiles-subdomain."))
    host = parts.netloc.replace("tiles-subdomain.", "*.")
    return [f"{parts.scheme}://{host}"]


def with_map_tiles(view):
    """Let the page load the configured tile server's images (and nothing else)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return csp_update({"img-src": tile_sources()})(view)(request, *args, **kwargs)

    return wrapped


def map_context():
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


@login_not_required
@require_GET
@with_map_tiles
def map_view(request):
    """/carte: search by commune or postal code, nearest first; the list works without JS."""
    bound = "q" in request.GET
    form = PlaceSearchForm(request.GET if bound else None)
    context = {"title": "Carte des lieux de médiation numérique", "form": form, **map_context()}
    if bound and form.is_valid():
        page = form.cleaned_data["page"] or 1
        now = timezone.now()
        found = services.places_near(
            form.cleaned_data["q"],
            offset=(page - 1) * services.PAGE_SIZE,
            filters=form.place_filters(now),
        )
        services.with_next_openings([item.place for item in found.items], now)
        context.update(
            results=found,
            page=page,
            first_rank=(page - 1) * services.PAGE_SIZE + 1,
            active_filters=form.active_filter_count(),
        )
    return render(request, "places/map.html", context)


@login_not_required
@require_GET
@with_map_tiles
def detail(request, pk):
    place = visible_place(request.user, pk)
    context = {
        **outreach.sheet_context(place),
        "title": place.nom,
        "conseiller_count": place.conseiller_links.count(),
        "listed": outreach.listed_conseillers(place),
        "workshops": services.upcoming_workshops(place),
        **map_context(),
    }
    return render(request, "places/detail.html", context)


# --- Managing places (structure managers and conseillers) -----------------------------------


@require_GET
@place_manager_required
def manage_list(request):
    places = (
        manageable_places(request.user)
        .with_publication()
        .with_refusal_reason()
        .select_related("commune", "structure")
        .annotate(conseiller_count=Count("conseiller_links"))
        .order_by("structure__name", "nom", "pk")
    )
    context = {
        "title": "Lieux d'activité",
        "places": places,
        "has_structure": manageable_structures(request.user).exists(),
        "is_conseiller": bool(conseiller_structures(request.user).exists()),
    }
    return render(request, "places/manage_list.html", context)


def _form_page(request, form, place=None, status=200):
    context = {
        "title": f"Modifier « {place.nom} »" if place else "Nouveau lieu",
        "form": form,
        "place": place,
        "conseillers": services.conseillers_of(place) if place else [],
        **map_context(),
    }
    return render(request, "places/form.html", context, status=status)


def _saved_message(request, place, done):
    message = f"Le lieu « {place.nom} » est {done}."
    if not Place.objects.public().filter(pk=place.pk).exists():
        message += (
            " Il sera publié sur la carte dès que votre structure sera validée par le comité de "
            "sélection ou que l'administration l'aura approuvé."
        )
    messages.success(request, message)


@require_http_methods(["GET", "POST"])
@place_manager_required
@with_map_tiles
def create(request):
    structures = manageable_structures(request.user)
    if not structures.exists():
        return render(request, "places/no_structure.html", {"title": "Nouveau lieu"})
    if request.method == "GET":
        first = structures.order_by("pk").first()
        initial = {"structure": first.pk, "pivot": first.siret, "itinerance": ["Fixe"]}
        return _form_page(request, PlaceForm(structures=structures, initial=initial))
    form = PlaceForm(request.POST, structures=structures)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    place = services.save_place(form.apply_to(Place()), request.user)
    _saved_message(request, place, "enregistré")
    return redirect("places:manage")


@require_http_methods(["GET", "POST"])
@place_manager_required
@with_map_tiles
def edit(request, pk):
    place = manageable_place(request.user, pk)
    structures = manageable_structures(request.user)
    if request.method == "GET":
        return _form_page(request, PlaceForm(structures=structures, place=place), place)
    form = PlaceForm(request.POST, structures=structures, place=place)
    if not form.is_valid():
        return _form_page(request, form, place, status=400)
    services.save_place(form.apply_to(place), request.user)
    _saved_message(request, place, "mis à jour")
    return redirect("places:manage")


@require_http_methods(["GET", "POST"])
@place_manager_required
def delete(request, pk):
    place = manageable_place(request.user, pk)
    if request.method == "POST":
        try:
            services.delete_place(place)
        except ProtectedError:
            messages.error(
                request, "Ce lieu est lié à des activités enregistrées : il ne peut être supprimé."
            )
        else:
            messages.success(request, f"Le lieu « {place.nom} » est supprimé.")
        return redirect("places:manage")
    context = {"title": f"Supprimer « {place.nom} »", "place": place}
    return render(request, "places/delete.html", context)


@require_http_methods(["GET", "POST"])
@conseiller_required
def my_places(request):
    """A conseiller picks their main place and secondary places among their structures'."""
    places = (
        Place.objects.filter(structure__in=conseiller_structures(request.user).values("pk"))
        .select_related("commune")
        .order_by("nom", "pk")
    )
    links = {link.place_id: link.is_main for link in request.user.place_links.all()}
    initial = {
        "main": next((pk for pk, is_main in links.items() if is_main), None),
        "secondary": [pk for pk, is_main in links.items() if not is_main],
    }
    form = ConseillerPlacesForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["secondary"])
        services.set_conseiller_places(
            request.user, chosen, main=form.cleaned_data["main"], among=places
        )
        messages.success(request, "Vos lieux d'activité sont enregistrés.")
        return redirect("places:my_places")
    context = {"title": "Mes lieux d'activité", "form": form, "has_places": places.exists()}
    return render(request, "places/my_places.html", context, status=400 if form.errors else 200)


# --- Moderation (the administration) -----------------------------------------------------------

MODERATION_PAGE_SIZE = 50


@require_GET
@moderator_required
def moderation_queue(request):
    """Places of structures not validated by the committee, waiting for a decision."""
    places = (
        Place.objects.awaiting_moderation()
        .select_related("commune", "structure")
        .order_by("created_at", "pk")
    )
    context = {
        "title": "Lieux à modérer",
        "page": Paginator(places, MODERATION_PAGE_SIZE).get_page(request.GET.get("page")),
        "form": ModerationForm(),
        "query": "",
    }
    return render(request, "places/moderation.html", context)


@moderator_required
@require_POST
def moderate(request, pk):
    place = moderated_place(pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"« {place.nom} » : {error}")
        return redirect("places:moderation")
    try:
        services.decide_moderation(
            place, request.user, approve=form.approve, reason=form.cleaned_data["reason"].strip()
        )
    except InvalidTransition:
        messages.error(request, f"Le lieu « {place.nom} » a déjà été traité.")
        return redirect("places:moderation")
    decision = "approuvé : il est publié" if form.approve else "refusé : il reste non publié"
    messages.success(request, f"Le lieu « {place.nom} » est {decision}.")
    return redirect("places:moderation")


@require_http_methods(["GET", "POST"])
@conseiller_required
def my_listing(request):
    """« Apparaître sur la carte »: the conseiller's name and chosen contacts on their places."""
    listing = outreach.listing_of(request.user)
    initial = {
        "visible": listing.visible,
        "phone": listing.phone,
        "email": listing.email,
        "booking_url": listing.booking_url,
    }
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        listing = outreach.save_listing(request.user, **form.cleaned_data)
        messages.success(
            request,
            "Vous apparaissez sur les pages de vos lieux d'activité."
            if listing.visible
            else "Vous n'apparaissez plus sur la carte.",
        )
        return redirect("places:my_listing")
    context = {
        "title": "Apparaître sur la carte",
        "form": form,
        "places": Place.objects.public().filter(conseiller_links__conseiller=request.user),
        "in_post": conseiller_structures(request.user).exists(),
    }
    return render(request, "places/my_listing.html", context, status=400 if form.errors else 200)


@require_GET
@moderator_required
def reports(request):
    """Errors reported by the public, oldest first, until someone marks them handled."""
    pending = PlaceReport.objects.pending().select_related("place__commune", "place__structure")
    context = {
        "title": "Erreurs signalées sur les lieux",
        "page": Paginator(pending, MODERATION_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "places/reports.html", context)


@moderator_required
@require_POST
def report_handled(request, pk):
    if outreach.mark_handled(pk, request.user):
        messages.success(request, "Le signalement est marqué comme traité.")
    else:
        messages.error(request, "Ce signalement a déjà été traité.")
    return redirect("places:reports")
