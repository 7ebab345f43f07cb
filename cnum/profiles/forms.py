from django import forms

from cnum.candidates.forms import PHONE, normalise_phone
from cnum.profiles.models import CorrectionKind
from cnum.structures.models import Structure
from cnum.structures.siret import normalise_siret

PHONE_HINT = "Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78"


def clean_phone(value):
    phone = normalise_phone(value)
    if phone and not PHONE.fullmatch(phone):
        raise forms.ValidationError(
            "Saisissez un numéro de téléphone français valide, par exemple 06 12 34 56 78."
        )
    return phone


def phone_field(label):
    return forms.CharField(
        label=label,
        max_length=30,
        required=False,
        help_text=PHONE_HINT,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class IdentityForm(forms.Form):
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        error_messages={"required": "Indiquez votre prénom."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        error_messages={"required": "Indiquez votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = phone_field("Téléphone (facultatif)")
    job_title = forms.CharField(
        label="Fonction (facultatif)",
        max_length=150,
        required=False,
        help_text="Par exemple : chargée de mission inclusion numérique",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    work_phone = phone_field("Téléphone professionnel (facultatif)")

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_work_phone(self):
        return clean_phone(self.cleaned_data["work_phone"])


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="Nouvelle adresse électronique",
        max_length=254,
        error_messages={
            "required": "Indiquez la nouvelle adresse électronique.",
            "invalid": (
                "Indiquez une adresse électronique valide, par exemple prenom.nom@exemple.fr."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError("C'est déjà l'adresse de votre compte.")
        return email


class StructureContactForm(forms.ModelForm):
    class Meta:
        model = Structure
        fields = [
            "address",
            "contact_first_name",
            "contact_last_name",
            "contact_role",
            "contact_email",
            "contact_phone",
        ]
        help_texts = {"contact_phone": PHONE_HINT}

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_contact_phone(self):
        phone = clean_phone(self.cleaned_data["contact_phone"])
        if not phone:
            raise forms.ValidationError("Indiquez le téléphone du contact.")
        return phone

    def validate_unique(self):
        # Only contact fields change here; the SIRET rule is not this form's business.
        pass


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Ce qu'il faut corriger",
        choices=CorrectionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez ce qu'il faut corriger."},
    )
    value = forms.CharField(
        label="Valeur correcte",
        max_length=255,
        help_text="Le nom exact de la structure, ou son SIRET (14 chiffres, espaces acceptés)",
        error_messages={"required": "Indiquez la valeur correcte."},
    )
    reason = forms.CharField(
        label="Justification",
        max_length=1000,
        help_text="Par exemple : changement de dénomination voté le 12/03, SIRET mal recopié",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Expliquez pourquoi la correction est nécessaire."},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == CorrectionKind.SIRET and data.get("value"):
            data["value"] = normalise_siret(data["value"])
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("appliquer", "Appliquer la correction"), ("refuser", "Refuser")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d'appliquer ou de refuser."},
    )
    comment = forms.CharField(
        label="Motif (obligatoire pour un refus)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuser" and not data.get("comment", "").strip():
            self.add_error("comment", "Indiquez le motif du refus : la structure le recevra.")
        return data


class DeletionForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe, pour confirmer",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe pour confirmer."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mot de passe incorrect : rien n'a été supprimé.")
        return password
