"""Forms of the public side of a place page and the conseiller's « Apparaître sur la carte »."""

from django import forms
from django.core.exceptions import ValidationError

from cnum.places import validators
from cnum.places.models import ReportKind

NOTE_MAX = 500
DETAILS_MAX = 2000
EMAIL_ERRORS = {
    "required": "Indiquez l'adresse électronique du destinataire.",
    "invalid": "Indiquez une adresse électronique valide, par exemple nom@exemple.fr.",
}


class TrapMixin(forms.Form):
    """A field people never see (hidden by the stylesheet, skipped by keyboard and screen
    readers) but form-filling robots do: a filled one marks the submission as spam."""

    site_internet = forms.CharField(required=False, label="Ne pas remplir ce champ")

    @property
    def is_spam(self):
        return bool(self.data.get("site_internet", "").strip())


class SheetForm(TrapMixin):
    email = forms.EmailField(
        label="Adresse électronique du destinataire",
        help_text="Par exemple la personne que vous orientez vers ce lieu",
        error_messages=EMAIL_ERRORS,
    )
    note = forms.CharField(
        label="Message joint",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Le message fait au plus {NOTE_MAX} caractères."},
    )


class ReportForm(TrapMixin):
    kind = forms.ChoiceField(
        label="Qu'est-ce qui est faux ?",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez ce qui est faux.",
            "invalid_choice": "Choisissez ce qui est faux dans la liste.",
        },
    )
    details = forms.CharField(
        label="Précisions",
        help_text="Ce qui est indiqué, et ce qui serait juste",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Décrivez l'erreur en quelques mots.",
            "max_length": f"Les précisions font au plus {DETAILS_MAX} caractères.",
        },
    )
    contact_email = forms.EmailField(
        label="Votre adresse électronique",
        help_text="Pour vous répondre si besoin ; elle n'est pas publiée",
        required=False,
        error_messages={"invalid": EMAIL_ERRORS["invalid"]},
    )

    def clean_details(self):
        details = self.cleaned_data["details"].strip()
        if not details:
            raise ValidationError("Décrivez l'erreur en quelques mots.")
        return details


class ListingForm(forms.Form):
    """What the conseiller shows on the pages of their places; their name always."""

    visible = forms.BooleanField(label="Apparaître sur la carte", required=False)
    phone = forms.CharField(
        label="Téléphone professionnel",
        required=False,
        max_length=25,
        validators=[validators.validate_telephone],
    )
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        required=False,
        error_messages={"invalid": EMAIL_ERRORS["invalid"]},
    )
    booking_url = forms.CharField(
        label="Lien de prise de rendez-vous",
        help_text="Par exemple votre page sur un service de rendez-vous en ligne",
        required=False,
        max_length=500,
        validators=[validators.validate_url],
    )
