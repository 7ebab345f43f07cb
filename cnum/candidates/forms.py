"""Candidate forms: every rule of docs/domaine.md#candidats checked on the server, messages in
French."""

import re

from django import forms
from django.core.exceptions import ValidationError

from cnum.accounts.forms import NewAccountFields
from cnum.candidates.cv import CV_MAX_BYTES
from cnum.candidates.models import (
    MAX_DISTANCE_CHOICES,
    MOTIVATION_MAX_LENGTH,
    SITUATION_FIELDS,
    PixLevel,
    Situation,
)
from cnum.candidates.services import PROFILE_FIELDS, today
from cnum.territories.forms import CommuneField

PHONE = re.compile(
    r"0[1-9][0-9]{8}|\+33[1-9][0-9]{8}|\+(?:262|269|590|594|596|508|681|687|689)[0-9]{6,9}"
)


def normalise_phone(text):
    return re.sub(r"[\s.\-()]", "", text or "")


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label="Téléphone",
        max_length=30,
        help_text="Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    commune = CommuneField(label="Commune de résidence")
    situations = forms.MultipleChoiceField(
        label="Votre situation",
        help_text="Cochez tout ce qui vous correspond (au moins une case).",
        choices=Situation.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une situation.",
            "invalid_choice": "Choisissez parmi les situations proposées.",
        },
    )
    diploma_name = forms.CharField(
        label="Nom du diplôme de médiation numérique",
        help_text="Obligatoire si vous êtes diplômé de la médiation numérique.",
        max_length=255,
        required=False,
    )
    availability_date = forms.DateField(
        label="Disponible à partir du",
        help_text="Format attendu : JJ/MM/AAAA",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez votre date de disponibilité.",
            "invalid": "Saisissez une date valide, par exemple 15/09/2026.",
        },
    )
    max_distance_km = forms.TypedChoiceField(
        label="Distance maximale entre votre domicile et votre lieu de travail",
        choices=MAX_DISTANCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une distance maximale.",
            "invalid_choice": "Choisissez l'une des distances proposées.",
        },
    )
    motivation = forms.CharField(
        label="Votre motivation",
        help_text=f"{MOTIVATION_MAX_LENGTH} caractères au maximum.",
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MOTIVATION_MAX_LENGTH}),
        error_messages={
            "required": "Expliquez en quelques lignes votre motivation.",
            "max_length": f"Votre motivation ne doit pas dépasser {MOTIVATION_MAX_LENGTH} "
            "caractères (elle en compte %(show_value)d).",
        },
    )
    is_former_conseiller = forms.BooleanField(
        label="J'ai déjà été conseiller numérique", required=False
    )

    def __init__(self, *args, profile=None, **kwargs):
        if profile is not None:
            initial = {field: getattr(profile, field) for field in PROFILE_FIELDS}
            initial["situations"] = profile.situations
            # A past date means "available now": offer today rather than refuse the form.
            initial["availability_date"] = max(profile.availability_date, today())
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not PHONE.fullmatch(phone):
            raise ValidationError(
                "Saisissez un numéro de téléphone français valide, par exemple 06 12 34 56 78."
            )
        return phone

    def clean_availability_date(self):
        day = self.cleaned_data["availability_date"]
        if day < today():
            raise ValidationError("La date de disponibilité ne peut pas être passée.")
        return day

    def clean(self):
        data = super().clean()
        situations = set(data.get("situations") or [])
        data["diploma_name"] = (data.get("diploma_name") or "").strip()
        if Situation.DIPLOME in situations and not data["diploma_name"]:
            self.add_error("diploma_name", "Indiquez le nom de votre diplôme.")
        if Situation.DIPLOME not in situations:
            data["diploma_name"] = ""
        for situation, field in SITUATION_FIELDS.items():
            data[field] = situation in situations
        return data

    def profile_data(self):
        return {field: self.cleaned_data[field] for field in PROFILE_FIELDS}


class ApplicationForm(NewAccountFields, ProfileForm):
    accept_terms = forms.BooleanField(
        label=(
            "J'accepte les conditions générales d'utilisation et le traitement de mes données "
            "personnelles"
        ),
        error_messages={"required": "Vous devez accepter les conditions pour candidater."},
    )
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def clean(self):
        data = super().clean()
        self.validate_new_password()
        return data


class AvailabilityForm(forms.Form):
    available = forms.TypedChoiceField(
        choices=[("1", "Disponible"), ("0", "Indisponible")],
        coerce=lambda value: value == "1",
        error_messages={"invalid_choice": "Choix invalide.", "required": "Choix invalide."},
    )


class PixForm(forms.Form):
    pix_level = forms.TypedChoiceField(
        label="Niveau Pix",
        choices=[("", "Non renseigné"), *PixLevel.choices],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choisissez un niveau entre 1 et 3."},
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        for n, label in (
            (1, "Compétence 1 — informations et données"),
            (2, "Compétence 2 — communication et collaboration"),
            (3, "Compétence 3 — création de contenu"),
        ):
            self.fields[f"pix_score_{n}"] = forms.IntegerField(
                label=label,
                help_text="Score de 0 à 100, facultatif.",
                required=False,
                min_value=0,
                max_value=100,
                error_messages={
                    "invalid": "Saisissez un nombre entier entre 0 et 100.",
                    "min_value": "Le score ne peut pas être inférieur à 0.",
                    "max_value": "Le score ne peut pas dépasser 100.",
                },
            )
        if profile is not None:
            self.initial = {name: getattr(profile, name) for name in self.fields}


class CvForm(forms.Form):
    cv = forms.FileField(
        label="Votre CV",
        help_text="Au format PDF, 5 Mo au maximum.",
        error_messages={
            "required": "Choisissez un fichier PDF.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n'a pas pu être lu : réessayez.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_cv(self):
        upload = self.cleaned_data["cv"]
        # Size checked before reading the file into memory.
        if upload.size > CV_MAX_BYTES:
            raise ValidationError("Le fichier dépasse 5 Mo : réduisez sa taille.")
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe",
        help_text="Pour confirmer qu'il s'agit bien de vous.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Mot de passe incorrect.")
        return password


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        help_text="Nom, prénom, adresse électronique ou commune",
        required=False,
        max_length=100,
    )
    departement = forms.CharField(label="Département", required=False, max_length=3)
    disponible = forms.TypedChoiceField(
        label="Disponibilité",
        choices=[("", "Tous"), ("oui", "Disponibles"), ("non", "Indisponibles")],
        required=False,
    )
    situation = forms.ChoiceField(
        label="Situation", choices=[("", "Toutes"), *Situation.choices], required=False
    )

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"] = forms.ChoiceField(
            label="Département",
            choices=[("", "Tous"), *((d.code, str(d)) for d in departements)],
            required=False,
        )
