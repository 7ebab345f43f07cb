from django import forms

from cnum.recruitment.enums import RuptureMotif
from cnum.recruitment.models import (
    MAX_WEEKLY_HOURS,
    MIN_WEEKLY_HOURS,
    SALARY_CEILING,
    WEEKLY_HOURS_ERROR,
    Contract,
    euros,
    rupture_errors,
)


def date_field(label, required=True, help_text="Au format JJ/MM/AAAA"):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Indiquez cette date.",
            "invalid": "Indiquez une date au format JJ/MM/AAAA, par exemple 01/09/2026.",
        },
    )


class EuroField(forms.DecimalField):
    """Accepts what French users type: 1 950,50 or 1950.50 (spaces, comma or point)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".").rstrip("€")
        return super().to_python(value)


class ContractForm(forms.ModelForm):
    start_date = date_field("Date de début du contrat")
    end_date = date_field(
        "Date de fin du contrat",
        required=False,
        help_text="Au format JJ/MM/AAAA ; obligatoire sauf pour un CDI, à laisser vide alors",
    )
    weekly_hours = forms.IntegerField(
        label="Durée hebdomadaire (heures)",
        initial=MAX_WEEKLY_HOURS,
        min_value=MIN_WEEKLY_HOURS,
        max_value=MAX_WEEKLY_HOURS,
        help_text=f"{MAX_WEEKLY_HOURS} pour un temps plein ; entre {MIN_WEEKLY_HOURS} et "
        f"{MAX_WEEKLY_HOURS} heures",
        error_messages={
            "required": "Indiquez la durée hebdomadaire du contrat, en heures.",
            "invalid": "Indiquez un nombre entier d'heures, par exemple 35.",
            "min_value": WEEKLY_HOURS_ERROR,
            "max_value": WEEKLY_HOURS_ERROR,
        },
    )
    gross_monthly_salary = EuroField(
        label="Salaire brut mensuel en euros (facultatif)",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Par exemple 1850,00 ; entre le SMIC (au prorata des heures pour un temps "
        f"partiel) et {euros(SALARY_CEILING)}",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        error_messages={
            "invalid": "Indiquez un montant en euros, par exemple 1850,00.",
            "max_digits": "Ce montant est trop élevé.",
            "max_decimal_places": "Indiquez au plus deux chiffres après la virgule.",
            "min_value": "Le salaire ne peut pas être négatif.",
        },
    )
    comment = forms.CharField(
        label="Commentaire pour l'administration (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Contract
        fields = ["type", "start_date", "end_date", "weekly_hours", "gross_monthly_salary"]
        error_messages = {"type": {"required": "Choisissez le type de contrat."}}

    def contract_data(self):
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class RuptureForm(forms.Form):
    motif = forms.ChoiceField(
        label="Motif",
        choices=[("", "Choisissez un motif"), *RuptureMotif.choices],
        error_messages={"required": "Choisissez le motif de la rupture."},
    )
    date = date_field("Date de fin effective du contrat")
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "1 000 caractères au maximum."},
    )

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean(self):
        cleaned = super().clean()
        for field, message in rupture_errors(cleaned.get("date"), self.contract).items():
            self.add_error(field, message)
        return cleaned


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Commentaire (facultatif, obligatoire pour refuser)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accept = forms.TypedChoiceField(
        choices=[("1", "Valider"), ("0", "Refuser")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Choisissez de valider ou de refuser."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("accept") is False and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Expliquez le refus en quelques mots.")
        return cleaned


class WithdrawForm(forms.Form):
    comment = forms.CharField(label="Motif (facultatif)", required=False, max_length=1000)
