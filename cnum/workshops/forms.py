"""Forms of workshops: scheduling (conseiller), public search and registration."""

import datetime

from django import forms
from django.utils import timezone

from cnum.core import forms as core_forms
from cnum.core.dates import add_years
from cnum.places.search import OriginField
from cnum.workshops.enums import Niveau, Recurrence, Thematique
from cnum.workshops.models import MAX_CAPACITY, MAX_DURATION, MIN_DURATION
from cnum.workshops.services import MAX_OCCURRENCES, SEARCH_RADII_KM

NO_RECURRENCE = ""
# Workshops are scheduled at most this far ahead (a later date is a typing mistake).
MAX_YEARS_AHEAD = 2


class PlaceChoiceField(core_forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom} — {obj.commune.nom}"


class WorkshopForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    thematiques = forms.MultipleChoiceField(
        label="Thématiques",
        choices=Thematique.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une thématique."},
    )
    niveau = forms.ChoiceField(label="Niveau", choices=Niveau.choices, widget=forms.RadioSelect)
    place = PlaceChoiceField(
        label="Lieu",
        queryset=None,
        required=False,
        empty_label="— Choisir un lieu —",
        help_text="Laissez vide pour un atelier à distance.",
    )
    remote = forms.BooleanField(label="Atelier à distance", required=False)
    date = forms.DateField(
        label="Date",
        help_text="Format : jj/mm/aaaa",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label="Heure de début",
        help_text="Format : hh:mm",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration = forms.IntegerField(
        label="Durée (minutes)", min_value=MIN_DURATION, max_value=MAX_DURATION, initial=90
    )
    capacity = forms.IntegerField(
        label="Nombre de places", min_value=1, max_value=MAX_CAPACITY, initial=10
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places.select_related("commune").order_by("nom", "pk")

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > add_years(timezone.localdate(), MAX_YEARS_AHEAD):
            raise forms.ValidationError(
                f"Choisissez une date dans les {MAX_YEARS_AHEAD} ans à venir : vérifiez l'année."
            )
        return day

    def clean(self):
        data = super().clean()
        remote, place = data.get("remote"), data.get("place")
        if remote and place:
            self.add_error("place", "Un atelier à distance n'a pas de lieu : retirez le lieu.")
        elif not remote and not place and "place" not in self.errors:
            self.add_error("place", "Choisissez un lieu, ou cochez « Atelier à distance ».")
        if data.get("date") and data.get("time"):
            starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if starts_at <= timezone.now():
                self.add_error("date", "Choisissez une date et une heure à venir.")
            data["starts_at"] = starts_at
        return data

    @classmethod
    def initial_for(cls, workshop):
        local = timezone.localtime(workshop.starts_at)
        return {
            "title": workshop.title,
            "thematiques": workshop.thematiques,
            "niveau": workshop.niveau,
            "place": workshop.place_id,
            "remote": workshop.remote,
            "date": local.date(),
            "time": local.time(),
            "duration": workshop.duration,
            "capacity": workshop.capacity,
            "description": workshop.description,
        }


class NewWorkshopForm(WorkshopForm):
    """Scheduling also offers a recurring series."""

    recurrence = forms.ChoiceField(
        label="Récurrence",
        choices=[(NO_RECURRENCE, "Atelier unique"), *Recurrence.choices],
        required=False,
        widget=forms.RadioSelect,
        initial=NO_RECURRENCE,
    )
    occurrences = forms.IntegerField(
        label="Nombre de séances de la série",
        min_value=2,
        max_value=MAX_OCCURRENCES,
        required=False,
        help_text=f"De 2 à {MAX_OCCURRENCES}, pour une série seulement.",
    )

    def clean(self):
        data = super().clean()
        if data.get("recurrence") and not data.get("occurrences"):
            self.add_error("occurrences", "Indiquez le nombre de séances de la série.")
        return data


class WorkshopSearchForm(forms.Form):
    q = OriginField()
    rayon = forms.TypedChoiceField(
        label="Distance maximale",
        choices=[(r, f"{r} km") for r in SEARCH_RADII_KM],
        coerce=int,
        required=False,
        empty_value=20,
        initial=20,
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=50, widget=forms.HiddenInput)


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Nom et prénom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Vous y recevrez le lien pour confirmer votre inscription, puis le rappel.",
        error_messages={
            "required": "Indiquez votre adresse électronique : elle sert à confirmer l'inscription."
        },
    )
    phone = forms.RegexField(
        label="Téléphone (facultatif)",
        required=False,
        max_length=25,
        regex=r"^\+?[0-9 .\-]{10,20}$",
        error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."},
    )
