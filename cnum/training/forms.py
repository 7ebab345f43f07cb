"""Forms of the training pages: French messages, dates typed JJ/MM/AAAA."""

from django import forms

from cnum.core import forms as core_forms
from cnum.structures.siret import normalise_siret, validate_siret
from cnum.territories.forms import CommuneField
from cnum.training.enums import (
    CertificationResult,
    CertificationType,
    ConseillerState,
    EnrolmentStatus,
    SessionFormat,
)
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession

DATE_HELP = "Au format JJ/MM/AAAA"
# A session lasts about four months: between two and six are accepted.
MIN_SESSION_DAYS, MAX_SESSION_DAYS = 60, 190
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def date_field(label, required=True):
    return forms.DateField(
        label=label,
        help_text=DATE_HELP,
        required=required,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": "Indiquez une date au format JJ/MM/AAAA.",
            "required": f"Indiquez la date ({label.lower()}).",
        },
    )


class OrganisationForm(forms.ModelForm):
    siret = forms.CharField(label="SIRET", help_text="14 chiffres, espaces acceptés", max_length=20)
    commune = CommuneField()

    class Meta:
        model = TrainingOrganisation
        fields = [
            "name",
            "siret",
            "address",
            "commune",
            "contact_name",
            "contact_email",
            "contact_phone",
            "capacity",
        ]
        labels = {"name": "Nom de l'organisme"}
        error_messages = {"capacity": {"min_value": "La capacité compte au moins une place."}}

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        if TrainingOrganisation.objects.filter(siret=siret).exists():
            raise forms.ValidationError("Un organisme de formation a déjà ce SIRET.")
        return siret


class MemberForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique du membre")
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)


class HabilitationForm(forms.Form):
    habilitated = forms.BooleanField(label="Organisme habilité", required=False)


class SessionForm(forms.ModelForm):
    start_date = date_field("Début de la session")
    end_date = date_field("Fin de la session")
    commune = CommuneField(required=False, help_text="Obligatoire sauf pour une session à distance")

    class Meta:
        model = TrainingSession
        fields = ["name", "start_date", "end_date", "format", "address", "commune", "capacity"]
        labels = {"name": "Intitulé de la session", "capacity": "Nombre de places"}
        help_texts = {"address": "Adresse du lieu de formation"}
        error_messages = {"capacity": {"min_value": "Prévoyez au moins une place."}}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            days = (end - start).days
            if not MIN_SESSION_DAYS <= days <= MAX_SESSION_DAYS:
                self.add_error(
                    "end_date", "Une session dure environ quatre mois (entre deux et six mois)."
                )
        if data.get("format") != SessionFormat.DISTANCIEL and not data.get("commune"):
            self.add_error("commune", "Indiquez la commune du lieu de formation.")
        capacity = data.get("capacity")
        if capacity and capacity > self.organisation.capacity:
            self.add_error(
                "capacity",
                f"L'organisme accueille au plus {self.organisation.capacity} stagiaires.",
            )
        return data


class EnrolForm(forms.Form):
    session = core_forms.ModelChoiceField(
        queryset=TrainingSession.objects.none(),
        label="Session",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une session.",
            "invalid_choice": "Cette session n'est plus proposée : choisissez-en une autre.",
        },
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class ProgressForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["pix_level", "pix_score", "attendance_percent", "progress_percent"]
        help_texts = {
            "pix_score": "Score du test de positionnement, de 0 à 1024",
            "attendance_percent": "De 0 à 100",
            "progress_percent": "De 0 à 100",
        }
        error_messages = {
            name: {"max_value": "Indiquez une valeur entre 0 et 100."}
            for name in ("attendance_percent", "progress_percent")
        } | {"pix_score": {"max_value": "Le score Pix va de 0 à 1024."}}


class MoveForm(forms.Form):
    """One status move; the start and end of training carry their date."""

    ACTIONS = {
        "start": EnrolmentStatus.EN_COURS,
        "finish": EnrolmentStatus.TERMINEE,
        "abandon": EnrolmentStatus.ABANDONNEE,
        "cancel": EnrolmentStatus.ANNULEE,
        "resume": EnrolmentStatus.EN_COURS,
        "reopen": EnrolmentStatus.EN_COURS,
    }
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    day = date_field("Date", required=False)
    comment = forms.CharField(label="Motif", max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in ("start", "finish") and not data.get("day"):
            self.add_error("day", "Indiquez la date.")
        return data


class CertificationForm(forms.Form):
    certification_type = forms.ChoiceField(label="Certification", choices=CertificationType.choices)
    result = forms.ChoiceField(label="Résultat", choices=CertificationResult.choices)
    certified_on = date_field("Date de certification", required=False)

    def clean(self):
        data = super().clean()
        pending = data.get("result") == CertificationResult.EN_ATTENTE
        if not pending and data.get("result") and not data.get("certified_on"):
            self.add_error("certified_on", "Indiquez la date de la certification.")
        return data


class ConseillerFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="État", choices=[("", "Tous"), *ConseillerState.choices], required=False
    )
    q = forms.CharField(label="Nom ou adresse électronique", max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : email ; siret ; date_debut ; date_fin ; certification ; resultat ; "
        "date_certification (séparateur « ; » ou « , »)",
        error_messages={"required": "Choisissez un fichier CSV.", "empty": "Le fichier est vide."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("Le fichier dépasse 5 Mo : découpez-le.")
        return upload


class ImportConfirmForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_IMPORT_BYTES)
    partial = forms.BooleanField(
        label="Importer les lignes valides malgré les lignes en erreur", required=False
    )
