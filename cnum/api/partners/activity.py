"""Activity records for partners, without personal data (docs/api.md#activites).

Never sent: the conseiller, followed beneficiaries, notes, workshop titles, precisions (free text
that may name someone), the per-record age, gender and social status (with a date and a place
they can single a person out: the aggregated figures of the statistics scope give them), and the
commune of a home visit (where the beneficiary lives).
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from ninja import Field, Query, Router, Schema

from cnum.activity.enums import CraType, TypeLieu
from cnum.activity.models import Cra
from cnum.api.auth import TokenAuth
from cnum.api.models import Scope
from cnum.api.partners import cursor
from cnum.api.partners.filters import (
    PeriodParams,
    TerritoryParams,
    check_period,
    departements_of,
    not_found_as_404,
)
from cnum.core.api_errors import responses
from cnum.places.models import Place

router = Router(tags=["partenaires : activités"])
SALT = "activites"


class Activite(Schema):
    id: int = Field(description="Identifiant stable du compte rendu d'activité.")
    date: datetime.date
    type: CraType
    duree: int = Field(description="Durée en minutes.")
    type_lieu: TypeLieu
    departement: str | None = Field(
        description="Département de la structure (à défaut : du lieu, puis de la commune)."
    )
    commune: str | None = Field(
        description="Code INSEE de la commune de l'accompagnement ; jamais pour un "
        "accompagnement à domicile."
    )
    structure_id: int | None = Field(
        description="Structure employeuse (voir /partenaires/structures)."
    )
    lieu_id: int | None = Field(description="Lieu de médiation numérique public, s'il y en a un.")
    thematiques: list[str]
    materiel: list[str]
    demarches: list[str]
    autonomie: str | None = Field(description="Accompagnement individuel seulement.")
    oriente: bool
    orientation_type: str | None = Field(description="Type de structure vers laquelle orienté.")
    niveau: str | None = Field(description="Atelier collectif seulement.")
    participants: int = Field(description="Participants anonymes et bénéficiaires suivis.")
    importe_v1: bool = Field(description="Compte rendu repris de la première plateforme.")
    modifie_le: datetime.datetime


class PageActivites(Schema):
    resultats: list[Activite]
    suivant: str | None = Field(description="Curseur de la page suivante ; null à la fin.")


class ActivityParams(cursor.PageParams, TerritoryParams, PeriodParams):
    pass


COLUMNS = (
    "pk",
    "date",
    "type",
    "duree",
    "type_lieu",
    "commune_id",
    "structure_id",
    "place_id",
    "thematiques",
    "materiel",
    "demarches",
    "autonomie",
    "oriente",
    "orientation_kind",
    "niveau",
    "participants_anonymes",
    "beneficiary_id",
    "legacy_id",
    "updated_at",
)


def records(params):
    """Living records within the filters; the département follows the statistics' rule
    (cnum.stats.contributions.departement_of)."""
    queryset = Cra.objects.alive()
    if params.du:
        queryset = queryset.filter(date__gte=params.du)
    if params.au:
        queryset = queryset.filter(date__lte=params.au)
    codes = departements_of(params)
    if codes is not None:
        queryset = queryset.filter(
            Q(structure__departement__in=codes)
            | Q(structure__isnull=True, place__commune__departement__in=codes)
            | Q(structure__isnull=True, place__isnull=True, commune__departement__in=codes)
        )
    return queryset


def serialise(rows):
    ids = [row["pk"] for row in rows]
    links = Cra.beneficiaries.through.objects.filter(cra_id__in=ids)
    followed = dict(links.values_list("cra_id").annotate(n=Count("pk")))
    place_ids = {row["place_id"] for row in rows if row["place_id"]}
    public = set(Place.objects.public().filter(pk__in=place_ids).values_list("pk", flat=True))
    return [_item(row, followed.get(row["pk"], 0), public) for row in rows]


def _item(row, followed, public_places):
    return {
        "id": row["pk"],
        "date": row["date"],
        "type": row["type"],
        "duree": row["duree"],
        "type_lieu": row["type_lieu"],
        "departement": row["departement"] or None,
        "commune": None if row["type_lieu"] == TypeLieu.DOMICILE else row["commune_id"],
        "structure_id": row["structure_id"],
        "lieu_id": row["place_id"] if row["place_id"] in public_places else None,
        "thematiques": row["thematiques"] or [],
        "materiel": row["materiel"] or [],
        "demarches": row["demarches"] or [],
        "autonomie": row["autonomie"] or None,
        "oriente": row["oriente"],
        "orientation_type": row["orientation_kind"] or None,
        "niveau": row["niveau"] or None,
        "participants": row["participants_anonymes"]
        + followed
        + (1 if row["beneficiary_id"] else 0),
        "importe_v1": row["legacy_id"] is not None,
        "modifie_le": row["updated_at"],
    }


def _values(queryset):
    """Plain values (19 columns and the département), no model instances to build."""
    departement = Coalesce(
        "structure__departement_id", "place__commune__departement_id", "commune__departement_id"
    )
    return queryset.annotate(departement=departement).values(*COLUMNS, "departement")


@router.get(
    "/activites",
    response=responses(PageActivites, 401, 403, 404),
    auth=TokenAuth(Scope.ACTIVITE),
    summary="Comptes rendus d'activité, sans données personnelles",
    operation_id="partenaires_activites",
    url_name="partner_activities",
)
@not_found_as_404
def activities(request, params: Query[ActivityParams]):
    """Comptes rendus d'activité non supprimés, par date puis identifiant croissants, page par
    page (curseur). Filtres : région ou département, période (dates incluses). Portée du jeton :
    « activite ». Un code de territoire inconnu répond 404."""
    check_period(params)
    return cursor.page(_values(records(params)), SALT, params, serialise, date_field="date")
