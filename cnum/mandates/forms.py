import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cnum.accounts.forms import OtpCodeForm
from cnum.mandates.domains import Domain, Duration
from cnum.mandates.habilitation import ACTION_LABELS
from cnum.mandates.mentions import Language
from cnum.mandates.models import RetentionPolicy, StructureType
from cnum.mandates.models.journal import Kind

__all__ = ["OtpCodeForm"]


class DomainsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Domain.choices)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choisissez au moins un domaine.",
                "invalid_choice": "Ce domaine n'est pas proposé.",
            },
        )
        super().__init__(**kwargs)


class HabilitationRequestForm(forms.Form):
    siret = forms.RegexField(
        label="SIRET de la structure",
        regex=r"^[0-9]{14}$",
        max_length=20,
        help_text="14 chiffres, sans espace.",
        error_messages={"invalid": "Le SIRET compte exactement 14 chiffres."},
    )
    structure_type = forms.ChoiceField(label="Type de structure", choices=StructureType.choices)
    aidants_to_train = forms.CharField(
        label="Aidants à former",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Un aidant par ligne : prénom, nom, adresse électronique.",
    )
    domains = DomainsField(label="Domaines que la structure souhaite traiter")
    commitments = forms.BooleanField(
        label="La structure s'engage à respecter la charte Aidants Connect (formation des "
        "aidants, recueil du consentement, conservation des mandats signés).",
        error_messages={"required": "Les engagements doivent être acceptés."},
    )

    def clean_siret(self):
        return self.cleaned_data["siret"].strip()


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Décision", choices=list(ACTION_LABELS.items()))
    message = forms.CharField(
        label="Message à la structure", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AidantForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique")
    is_referent = forms.BooleanField(label="Référent de la structure", required=False)


class StructureDomainsForm(forms.Form):
    domains = DomainsField(label="Domaines traités par la structure")


class TrainingForm(forms.Form):
    training_date = forms.DateField(label="Date de la session de formation")
    pix_validated = forms.BooleanField(label="Certification Pix obtenue", required=False)

    def clean_training_date(self):
        day = self.cleaned_data["training_date"]
        if day > timezone.localdate():
            raise ValidationError("La session de formation ne peut pas être dans le futur.")
        return day


class UsagerForm(forms.Form):
    given_names = forms.CharField(label="Prénoms", max_length=150)
    family_name = forms.CharField(label="Nom de naissance", max_length=150)
    birth_date = forms.DateField(label="Date de naissance")
    birth_place = forms.CharField(
        label="Lieu de naissance", max_length=150, help_text="Commune et pays si né à l'étranger."
    )
    email = forms.EmailField(label="Adresse électronique (facultatif)", required=False)
    phone = forms.RegexField(
        label="Téléphone (facultatif)",
        regex=r"^\+?[0-9 .]{10,20}$",
        required=False,
        max_length=20,
        error_messages={"invalid": "Saisissez un numéro de téléphone valide."},
    )
    document_checked = forms.BooleanField(
        label="J'ai vérifié une pièce d'identité de l'usager et les informations saisies "
        "y correspondent.",
        error_messages={"required": "Confirmez avoir vérifié une pièce d'identité."},
    )

    def clean_birth_date(self):
        day = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if day > today or day < today - datetime.timedelta(days=130 * 366):
            raise ValidationError("Saisissez une date de naissance plausible.")
        return day


class MandateForm(forms.Form):
    domains = DomainsField(label="Domaines du mandat")
    duration_days = forms.TypedChoiceField(
        label="Durée du mandat",
        choices=Duration.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une durée.",
            "invalid_choice": "Cette durée n'est pas proposée.",
        },
    )
    consent = forms.BooleanField(
        label="L'usager a été informé et consent à ce mandat ; il signera l'attestation.",
        error_messages={"required": "Le consentement de l'usager est obligatoire."},
    )
    language = forms.ChoiceField(
        label="Langue des mentions et de l'attestation",
        choices=Language.choices,
        initial=Language.FR,
        widget=forms.RadioSelect,
        # Not chosen: French, the reference text.
        required=False,
        error_messages={"invalid_choice": "Cette langue n'est pas proposée."},
    )

    def __init__(self, *args, allowed_domains=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_domains is not None:
            self.fields["domains"].choices = [c for c in Domain.choices if c[0] in allowed_domains]

    def clean_language(self):
        return self.cleaned_data.get("language") or Language.FR


class RenewForm(forms.Form):
    duration_days = MandateForm.base_fields["duration_days"]
    consent = MandateForm.base_fields["consent"]


class JournalFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Acte", choices=[("", "Tous"), *Kind.choices], required=False)
    organisation = forms.IntegerField(label="Structure (identifiant)", required=False, min_value=1)
    start = forms.DateField(label="Du", required=False)
    end = forms.DateField(label="Au", required=False)


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["days_after_end"]

    def clean_days_after_end(self):
        days = self.cleaned_data["days_after_end"]
        if not RetentionPolicy.MINIMUM_DAYS <= days <= RetentionPolicy.MAXIMUM_DAYS:
            raise ValidationError(RetentionPolicy.BOUNDS_MESSAGE)
        return days


class TrainingSessionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisme de formation",
        queryset=None,
        error_messages={"required": "Choisissez l'organisme de formation."},
    )
    title = forms.CharField(label="Intitulé", max_length=200, initial="Formation Aidants Connect")
    start_date = forms.DateField(label="Premier jour")
    end_date = forms.DateField(label="Dernier jour")
    place = forms.CharField(label="Lieu", max_length=255, help_text="Adresse, ou « À distance ».")
    seats = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        max_value=500,
        error_messages={
            "min_value": "Prévoyez au moins une place.",
            "max_value": "Une session compte au plus 500 places.",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Le dernier jour ne peut pas précéder le premier.")
        if start and start < timezone.localdate():
            self.add_error("start_date", "Une session ne peut pas commencer dans le passé.")
        return data


class TrainingRegistrationForm(forms.Form):
    aidant = forms.ModelChoiceField(
        label="Aidant à inscrire",
        queryset=None,
        error_messages={
            "required": "Choisissez l'aidant à inscrire.",
            "invalid_choice": "Choisissez un aidant de votre structure.",
        },
    )

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aidant"].queryset = profiles
        self.fields["aidant"].label_from_instance = lambda p: (
            f"{p.membership.user.get_full_name()} ({p.membership.organisation})"
        )
