"""The referral form (docs/orientations.md#envoi) and the receiver's answer form."""

from django import forms
from django.core.exceptions import ValidationError

from cnum.activity import directory
from cnum.activity.enums import StructureKind, Thematique
from cnum.places.validators import validate_telephone
from cnum.referrals import attachments
from cnum.referrals.enums import ANSWERS, RefusalReason, Status
from cnum.referrals.services import CONSENT_MISSING, CONTACT_FIELDS
from cnum.structures.models import Structure

SEARCH_MAX = 100
STRUCTURE_RESULTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def receiver_label(target):
    if isinstance(target, Structure):
        return f"{target.name} — structure de la plateforme ({target.commune.nom})"
    return f"{directory.label(target)} — lieu de l'annuaire"


def receiver_value(target):
    return f"{'structure' if isinstance(target, Structure) else 'lieu'}-{target.pk}"


def find_receivers(text, origin=None):
    """Places of the directory, then structures of the platform, matching `text`."""
    text = " ".join(str(text or "").split())[:SEARCH_MAX]
    if len(text) < 2:
        return []
    places = directory.search(text, origin)
    structures = (
        Structure.objects.submitted()
        .filter(name__icontains=text)
        .select_related("commune")
        .order_by("name", "pk")[:STRUCTURE_RESULTS]
    )
    return [*places, *structures]


def resolve_receiver(value):
    """The place or structure named by a choice value ("lieu-12", "structure-3"), or None."""
    kind, _, pk = str(value or "").partition("-")
    if not pk.isdigit() or len(pk) > 18:
        return None
    if kind == "lieu":
        return directory.public_place(pk)
    if kind == "structure":
        return Structure.objects.submitted().select_related("commune").filter(pk=pk).first()
    return None


class ReferralForm(forms.Form):
    destinataire = forms.ChoiceField(
        label="Destinataire de l'orientation",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le lieu ou la structure qui recevra l'orientation.",
            "invalid_choice": "Ce destinataire n'existe pas : recherchez-le à nouveau.",
        },
    )
    receiver_kind = forms.ChoiceField(
        label="Type de structure", choices=[("", "Choisir")] + StructureKind.choices
    )
    themes = forms.MultipleChoiceField(
        label="Besoin de la personne (thématiques)",
        choices=Thematique.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une thématique."},
    )
    already_done = forms.CharField(
        label="Ce qui a déjà été fait",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label="La personne accepte que ses coordonnées soient transmises", required=False
    )
    contact_name = forms.CharField(label="Nom de la personne", required=False, max_length=200)
    contact_phone = forms.CharField(
        label="Téléphone", required=False, max_length=25, validators=[validate_telephone]
    )
    contact_email = forms.EmailField(label="Adresse électronique", required=False)
    pieces = MultipleFileField(
        label="Pièces jointes (PDF, 3 au plus, 5 Mo au plus chacune, 10 Mo en tout)",
        required=False,
    )

    def __init__(self, *args, receivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(receiver_value(r), receiver_label(r)) for r in receivers]
        # A value posted from an earlier search stays a valid choice.
        posted = self.data.get("destinataire") if self.is_bound else None
        chosen = resolve_receiver(posted) if posted else None
        if chosen is not None and receiver_value(chosen) not in dict(choices):
            choices.append((receiver_value(chosen), receiver_label(chosen)))
        self.fields["destinataire"].choices = choices

    def clean_destinataire(self):
        target = resolve_receiver(self.cleaned_data["destinataire"])
        if target is None:
            raise ValidationError("Ce destinataire n'existe pas : recherchez-le à nouveau.")
        return target

    def clean_pieces(self):
        files = self.cleaned_data.get("pieces") or []
        if len(files) > attachments.MAX_FILES:
            raise ValidationError(f"Joignez au plus {attachments.MAX_FILES} fichiers.")
        if sum(upload.size for upload in files) > attachments.MAX_TOTAL_BYTES:
            raise ValidationError("Les pièces jointes dépassent 10 Mo en tout : allégez-les.")
        read = []
        for upload in files:
            if upload.size > attachments.MAX_BYTES:
                raise ValidationError(f"« {upload.name} » dépasse 5 Mo : réduisez sa taille.")
            data = upload.read(attachments.MAX_BYTES + 1)
            try:
                attachments.check_pdf(upload.name, data)
            except attachments.InvalidAttachment as error:
                raise ValidationError(error.message) from error
            read.append((upload.name, data))
        return read

    def clean(self):
        data = super().clean()
        if not data.get("consent"):
            for name in CONTACT_FIELDS:
                if self.data.get(name):
                    self.add_error(name, CONSENT_MISSING)
        return data

    def service_values(self):
        data = self.cleaned_data
        values = {name: data.get(name) or "" for name in CONTACT_FIELDS}
        values.update(
            receiver_kind=data["receiver_kind"],
            already_done=data.get("already_done") or "",
            consent=bool(data.get("consent")),
        )
        return values


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Votre réponse",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in ANSWERS],
        error_messages={"required": "Choisissez votre réponse."},
    )
    reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[("", "Choisir un motif")] + RefusalReason.choices,
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == Status.REFUSEE and not data.get("reason"):
            self.add_error("reason", "Indiquez le motif du refus.")
        return data
