"""Open data: the places in the national standard (schéma des lieux de médiation numérique),
public, streamed as JSON or CSV."""

from django.http import StreamingHttpResponse
from ninja import Field, Router, Schema

from cnum.core.api_errors import responses
from cnum.places import export

router = Router(tags=["lieux de médiation numérique"])
CACHE_CONTROL = "public, max-age=600"


class LieuMediationNumerique(Schema):
    """Un lieu au format du schéma national ; les champs vides sont omis, les listes sont
    jointes par « | »."""

    id: str
    pivot: str = Field(description="SIRET (14 chiffres) ou RNA (W suivi de 9 chiffres).")
    nom: str
    adresse: str
    complement_adresse: str | None = None
    code_postal: str
    code_insee: str | None = None
    commune: str
    latitude: float | None = None
    longitude: float | None = None
    telephone: str | None = None
    courriels: str | None = None
    site_web: str | None = None
    horaires: str | None = Field(None, description="Format OpenStreetMap opening_hours.")
    presentation_resume: str | None = None
    presentation_detail: str | None = None
    typologie: str | None = None
    structure_parente: str | None = None
    date_maj: str = Field(description="Date de dernière mise à jour (AAAA-MM-JJ).")
    source: str | None = None
    services: str | None = None
    publics_specifiquement_adresses: str | None = None
    prise_en_charge_specifique: str | None = None
    frais_a_charge: str | None = None
    modalites_acces: str | None = None
    modalites_accompagnement: str | None = None
    itinerance: str | None = None
    dispositif_programmes_nationaux: str | None = None
    formations_labels: str | None = None
    autres_formations_labels: str | None = None
    fiche_acces_libre: str | None = None
    prise_rdv: str | None = None


def _streamed(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


@router.get(
    "/lieux-mediation-numerique",
    response=responses(list[LieuMediationNumerique]),
    auth=None,
    summary="Lieux de médiation numérique (JSON)",
    operation_id="lieux_mediation_numerique_json",
    url_name="lieux_json",
)
def places_json(request):
    """Tous les lieux publics (structure validée par le comité de sélection ou lieu approuvé
    par l'administration), au format du schéma national des lieux de médiation numérique."""
    return _streamed(
        export.json_chunks(), "application/json; charset=utf-8", "lieux-mediation-numerique.json"
    )


@router.get(
    "/lieux-mediation-numerique.csv",
    response=responses(str),
    auth=None,
    summary="Lieux de médiation numérique (CSV)",
    operation_id="lieux_mediation_numerique_csv",
    url_name="lieux_csv",
    openapi_extra={
        "responses": {
            200: {"description": "CSV (UTF-8, séparateur virgule)", "content": {"text/csv": {}}}
        }
    },
)
def places_csv(request):
    """Les mêmes lieux en CSV (UTF-8) : une colonne par champ, listes jointes par « | » ; un
    texte commençant par =, +, - ou @ est précédé d'une apostrophe (hors téléphone)."""
    return _streamed(
        export.csv_chunks(), "text/csv; charset=utf-8", "lieux-mediation-numerique.csv"
    )
