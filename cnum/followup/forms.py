from django import forms

from cnum.followup.models import NonRenewalReason
from cnum.recruitment.forms import date_field


class ConseillerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class LeaveForm(forms.Form):
    conseiller = ConseillerChoice(
        label="Conseiller",
        queryset=None,
        empty_label="Choisissez un conseiller",
        error_messages={
            "required": "Choisissez le conseiller absent.",
            "invalid_choice": "Ce conseiller n'est pas en poste dans votre structure.",
        },
    )
    start = date_field("Premier jour d'absence")
    end = date_field("Dernier jour d'absence")

    def __init__(self, *args, conseillers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conseiller"].queryset = conseillers.order_by("last_name", "first_name", "pk")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "Le dernier jour d'absence doit suivre le premier.")
        return cleaned


class NonRenewalForm(forms.Form):
    reason = forms.ChoiceField(
        label="Raison",
        choices=[("", "Choisissez une raison"), *NonRenewalReason.choices],
        error_messages={"required": "Choisissez la raison du non-renouvellement."},
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "1 000 caractères au maximum."},
    )
