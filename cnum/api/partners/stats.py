"""Activity statistics for partners, from the rollups (docs/api.md#statistiques,
docs/statistiques.md#lecture): France, a région, a département or a structure.

Served by `activity_figures`, never by reading the records: one aggregate query by need over
the rollup rows. No figure per conseiller (it would describe one person's work), and the top
places are left out (the map and its open data describe places).
"""

import datetime

from ninja import Field, Query, Router, Schema

from cnum.activity.enums import CraType
from cnum.api.auth import TokenAuth
from cnum.api.models import Scope
from cnum.api.partners.filters import (
    NotFound,
    PeriodParams,
    TerritoryParams,
    check_period,
    departements_of,
    not_found_as_404,
)
from cnum.core.api_errors import responses
from cnum.stats.measures import TOTALS
from cnum.stats.queries import ActivityFilter, activity_figures
from cnum.structures.enums import Status
from cnum.structures.models import Structure

router = Router(tags=["partenaires : statistiques"])


class StatsParams(TerritoryParams, PeriodParams):
    structure: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="Identifiant d'une structure validée (voir /partenaires/structures).",
    )
    type: CraType | None = Field(None, description="Seulement les CRA individuels ou collectifs.")


class Total(Schema):
    code: str
    libelle: str
    unite: str = Field(description="« records » (CRA), « participants » ou « minutes ».")
    valeur: int


class Valeur(Schema):
    code: str
    libelle: str
    valeur: int


class Repartition(Schema):
    code: str
    libelle: str
    unite: str
    partition: bool = Field(description="Vrai si chaque unité a exactement une valeur.")
    valeurs: list[Valeur]


class Mois(Schema):
    mois: datetime.date = Field(description="Premier jour du mois.")
    valeurs: dict[str, int] = Field(description="Les totaux du mois, par code.")


class Commune(Schema):
    code_insee: str
    nom: str
    accompagnements: int


class Statistiques(Schema):
    du: datetime.date | None = Field(
        description="Premier mois compté (les chiffres sont mensuels)."
    )
    au: datetime.date | None = Field(description="Dernier mois compté.")
    departements: list[str] | None = Field(description="Départements couverts ; null : la France.")
    structure: int | None
    totaux: list[Total]
    repartitions: list[Repartition]
    par_mois: list[Mois]
    conseillers_actifs: int | None
    communes_principales: list[Commune] | None
    beneficiaires_nouveaux: int | None = Field(description="Bénéficiaires suivis inscrits.")


def activity_filter(params):
    codes = departements_of(params)
    structure_ids = None
    if params.structure is not None:
        if not Structure.objects.filter(
            pk=params.structure, status=Status.VALIDATION_COSELEC
        ).exists():
            raise NotFound(f"Aucune structure validée ne porte l'identifiant {params.structure}.")
        structure_ids = (params.structure,)
    return ActivityFilter(
        start=params.du,
        end=params.au,
        departements=None if codes is None else tuple(codes),
        structure_ids=structure_ids,
        type=params.type,
    )


def as_document(f, figures):
    return {
        "du": f.start,
        "au": f.end,
        "departements": None if f.departements is None else list(f.departements),
        "structure": f.structure_ids[0] if f.structure_ids else None,
        "totaux": [
            {"code": code, "libelle": label, "unite": unit, "valeur": figures.totals[code]}
            for code, (label, unit) in TOTALS.items()
        ],
        "repartitions": [
            {
                "code": b.prefix,
                "libelle": b.label,
                "unite": b.unit,
                "partition": b.partition,
                "valeurs": [{"code": v, "libelle": lab, "valeur": n} for v, lab, n in values],
            }
            for b, values in figures.breakdowns
        ],
        "par_mois": [{"mois": month, "valeurs": sums} for month, sums in figures.by_month],
        "conseillers_actifs": figures.conseillers_actifs,
        "communes_principales": None
        if figures.top_communes is None
        else [
            {"code_insee": code, "nom": name, "accompagnements": total}
            for code, name, total in figures.top_communes
        ],
        "beneficiaires_nouveaux": figures.beneficiaires_nouveaux,
    }


@router.get(
    "/statistiques",
    response=responses(Statistiques, 401, 403, 404),
    auth=TokenAuth(Scope.STATISTIQUES),
    summary="Statistiques d'activité d'un territoire ou d'une structure",
    operation_id="partenaires_statistiques",
    url_name="partner_stats",
)
@not_found_as_404
def statistics(request, params: Query[StatsParams]):
    """Chiffres d'activité de la France entière, d'une région, d'un département ou d'une
    structure validée, sur une période (mois entiers : un jour vaut son mois). Tirés des
    agrégats mensuels ; pas de chiffres par conseiller. Portée du jeton : « statistiques »."""
    check_period(params)
    f = activity_filter(params)
    return as_document(f, activity_figures(f))
