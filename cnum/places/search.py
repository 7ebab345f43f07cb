"""The public search of places: a commune or a postal code, filters, a page number."""

import dataclasses
from urllib.parse import urlencode

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
from cnum.places.hours import DAY_NAMES
from cnum.places.services import Origin, PlaceFilters
from cnum.territories.forms import CommuneField
from cnum.territories.models import Commune, Departement
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


# --- Guided search: need, place, time, accessibility ---------------------------------------------

WHEN_ANY, WHEN_NOW, WHEN_DAY = "", "maintenant", "jour"


class GuidedSearchForm(PlaceSearchForm):
    """The same search in four steps, for the public; each step is a fieldset of one form."""

    quand = forms.ChoiceField(
        label="Quand ?",
        required=False,
        choices=[
            (WHEN_ANY, "Peu importe"),
            (WHEN_NOW, "Ouvert maintenant"),
            (WHEN_DAY, "Ouvert un jour précis"),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez quand vous souhaitez vous y rendre."},
    )
    jour = forms.TypedChoiceField(
        label="Jour",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Choisir un jour")] + list(enumerate(DAY_NAMES)),
        error_messages={"invalid_choice": "Choisissez un jour de la semaine."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].label = "De quoi avez-vous besoin ?"
        self.fields["q"].label = "Où ? Commune ou code postal"
        self.fields["prise_en_charge"].label = "Accessibilité et accueil adapté"
        self.fields["quand"].initial = WHEN_ANY
        del self.fields["ouvert"]  # « Quand ? » says it, with more choices

    def clean(self):
        data = super().clean()
        if data.get("quand") == WHEN_DAY and data.get("jour") is None:
            self.add_error("jour", "Choisissez le jour où vous souhaitez vous y rendre.")
        return data

    def place_filters(self, now=None):
        when = self.cleaned_data.get("quand")
        return dataclasses.replace(
            super().place_filters(now),
            open_at=(now or timezone.now()) if when == WHEN_NOW else None,
            open_day=self.cleaned_data.get("jour") if when == WHEN_DAY else None,
        )

    def active_filter_count(self):
        data = self.cleaned_data
        return sum(len(data.get(name) or ()) for name in self.FILTERS) + bool(data.get("quand"))


# --- The embeddable map's pre-filters -------------------------------------------------------------


class EmbedForm(forms.Form):
    """Pre-filters a partner puts in the iframe's address; the visitor may then search."""

    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        required=False,
        to_field_name="code",
        empty_label="Toute la France",
        error_messages={"invalid_choice": "Ce département n'existe pas."},
    )
    commune = CommuneField(
        label="Commune",
        required=False,
        help_text="Nom, code postal ou code INSEE ; laissez vide pour tout le département",
    )
    service = forms.ChoiceField(
        label="Service",
        required=False,
        choices=[("", "Tous les services"), *standard_choices(Service)],
        error_messages={"invalid_choice": "Ce service n'existe pas dans le schéma national."},
    )
    q = OriginField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    PRE_FILTERS = ("departement", "commune", "service")

    def filters(self):
        service = self.cleaned_data.get("service")
        return PlaceFilters(services=frozenset([service]) if service else frozenset())

    def territory_label(self):
        data = self.cleaned_data
        place = data.get("commune") or data.get("departement")
        return place.libelle if hasattr(place, "libelle") else str(place or "")

    def query_string(self):
        """The pre-filters as the iframe's query string (INSEE codes, service label)."""
        data = self.cleaned_data
        values = {
            "departement": data["departement"].code if data.get("departement") else "",
            "commune": data["commune"].code_insee if data.get("commune") else "",
            "service": data.get("service") or "",
        }
        return urlencode({key: value for key, value in values.items() if value})
