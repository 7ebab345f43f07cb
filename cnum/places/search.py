"""The public search of places: a commune or a postal code, filters, a page number."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cnum.places.enums import (
    Frais,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
    standard_choices,
)
from cnum.places.services import Origin, PlaceFilters
from cnum.territories.forms import CommuneField
from cnum.territories.models import Commune
from cnum.territories.services import parse_postal_code

MAX_PAGE = 50


class OriginField(CommuneField):
    """A commune (as CommuneField), or a postal code: the centre of the communes it serves."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Commune ou code postal")
        kwargs.setdefault("help_text", "Par exemple Lyon, 69003 ou Saint-Denis (974)")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, Origin):
            return value
        code = parse_postal_code(value or "")
        if code:
            communes = list(
                Commune.objects.filter(postal_codes__code=code).only(
                    "latitude", "longitude", "parent"
                )
            )
            # « 69001 » means Lyon 1er rather than Lyon: keep the most precise communes.
            parents = {c.parent_id for c in communes if c.parent_id}
            communes = [c for c in communes if c.pk not in parents]
            if not communes:
                raise ValidationError(f"Aucune commune n'a le code postal {code}.", code="commune")
            if len(communes) == 1:
                return Origin.of(
                    Commune.objects.select_related("departement").get(pk=communes[0].pk)
                )
            lat = sum(c.latitude for c in communes) / len(communes)
            lon = sum(c.longitude for c in communes) / len(communes)
            return Origin(f"code postal {code}", lat, lon)
        commune = super().to_python(value)
        return Origin.of(commune) if commune is not None else None

    def prepare_value(self, value):
        if isinstance(value, Origin):
            return value.commune.libelle if value.commune else value.label
        return super().prepare_value(value)


def _multiple(label, enum):
    return forms.MultipleChoiceField(
        label=label,
        choices=standard_choices(enum),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PlaceSearchForm(forms.Form):
    q = OriginField()
    services = _multiple("Services", Service)
    publics = _multiple("Publics", Public)
    prise_en_charge = _multiple("Prise en charge spécifique", PriseEnCharge)
    frais = _multiple("Frais", Frais)
    modalites = _multiple("Modalités d'accompagnement", ModaliteAccompagnement)
    ouvert = forms.BooleanField(label="Ouvert maintenant", required=False)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={"max_value": f"Au-delà de la page {MAX_PAGE}, précisez la recherche."},
    )

    FILTERS = ("services", "publics", "prise_en_charge", "frais", "modalites")

    def place_filters(self, now=None):
        data = self.cleaned_data
        return PlaceFilters(
            **{name: frozenset(data.get(name) or ()) for name in self.FILTERS},
            open_at=(now or timezone.now()) if data.get("ouvert") else None,
        )

    def active_filter_count(self):
        data = self.cleaned_data
        return sum(len(data.get(name) or ()) for name in self.FILTERS) + bool(data.get("ouvert"))
