"""Territory and period filters shared by the partner lists (docs/api.md#filtres).

An unknown code is a 404 with a French sentence, never an empty list: a typing mistake must not
look like a territory without activity.
"""

import datetime
from functools import wraps

from ninja import Field, Schema, Status
from ninja.errors import ValidationError

from cnum.territories.models import Departement, Region

CODE = r"^[0-9AB]{2,3}$"


class TerritoryParams(Schema):
    region: str | None = Field(
        None, pattern=CODE, description="Code INSEE de la région (2 chiffres), par exemple 84."
    )
    departement: str | None = Field(
        None,
        pattern=CODE,
        description="Code du département (2 ou 3 caractères : 69, 2A, 974).",
    )


# The programme began in 2020; anything far outside is a typing mistake.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


class PeriodParams(Schema):
    du: datetime.date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="Premier jour inclus (AAAA-MM-JJ)."
    )
    au: datetime.date | None = Field(
        None, ge=EARLIEST, le=LATEST, description="Dernier jour inclus (AAAA-MM-JJ)."
    )


class NotFound(Exception):
    """Something the request names does not exist: a 404 whose `detail` is this sentence."""


def not_found_as_404(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except NotFound as exc:
            return Status(404, {"detail": str(exc)})

    return wrapper


def departements_of(params):
    """Codes of the départements the filter designates; None: all France."""
    codes = None
    if params.region:
        region = Region.objects.filter(pk=params.region).first()
        if region is None:
            raise NotFound(f"Aucune région ne porte le code « {params.region} ».")
        codes = set(Departement.objects.filter(region=region).values_list("pk", flat=True))
    if params.departement:
        if not Departement.objects.filter(pk=params.departement).exists():
            raise NotFound(f"Aucun département ne porte le code « {params.departement} ».")
        if codes is not None and params.departement not in codes:
            raise NotFound(
                f"Le département « {params.departement} » n'appartient pas à la région "
                f"« {params.region} »."
            )
        codes = {params.departement}
    return None if codes is None else sorted(codes)


def check_period(params):
    if params.du and params.au and params.du > params.au:
        raise ValidationError(
            [
                {
                    "loc": ["query", "au"],
                    "msg": "La fin de la période doit suivre son début.",
                    "type": "value_error",
                }
            ]
        )
