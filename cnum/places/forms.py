"""The place form (every field of the national standard, hours entered per day) and the
conseiller's choice of places."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cnum.core import forms as core_forms
from cnum.places import hours as osm_hours
from cnum.places import validators
from cnum.places.enums import (
    TYPOLOGIE_CHOICES,
    Dispositif,
    FormationLabel,
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Public,
    Service,
    standard_choices,
)
from cnum.places.models import Place
from cnum.territories.forms import CommuneField
from cnum.territories.services import distance_km

MAX_PIN_DISTANCE_KM = 30  # commune centres are approximate for some communes
SLOT_LABELS = (("matin", "Matin"), ("apres_midi", "Après-midi"))
LIST_FIELDS = {
    "services": Service,
    "publics_specifiquement_adresses": Public,
    "prise_en_charge_specifique": PriseEnCharge,
    "frais_a_charge": Frais,
    "modalites_acces": ModaliteAcces,
    "modalites_accompagnement": ModaliteAccompagnement,
    "itinerance": Itinerance,
    "dispositif_programmes_nationaux": Dispositif,
    "formations_labels": FormationLabel,
}
LIST_LABELS = {
    "services": "Services proposés",
    "publics_specifiquement_adresses": "Publics spécifiquement accueillis",
    "prise_en_charge_specifique": "Prise en charge spécifique",
    "frais_a_charge": "Frais à la charge du public",
    "modalites_acces": "Comment accéder au service",
    "modalites_accompagnement": "Modalités d'accompagnement",
    "itinerance": "Itinérance",
    "dispositif_programmes_nationaux": "Dispositifs et programmes nationaux",
    "formations_labels": "Formations et labels",
}
_SPLIT = re.compile(r"[\s,;]+")


def _time_field():
    return forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "fr-input"}, format="%H:%M"),
        error_messages={"invalid": "Indiquez une heure au format HH:MM."},
    )


def _minutes(value, *, end=False):
    minutes = value.hour * 60 + value.minute
    return osm_hours.END_OF_DAY if end and minutes == 0 else minutes


def _as_time(minutes):
    return (
        datetime.time(0, 0)
        if minutes >= osm_hours.END_OF_DAY
        else datetime.time(*divmod(minutes, 60))
    )


class PlaceForm(forms.Form):
    structure = core_forms.ModelChoiceField(
        label="Structure",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez une de vos structures."},
    )
    nom = forms.CharField(
        label="Nom du lieu", max_length=200, validators=[validators.validate_no_formula]
    )
    pivot = forms.CharField(
        label="SIRET ou numéro RNA", max_length=20, help_text="Celui du lieu ou de sa structure"
    )
    adresse = forms.CharField(
        label="Adresse",
        max_length=255,
        help_text="Numéro et voie, par exemple 12 rue de la Paix",
        validators=[validators.validate_no_formula, validators.validate_address],
    )
    complement_adresse = forms.CharField(
        label="Complément d'adresse",
        max_length=255,
        required=False,
        validators=[validators.validate_no_formula, validators.validate_address],
    )
    commune = CommuneField()
    code_postal = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        help_text="Laissé vide : le code postal de la commune",
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        help_text="Laissée vide : le centre de la commune ; déplacez le repère sur la carte",
    )
    longitude = forms.FloatField(label="Longitude", required=False, min_value=-180, max_value=180)
    telephone = forms.CharField(
        label="Téléphone", max_length=25, required=False, validators=[validators.validate_telephone]
    )
    courriels = forms.CharField(
        label="Adresses électroniques",
        max_length=500,
        required=False,
        help_text="Séparées par des virgules",
    )
    site_web = forms.CharField(
        label="Site internet", max_length=500, required=False, validators=[validators.validate_url]
    )
    presentation_resume = forms.CharField(
        label="Présentation courte",
        max_length=280,
        required=False,
        help_text="280 caractères au plus",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validators.validate_no_formula],
    )
    presentation_detail = forms.CharField(
        label="Présentation détaillée",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validators.validate_no_formula],
    )
    typologie = forms.ChoiceField(
        label="Type de lieu", required=False, choices=[("", "Non précisé"), *TYPOLOGIE_CHOICES]
    )
    autres_formations_labels = forms.CharField(
        label="Autres formations et labels",
        max_length=1000,
        required=False,
        help_text="Un par ligne",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fiche_acces_libre = forms.CharField(
        label="Fiche Accès libre (accessibilité)",
        max_length=500,
        required=False,
        validators=[validators.validate_url],
    )
    prise_rdv = forms.CharField(
        label="Prise de rendez-vous en ligne",
        max_length=500,
        required=False,
        validators=[validators.validate_url],
    )
    ferme_jours_feries = forms.BooleanField(label="Fermé les jours fériés", required=False)
    horaires_osm = forms.CharField(
        label="Ou horaires au format OpenStreetMap",
        max_length=500,
        required=False,
        help_text=f"Par exemple « {osm_hours.EXAMPLE} » ; laissez vide pour utiliser le tableau",
    )

    def __init__(self, *args, structures, place=None, **kwargs):
        self.place = place
        if place is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial(place)
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        if place is not None:
            self.fields["structure"].disabled = True
        for name, enum in LIST_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=LIST_LABELS[name],
                choices=standard_choices(enum),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for code in osm_hours.DAYS:
            for slot, _ in SLOT_LABELS:
                for bound in ("debut", "fin"):
                    self.fields[f"{code.lower()}_{slot}_{bound}"] = _time_field()

    # --- initial values from a place ---

    @staticmethod
    def _initial(place):
        initial = {
            name: getattr(place, name)
            for name in (
                "nom",
                "pivot",
                "adresse",
                "complement_adresse",
                "code_postal",
                "latitude",
                "longitude",
                "telephone",
                "site_web",
                "presentation_resume",
                "presentation_detail",
                "fiche_acces_libre",
                "prise_rdv",
                *LIST_FIELDS,
            )
        }
        initial.update(
            structure=place.structure_id,
            commune=place.commune,
            courriels=", ".join(place.courriels),
            typologie=(place.typologie or [""])[0],
            autres_formations_labels="\n".join(place.autres_formations_labels),
        )
        hours = place.opening_hours
        slots = osm_hours.to_day_slots(hours)
        if slots is None:
            initial["horaires_osm"] = place.horaires
            return initial
        initial["ferme_jours_feries"] = hours.ph_off
        for code, intervals in zip(osm_hours.DAYS, slots, strict=True):
            if len(intervals) == 1 and intervals[0][0] >= 12 * 60:
                intervals = [None, intervals[0]]  # a single afternoon slot stays one
            for (slot, _), interval in zip(SLOT_LABELS, intervals, strict=False):
                if interval:
                    initial[f"{code.lower()}_{slot}_debut"] = _as_time(interval[0])
                    initial[f"{code.lower()}_{slot}_fin"] = _as_time(interval[1])
        return initial

    def day_rows(self):
        """[(day name, [(slot label, start field, end field)])] for the template."""
        rows = []
        for day, code in enumerate(osm_hours.DAYS):
            slots = [
                (label, self[f"{code.lower()}_{slot}_debut"], self[f"{code.lower()}_{slot}_fin"])
                for slot, label in SLOT_LABELS
            ]
            rows.append((osm_hours.DAY_NAMES[day], slots))
        return rows

    # --- cleaning ---

    def clean_pivot(self):
        return validators.validate_pivot(self.cleaned_data["pivot"])

    def clean_courriels(self):
        found = [mail for mail in _SPLIT.split(self.cleaned_data["courriels"]) if mail]
        if len(found) > 5:
            raise ValidationError("Indiquez au plus 5 adresses électroniques.")
        for mail in found:
            validators.validate_courriel(mail)
            validate_email(mail)
        return list(dict.fromkeys(found))

    def clean_autres_formations_labels(self):
        lines = [
            line.strip() for line in self.cleaned_data["autres_formations_labels"].splitlines()
        ]
        if any("|" in line for line in lines):
            raise ValidationError("Le caractère « | » n'est pas autorisé.")
        for line in lines:
            validators.validate_no_formula(line)
        return list(dict.fromkeys(line for line in lines if line))

    def _clean_slots(self):
        slots = []
        for day, code in enumerate(osm_hours.DAYS):
            intervals = []
            for slot, label in SLOT_LABELS:
                start_name, end_name = f"{code.lower()}_{slot}_debut", f"{code.lower()}_{slot}_fin"
                start, end = self.cleaned_data.get(start_name), self.cleaned_data.get(end_name)
                if (start is None) != (end is None):
                    missing = end_name if end is None else start_name
                    self.add_error(
                        missing,
                        f"{osm_hours.DAY_NAMES[day]} ({label.lower()}) : indiquez l'heure "
                        "d'ouverture et l'heure de fermeture.",
                    )
                elif start is not None:
                    intervals.append((_minutes(start), _minutes(end, end=True)))
            slots.append(intervals)
        return slots

    def _clean_hours(self):
        slots = self._clean_slots()
        osm_text = self.cleaned_data.get("horaires_osm", "").strip()
        try:
            grid = osm_hours.from_day_slots(slots, self.cleaned_data.get("ferme_jours_feries"))
        except osm_hours.HoursError as error:
            self.add_error(None, error.message)
            return None
        if not osm_text:
            return osm_hours.render(grid)
        try:
            parsed = osm_hours.parse(osm_text)
        except osm_hours.HoursError as error:
            self.add_error("horaires_osm", error.message)
            return None
        if any(grid.days) and grid.days != parsed.days:
            self.add_error(
                "horaires_osm",
                "Remplissez soit le tableau des horaires, soit le champ OpenStreetMap, "
                "pas les deux.",
            )
            return None
        return osm_hours.render(parsed)

    def _clean_location(self, commune):
        codes = commune.codes_postaux or []
        code = self.cleaned_data.get("code_postal", "").strip()
        if not code:
            if not codes:
                self.add_error("code_postal", "Indiquez le code postal du lieu.")
            self.cleaned_data["code_postal"] = codes[0] if codes else ""
        elif code not in codes:
            self.add_error(
                "code_postal",
                f"{commune.nom} a pour code postal : {', '.join(codes) or 'aucun'}.",
            )
        lat, lon = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        if lat is None or lon is None:
            self.cleaned_data["latitude"], self.cleaned_data["longitude"] = (
                commune.latitude,
                commune.longitude,
            )
            return
        distance = distance_km((lat, lon), (commune.latitude, commune.longitude))
        if distance > MAX_PIN_DISTANCE_KM:
            self.add_error(
                "latitude",
                f"Le repère est à {distance:.0f} km de {commune.nom} : placez-le dans la commune "
                "ou à proximité.",
            )

    def clean(self):
        cleaned = super().clean()
        for name, enum in LIST_FIELDS.items():
            chosen = set(cleaned.get(name) or [])
            cleaned[name] = [value for value in enum.values if value in chosen]
        if cleaned.get("commune") is not None:
            self._clean_location(cleaned["commune"])
        cleaned["horaires"] = self._clean_hours()
        return cleaned

    def apply_to(self, place):
        data = self.cleaned_data
        if place.pk is None:
            place.structure = data["structure"]
        for name in (
            "nom",
            "pivot",
            "adresse",
            "complement_adresse",
            "commune",
            "code_postal",
            "telephone",
            "courriels",
            "site_web",
            "horaires",
            "presentation_resume",
            "presentation_detail",
            "fiche_acces_libre",
            "prise_rdv",
            "autres_formations_labels",
            *LIST_FIELDS,
        ):
            setattr(place, name, data[name])
        place.latitude = round(data["latitude"], 6)
        place.longitude = round(data["longitude"], 6)
        place.typologie = [data["typologie"]] if data["typologie"] else []
        return place


class ConseillerPlacesForm(forms.Form):
    """A conseiller's main place and secondary places, among their structures' places."""

    main = core_forms.ModelChoiceField(
        label="Lieu principal",
        queryset=Place.objects.none(),
        required=False,
        empty_label="Aucun",
        widget=forms.RadioSelect,
    )
    secondary = core_forms.ModelMultipleChoiceField(
        label="Lieux secondaires",
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["main"].queryset = places
        self.fields["secondary"].queryset = places


class ModerationForm(forms.Form):
    """The administration's decision on a place; a refusal says why (the managers read it)."""

    decision = forms.ChoiceField(
        choices=[("approuver", "Approuver"), ("refuser", "Refuser")],
        error_messages={
            "required": "Choisissez d'approuver ou de refuser le lieu.",
            "invalid_choice": "Choisissez d'approuver ou de refuser le lieu.",
        },
    )
    reason = forms.CharField(
        label="Motif (obligatoire pour refuser, transmis à la structure)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def approve(self):
        return self.cleaned_data["decision"] == "approuver"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuser" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Expliquez le refus en quelques mots : la structure le lira.")
        return cleaned
