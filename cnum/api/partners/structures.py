"""Structures, posts and conseillers for partners: public fields only (docs/api.md#structures).

Only structures validated by the committee are listed (those whose places the map shows). Never
sent: contacts, motivation, street address, contracts, salaries, nor anything naming a person; a
conseiller is an assignment (a role in a structure), identified by that assignment, with the
public places where they work (the map shows how many conseillers each place has).
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from ninja import Field, Query, Router, Schema

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.api.auth import TokenAuth
from cnum.api.models import Scope
from cnum.api.partners import cursor
from cnum.api.partners.filters import TerritoryParams, departements_of, not_found_as_404
from cnum.core.api_errors import responses
from cnum.places.models import Place, PlaceConseiller
from cnum.structures.enums import CommitteeOpinion, Status, StructureType
from cnum.structures.models import CommitteeDecision, Structure

router = Router(tags=["partenaires : structures, postes et conseillers"])
AUTH = TokenAuth(Scope.STRUCTURES)
ERRORS = (401, 403, 404)


class ListParams(cursor.PageParams, TerritoryParams):
    pass


def validated_structures(params):
    structures = Structure.objects.filter(status=Status.VALIDATION_COSELEC)
    codes = departements_of(params)
    return structures if codes is None else structures.filter(departement__in=codes)


# --- Structures ------------------------------------------------------------------------------


class StructureOut(Schema):
    id: int
    siret: str
    nom: str
    type: StructureType
    commune: str = Field(description="Code INSEE de la commune du siège.")
    commune_nom: str
    departement: str | None
    region: str | None
    zrr: bool = Field(description="En zone de revitalisation rurale.")
    qpv: bool = Field(description="En quartier prioritaire de la ville.")
    france_services: bool = Field(description="Labellisée France Services.")
    aidants_connect: bool = Field(description="Habilitée Aidants Connect.")
    reseau: str | None = Field(description="Grand réseau auquel la structure appartient.")
    lieux_publics: int = Field(description="Nombre de ses lieux affichés sur la carte.")


class PageStructures(Schema):
    resultats: list[StructureOut]
    suivant: str | None


def _structure(structure, places):
    return {
        "id": structure.pk,
        "siret": structure.siret,
        "nom": structure.name,
        "type": structure.type,
        "commune": structure.commune_id,
        "commune_nom": structure.commune.nom,
        "departement": structure.departement_id,
        "region": structure.commune.region_id,
        "zrr": structure.zrr,
        "qpv": structure.qpv,
        "france_services": structure.france_services,
        "aidants_connect": structure.aidants_connect,
        "reseau": structure.network.name if structure.network_id else None,
        "lieux_publics": places.get(structure.pk, 0),
    }


def _structures(rows):
    public = Place.objects.public().filter(structure__in=[s.pk for s in rows])
    places = dict(public.values_list("structure_id").annotate(n=Count("pk")))
    return [_structure(structure, places) for structure in rows]


@router.get(
    "/structures",
    response=responses(PageStructures, *ERRORS),
    auth=AUTH,
    summary="Structures validées par le comité",
    operation_id="partenaires_structures",
    url_name="partner_structures",
)
@not_found_as_404
def structures(request, params: Query[ListParams]):
    """Structures d'accueil validées par le comité de sélection, par identifiant croissant
    (curseur), filtrables par région ou département. Champs publics seulement : ni contact, ni
    adresse postale, ni motivation. Portée du jeton : « structures »."""
    queryset = validated_structures(params).select_related("commune", "network")
    return cursor.page(queryset, "structures", params, _structures)


# --- Posts -----------------------------------------------------------------------------------


class PostesOut(Schema):
    structure_id: int
    conseillers_attribues: int = Field(description="Postes de conseiller de la dernière décision.")
    coordinateurs_attribues: int = Field(description="Postes de coordinateur attribués.")
    conseillers_en_poste: int = Field(description="Conseillers dont le recrutement est validé.")
    coordinateurs_en_poste: int
    vacants: int = Field(description="Postes de conseiller attribués et non pourvus.")


class PagePostes(Schema):
    resultats: list[PostesOut]
    suivant: str | None


def _in_post(role):
    members = Membership.objects.filter(organisation=OuterRef("pk"), role=role, is_active=True)
    counted = members.order_by().values("organisation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def with_posts(queryset):
    latest = CommitteeDecision.objects.filter(
        structure=OuterRef("pk"), opinion=CommitteeOpinion.POSITIF
    ).order_by("-decided_at", "-pk")
    return queryset.annotate(
        granted=Coalesce(Subquery(latest.values("posts_granted")[:1]), 0),
        coordinators_granted=Coalesce(Subquery(latest.values("coordinator_posts_granted")[:1]), 0),
        conseillers=_in_post(Role.CONSEILLER),
        coordinators=_in_post(Role.COORDINATEUR),
    )


def _posts(rows):
    return [
        {
            "structure_id": s.pk,
            "conseillers_attribues": s.granted,
            "coordinateurs_attribues": s.coordinators_granted,
            "conseillers_en_poste": s.conseillers,
            "coordinateurs_en_poste": s.coordinators,
            "vacants": max(s.granted - s.conseillers, 0),
        }
        for s in rows
    ]


@router.get(
    "/postes",
    response=responses(PagePostes, *ERRORS),
    auth=AUTH,
    summary="Postes attribués et pourvus, par structure",
    operation_id="partenaires_postes",
    url_name="partner_posts",
)
@not_found_as_404
def posts(request, params: Query[ListParams]):
    """Pour chaque structure validée : postes de conseiller et de coordinateur attribués par la
    dernière décision positive du comité, postes pourvus et vacants. Curseur, filtres par
    région ou département. Portée du jeton : « structures »."""
    queryset = with_posts(validated_structures(params).only("pk"))
    return cursor.page(queryset, "postes", params, _posts)


# --- Conseillers -----------------------------------------------------------------------------


class ConseillerOut(Schema):
    id: int = Field(description="Identifiant de l'affectation (un conseiller dans une structure).")
    structure_id: int
    departement: str | None
    coordinateur: bool = Field(description="Occupe aussi un poste de coordinateur de la structure.")
    lieux: list[int] = Field(description="Lieux publics où il exerce (le principal d'abord).")


class PageConseillers(Schema):
    resultats: list[ConseillerOut]
    suivant: str | None


def conseillers_in_post(params):
    structures = validated_structures(params).values("pk")
    return Membership.objects.filter(
        role=Role.CONSEILLER, is_active=True, organisation__in=structures
    ).select_related("organisation")


def _conseillers(rows):
    users = [m.user_id for m in rows]
    coordinators = set(
        Membership.objects.filter(
            role=Role.COORDINATEUR, is_active=True, user_id__in=users
        ).values_list("user_id", "organisation_id")
    )
    links = (
        PlaceConseiller.objects.filter(conseiller_id__in=users)
        .filter(Q(place__in=Place.objects.public()))
        .order_by("-is_main", "place_id")
        .values_list("conseiller_id", "place_id", "place__structure_id")
    )
    places = {}
    for user, place, structure in links:
        places.setdefault((user, structure), []).append(place)
    return [
        {
            "id": m.pk,
            "structure_id": m.organisation_id,
            "departement": m.organisation.departement_id,
            "coordinateur": (m.user_id, m.organisation_id) in coordinators,
            "lieux": places.get((m.user_id, m.organisation_id), []),
        }
        for m in rows
    ]


@router.get(
    "/conseillers",
    response=responses(PageConseillers, *ERRORS),
    auth=AUTH,
    summary="Conseillers en poste, sans donnée nominative",
    operation_id="partenaires_conseillers",
    url_name="partner_conseillers",
)
@not_found_as_404
def conseillers(request, params: Query[ListParams]):
    """Affectations des conseillers en poste dans les structures validées : structure,
    coordination, lieux publics d'exercice. Aucun nom, contact ni contrat. Curseur, filtres par
    région ou département. Portée du jeton : « structures »."""
    return cursor.page(conseillers_in_post(params), "conseillers", params, _conseillers)
