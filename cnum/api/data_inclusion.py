"""The data·inclusion feed (docs/api.md#data-inclusion): public places as data·inclusion
structures and services (schema v1), page by page, public like the places' open data.

The items are built by cnum.places.data_inclusion; here, the selection (public places only,
as the open data export), the stable order (place id) and the pages. A service page counts
services, not places: a place offers up to nine services, so the page boundaries are found from
the places' service counts (one light query), then only the places of the page are read.
"""

import datetime
import math

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from cnum.api.services import PARIS
from cnum.core.api_errors import responses
from cnum.places import data_inclusion
from cnum.places.models import Place

router = Router(tags=["data·inclusion"])
CACHE_CONTROL = "public, max-age=600"
DEFAULT_SIZE = 500
MAX_SIZE = 1000


class FeedParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Numéro de page, à partir de 1.")
    taille: int = Field(
        DEFAULT_SIZE,
        ge=1,
        le=MAX_SIZE,
        description=f"Éléments par page (1 à {MAX_SIZE}, {DEFAULT_SIZE} par défaut).",
    )
    date_maj_depuis: datetime.date | None = Field(
        None,
        ge=datetime.date(2000, 1, 1),
        le=datetime.date(2099, 12, 31),
        description="Seulement les éléments mis à jour ce jour-là ou depuis (AAAA-MM-JJ, heure "
        "de Paris).",
    )


class Address(Schema):
    commune: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    adresse: str | None = None
    complement_adresse: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    telephone: str | None = None
    courriel: str | None = None
    horaires_accueil: str | None = Field(None, description="Format OpenStreetMap opening_hours.")


class DIStructure(Address):
    source: str
    id: str = Field(description="« conseiller-numerique--<identifiant du lieu> ».")
    nom: str
    date_maj: datetime.date
    description: str | None = None
    siret: str | None = None
    site_web: str | None = None
    accessibilite_lieu: str | None = None


class DIService(Address):
    source: str
    structure_id: str
    id: str
    nom: str
    description: str
    date_maj: datetime.date
    type: str
    thematiques: list[str]
    frais: str | None = None
    publics: list[str]
    modes_accueil: list[str]
    modes_mobilisation: list[str] | None = None
    mobilisable_par: list[str]
    lien_mobilisation: str | None = None
    zone_eligibilite: list[str] = Field(description="Codes des départements.")


class Page(Schema):
    total: int = Field(description="Nombre total d'éléments, tous filtres appliqués.")
    page: int
    taille: int
    pages: int


class StructuresPage(Page):
    items: list[DIStructure]


class ServicesPage(Page):
    items: list[DIService]


def public_places(params):
    """Public places (as the open data export, cnum.places.export), oldest id first."""
    places = Place.objects.public().order_by("pk")
    if params.date_maj_depuis:
        since = datetime.datetime.combine(params.date_maj_depuis, datetime.time.min, PARIS)
        places = places.filter(updated_at__gte=since)
    return places


def paged(params, total, items):
    return {
        "total": total,
        "page": params.page,
        "taille": params.taille,
        "pages": math.ceil(total / params.taille),
        "items": items,
    }


def services_page(params):
    """(total, services of the page): page bounds from the service counts, then those places."""
    counts = [
        (pk, len(services or []))
        for pk, services in public_places(params).values_list("pk", "services")
    ]
    start = (params.page - 1) * params.taille
    end = start + params.taille
    wanted, position, skip = [], 0, None
    for pk, count in counts:
        if count and position + count > start and position < end:
            wanted.append(pk)
            skip = start - position if skip is None else skip
        position += count
    places = Place.objects.filter(pk__in=wanted).select_related("commune").order_by("pk")
    services = [service for place in places for service in data_inclusion.to_services(place)]
    first = max(skip or 0, 0)
    return position, services[first : first + params.taille]


@router.get(
    "/structures",
    response=responses(StructuresPage),
    auth=None,
    summary="Lieux au format data·inclusion (structures)",
    operation_id="data_inclusion_structures",
    url_name="data_inclusion_structures",
)
def structures(request, response: HttpResponse, params: Query[FeedParams]):
    """Les lieux publics (ceux de la carte et des données ouvertes) comme structures du schéma
    data·inclusion v1, par identifiant de lieu croissant. Public, sans jeton."""
    response["Cache-Control"] = CACHE_CONTROL
    places = public_places(params)
    start = (params.page - 1) * params.taille
    rows = places.select_related("commune")[start : start + params.taille]
    return paged(params, places.count(), [data_inclusion.to_structure(p) for p in rows])


@router.get(
    "/services",
    response=responses(ServicesPage),
    auth=None,
    summary="Services des lieux au format data·inclusion",
    operation_id="data_inclusion_services",
    url_name="data_inclusion_services",
)
def services(request, response: HttpResponse, params: Query[FeedParams]):
    """Un service data·inclusion v1 par service national proposé par un lieu public, dans
    l'ordre des lieux puis de leurs services. Public, sans jeton."""
    response["Cache-Control"] = CACHE_CONTROL
    return paged(params, *services_page(params))
