"""Public API of the communes reference data (no personal data, no token needed)."""

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cnum.core.api_errors import responses
from cnum.territories.models import Commune
from cnum.territories.services import parse_insee_code, search_communes

router = Router(tags=["communes"])

CACHE_CONTROL = "public, max-age=3600"  # reference data changes a few times a year


class CommuneOut(Schema):
    code_insee: str = Field(description="Code officiel géographique (INSEE) de la commune.")
    nom: str
    type: str = Field(
        description="« COM » pour une commune, « ARM » pour un arrondissement municipal "
        "(Paris, Lyon, Marseille)."
    )
    codes_postaux: list[str]
    departement: str = Field(description="Code du département, déduit du code INSEE.")
    departement_nom: str
    region: str | None = Field(
        description="Code de la région ; absent pour Saint-Pierre-et-Miquelon, "
        "Saint-Barthélemy et Saint-Martin."
    )
    latitude: float
    longitude: float
    precision: str = Field(
        description="Précision des coordonnées : « exacte » (centre de la commune), "
        "« code_postal » (commune voisine de même code postal), « chef_lieu_arrondissement » "
        "ou « chef_lieu_departement »."
    )
    population: int = Field(description="Population municipale.")
    correspondance: str | None = Field(
        None,
        description="Ce qui a été trouvé quand ce n'est pas le nom de la commune : « code "
        "commune 97411 », « code postal 97411 », ou une ancienne commune (« Annecy-le-Vieux, "
        "commune déléguée d'Annecy »).",
    )

    @staticmethod
    def resolve_departement(commune):
        return commune.departement_id

    @staticmethod
    def resolve_departement_nom(commune):
        return commune.departement.nom

    @staticmethod
    def resolve_region(commune):
        return commune.region_id

    @staticmethod
    def resolve_correspondance(commune):
        return getattr(commune, "matched_as", None)


@router.get(
    "",
    response=responses(list[CommuneOut]),
    auth=None,
    summary="Rechercher des communes",
    operation_id="communes_rechercher",
    url_name="communes",
)
def search(
    request,
    response: HttpResponse,
    q: str = Query(
        ...,
        min_length=1,
        max_length=100,
        description="Nom ou début de nom (accents et majuscules indifférents, « st » vaut "
        "« saint », un mot quelconque du nom suffit), code postal (ou ses 2 à 4 premiers "
        "chiffres) ou code INSEE. Un département peut suivre le nom : « Saint-Denis (93) ».",
        examples=["ajaccio", "st etienne", "75001", "2A004"],
    ),
    limit: int = Query(10, ge=1, le=50, description="Nombre maximal de communes (1 à 50)."),
):
    """Communes correspondant à la recherche, les plus pertinentes d'abord : code postal ou nom
    exact, puis par population décroissante."""
    response["Cache-Control"] = CACHE_CONTROL
    return search_communes(q, limit)


@router.get(
    "/{code_insee}",
    response=responses(CommuneOut, 404),
    auth=None,
    summary="Une commune par son code INSEE",
    operation_id="communes_detail",
    url_name="commune",
)
def detail(request, response: HttpResponse, code_insee: str):
    """La commune portant ce code INSEE (5 caractères, « 2A » ou « 2B » pour la Corse)."""
    code = parse_insee_code(code_insee)
    commune = (
        Commune.objects.select_related("departement").filter(pk=code).first() if code else None
    )
    if commune is None:
        shown = f" « {code} »" if code else ""
        return Status(404, {"detail": f"Aucune commune ne porte le code INSEE{shown}."})
    response["Cache-Control"] = CACHE_CONTROL
    return commune
