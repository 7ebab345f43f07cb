"""Forms of the candidates screen: filters (GET), notes, manual search. Unknown or wrong values
are ignored with a French message, never a 500."""

from django import forms
from django.db.models import Q

from cnum.candidates.models import PixLevel
from cnum.matching.eligibility import LOCAL_BUCKETS, Filters
from cnum.matching.enums import PostponeDelay, RefusalReason
from cnum.matching.models import NOTE_MAX_LENGTH, CandidateNote
from cnum.matching.screen import NEW, ORDER_LABELS, TABS


class FilterForm(forms.Form):
    q = forms.CharField(label="Nom", required=False, max_length=100)
    ordre = forms.ChoiceField(label="Trier par", choices=ORDER_LABELS.items(), required=False)
    distance = forms.TypedChoiceField(
        label="Distance maximale depuis la structure",
        choices=[("", "Toutes"), *((d, f"{d} km") for d in LOCAL_BUCKETS)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    pix = forms.TypedChoiceField(
        label="Niveau Pix minimal",
        choices=[("", "Tous"), *PixLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    diplome = forms.BooleanField(label="Diplômé de la médiation numérique", required=False)
    cv = forms.BooleanField(label="CV déposé", required=False)
    ancien = forms.BooleanField(label="Ancien conseiller numérique", required=False)

    def filters(self):
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            diploma=data["diplome"],
            pix_min=data["pix"],
            has_cv=data["cv"],
            former=data["ancien"],
            max_km=data["distance"],
            name=data["q"].strip(),
        )

    def order(self):
        return (self.is_valid() and self.cleaned_data["ordre"]) or "distance"


class NoteForm(forms.ModelForm):
    class Meta:
        model = CandidateNote
        fields = ["text", "adaptability", "emotional_intelligence", "digital_understanding"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH})}
        help_texts = {
            "text": f"{NOTE_MAX_LENGTH} caractères au plus. Visible des seuls gestionnaires "
            "de votre structure.",
        }
        error_messages = {
            "text": {
                "required": "Écrivez la note.",
                "max_length": f"La note dépasse {NOTE_MAX_LENGTH} caractères : raccourcissez-la.",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("adaptability", "emotional_intelligence", "digital_understanding"):
            field = self.fields[name]
            field.choices = [("", "Non évaluée"), *list(field.choices)[1:]]
            field.help_text = "De 1 (faible) à 5 (excellente), facultatif."


class SearchForm(forms.Form):
    nom = forms.CharField(label="Nom ou prénom", required=False, max_length=100)
    commune = forms.CharField(
        label="Commune", required=False, max_length=200, help_text="Nom, code postal ou code INSEE"
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("preselect", ""),
            ("not_retained", ""),
            ("back_to_new", ""),
            ("request_contact", ""),
        ]
    )
    next = forms.CharField(required=False)


class AnswerForm(forms.Form):
    reponse = forms.ChoiceField(choices=[("accepter", "Accepter"), ("refuser", "Refuser")])


class RevealFilterForm(forms.Form):
    structure = forms.CharField(
        label="Structure", required=False, max_length=200, help_text="Nom ou SIRET"
    )
    candidat = forms.CharField(
        label="Candidat",
        required=False,
        max_length=200,
        help_text="Nom, adresse électronique ou numéro du candidat",
    )

    def apply(self, reveals):
        data = self.cleaned_data
        structure = data["structure"].strip()
        if structure:
            reveals = reveals.filter(
                Q(structure__name__icontains=structure) | Q(structure__siret=structure)
            )
        candidate = data["candidat"].strip()
        if candidate.isascii() and candidate.isdigit() and len(candidate) <= 18:
            reveals = reveals.filter(candidate_id=int(candidate))
        elif candidate:
            reveals = reveals.filter(
                Q(candidate__user__last_name__icontains=candidate)
                | Q(candidate__user__first_name__icontains=candidate)
                | Q(candidate__user__email__icontains=candidate)
            )
        return reveals


class IdsField(forms.Field):
    """Candidate numbers ticked on the screen (hidden inputs on the confirmation page)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_count, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value):
        values = [str(v) for v in (value or [])]
        if not all(v.isascii() and v.isdigit() and len(v) <= 18 for v in values):
            raise forms.ValidationError("Sélection invalide : rechargez la page.")
        return list(dict.fromkeys(int(v) for v in values))

    def validate(self, value):
        if not value:
            raise forms.ValidationError("Cochez au moins un candidat.")
        if len(value) > self.max_count:
            raise forms.ValidationError(
                f"Sélectionnez au plus {self.max_count} candidats à la fois."
            )


BATCH_ACTIONS = {"refuser": "Ne pas retenir", "reporter": "Reporter"}


class BatchForm(forms.Form):
    action = forms.ChoiceField(choices=BATCH_ACTIONS.items(), widget=forms.HiddenInput)
    onglet = forms.ChoiceField(
        choices=[(name, name) for name in TABS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, max_count=100, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidats"] = IdsField(max_count=max_count)
        self.order_fields(["candidats", "action", "onglet"])

    def tab(self):
        return (self.is_valid() and self.cleaned_data["onglet"]) or NEW


class RefuseForm(BatchForm):
    motif = forms.ChoiceField(
        label="Motif communiqué aux candidats (facultatif)",
        choices=[("", "Aucun motif : les candidats ne sont pas prévenus"), *RefusalReason.choices],
        required=False,
        help_text="Choisi, il est envoyé par courriel à chaque candidat écarté.",
    )


class PostponeForm(BatchForm):
    delai = forms.TypedChoiceField(
        label="Reporter pendant",
        choices=PostponeDelay.choices,
        coerce=int,
        help_text="Les candidats quittent leur onglet jusqu'à cette date et y reviennent "
        "ensuite ; ils ne sont pas clos sans suite avant.",
        error_messages={
            "required": "Choisissez une durée.",
            "invalid_choice": "Choisissez une durée dans la liste.",
        },
    )
