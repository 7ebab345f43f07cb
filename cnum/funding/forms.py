import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from cnum.funding.enums import EnvelopePurpose
from cnum.funding.models import Envelope, KitRequest, KitType
from cnum.territories.forms import CommuneField

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_EUROS = Decimal("10000000000")


class EurosField(forms.CharField):
    """An amount in euros typed the French way (« 1 250,50 »), cleaned to integer cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "En euros, par exemple 1 250,50")
        super().__init__(**kwargs)
        self.widget.attrs.update(maxlength="20", inputmode="decimal")

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError("Indiquez un montant en euros, par exemple 1 250,50.")
        cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        cleaned = cleaned.replace("€", "").replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise forms.ValidationError(
                "Indiquez un montant en euros, par exemple 1 250,50."
            ) from None
        if not amount.is_finite() or amount <= 0 or amount >= MAX_EUROS:
            raise forms.ValidationError("Indiquez un montant positif en euros.")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError("Un montant a au plus deux chiffres après la virgule.")
        return int(amount * 100)


def date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        help_text="Au format JJ/MM/AAAA",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Indiquez une date au format JJ/MM/AAAA."},
        **kwargs,
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Pièce à ajouter",
        help_text="Format PDF uniquement, 10 Mo au plus",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": "Choisissez un fichier PDF à déposer."},
    )


class ExamineForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            ("valider", "Valider le dossier"),
            ("completer", "Demander des compléments"),
            ("refuser", "Refuser le dossier"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une décision."},
    )
    message = forms.CharField(
        label="Message à la structure",
        help_text="Obligatoire pour une demande de compléments ou un refus",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("completer", "refuser") and not data.get("message", "").strip():
            self.add_error(
                "message", "Expliquez à la structure ce qu'elle doit compléter ou pourquoi."
            )
        return data


class DecisionForm(forms.Form):
    """Approve or refuse (a payment request, a kit request); a refusal needs its reason."""

    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accorder", "Accorder"), ("refuser", "Refuser")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une décision."},
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Obligatoire en cas de refus",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuser" and not data.get("reason", "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return data


class RecordPaymentForm(forms.Form):
    paid_on = date_field("Date du virement")
    reference = forms.CharField(
        label="Référence du virement",
        max_length=100,
        error_messages={"required": "Indiquez la référence du virement."},
    )

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Un virement ne peut pas être daté dans le futur.")
        return day


class RecoveryForm(forms.Form):
    amount = EurosField(label="Montant reversé par la structure")
    reason = forms.CharField(label="Motif (titre de recette)", max_length=500)


class KitRequestForm(forms.ModelForm):
    commune = CommuneField(label="Commune du lieu équipé")

    class Meta:
        model = KitRequest
        fields = ["kit_type", "quantity", "place_name", "commune", "justification"]
        labels = {"kit_type": "Kit demandé", "place_name": "Nom du lieu équipé"}
        help_texts = {
            "quantity": "Entre 1 et 20",
            "place_name": "Le lieu de médiation que le kit équipe (médiathèque, local…)",
            "justification": "Les besoins du lieu et du public accueilli, 2 000 caractères au plus",
        }
        widgets = {"justification": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit_type"].queryset = KitType.objects.filter(is_active=True)
        self.fields["kit_type"].empty_label = "Choisir un kit"


class EnvelopeForm(forms.ModelForm):
    ceiling = EurosField(label="Plafond")
    opens_on = date_field("Ouverte aux engagements à partir du")

    class Meta:
        model = Envelope
        fields = ["name", "code", "purpose", "opens_on"]
        labels = {"code": "Code (lettres, chiffres et tirets)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = EnvelopePurpose.choices

    def save(self, commit=True):
        self.instance.ceiling_cents = self.cleaned_data["ceiling"]
        return super().save(commit)


class KitTypeForm(forms.ModelForm):
    unit_cost = EurosField(label="Coût unitaire")

    class Meta:
        model = KitType
        fields = ["name", "contents", "is_active"]
        widgets = {"contents": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            cents = self.instance.unit_cost_cents
            self.initial["unit_cost"] = f"{cents // 100},{cents % 100:02d}"

    def save(self, commit=True):
        self.instance.unit_cost_cents = self.cleaned_data["unit_cost"]
        return super().save(commit)


class PeriodForm(forms.Form):
    start = date_field("Du")
    end = date_field("Au")
    format = forms.ChoiceField(
        label="Format",
        choices=[("csv", "CSV (tableur, séparateur point-virgule)"), ("xlsx", "Excel (XLSX)")],
        initial="csv",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La fin de la période précède son début.")
        if start and end and end - start > datetime.timedelta(days=3660):
            self.add_error("end", "Choisissez une période de dix ans au plus.")
        return data
