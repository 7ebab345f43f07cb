"""The one-screen entry form: fields map to the model, every rule lives in rules.validate."""

from django import forms

from cnum.activity import directory, rules
from cnum.activity.enums import (
    AGE_FIELDS,
    COUNT_FIELDS,
    DUREE_MAX,
    GENRE_FIELDS,
    STATUT_FIELDS,
    Autonomie,
    CraType,
    Demarche,
    Genre,
    Materiel,
    Niveau,
    Statut,
    StructureKind,
    Thematique,
    TrancheAge,
    TypeLieu,
)
from cnum.activity.policies import conseiller_places, own_beneficiaries
from cnum.core import forms as core_forms
from cnum.places.models import Place
from cnum.territories.models import CodePostal, Commune

RADIO = forms.RadioSelect
CHECKS = forms.CheckboxSelectMultiple
BLANK = [("", "—")]
CHOOSE = [("", "Choisir…")]
VALUE_FIELDS = (
    "type", "date", "duree", "notes", "type_lieu", "materiel", "thematiques", "demarches",
    "autonomie", "oriente", "orientation_kind", "precision_demarche", "titre", "niveau",
)  # fmt: skip


def resolve_commune(text):
    """A commune from its INSEE code, or from a postal code that serves a single commune."""
    text = (text or "").strip()
    if not text:
        return None
    commune = Commune.objects.filter(code_insee=text.upper()).first()
    if commune is None:
        ids = list(CodePostal.objects.filter(code=text).values_list("commune_id", flat=True)[:2])
        if len(ids) == 1:
            commune = Commune.objects.get(pk=ids[0])
    if commune is None:
        raise forms.ValidationError(
            "Commune inconnue : saisissez son code INSEE (ou un code postal d'une seule commune)."
        )
    return commune


class CraForm(forms.Form):
    type = forms.ChoiceField(label="Type d'accompagnement", choices=CraType.choices, widget=RADIO)
    # ISO value: a date input ignores the localised "26/11/2026" and would show no date.
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duree = forms.IntegerField(
        label="Durée (minutes)",
        help_text="15, 30, 45, 60, 90, 120 ou une autre durée",
        min_value=1,
        max_value=DUREE_MAX,
        widget=forms.NumberInput(attrs={"list": "durees", "step": 5}),
    )
    type_lieu = forms.ChoiceField(label="Lieu", choices=TypeLieu.choices, widget=RADIO)
    place = core_forms.ModelChoiceField(
        label="Lieu d'activité", queryset=Place.objects.none(), required=False
    )
    commune = forms.CharField(
        label="Commune (code INSEE ou code postal)",
        help_text="Obligatoire à domicile ou dans un autre lieu",
        required=False,
        max_length=5,
    )
    materiel = forms.MultipleChoiceField(
        label="Matériel utilisé", choices=Materiel.choices, widget=CHECKS, required=False
    )
    thematiques = forms.MultipleChoiceField(
        label="Thématiques", choices=Thematique.choices, widget=CHECKS, required=False
    )
    demarches = forms.MultipleChoiceField(
        label="Démarches administratives", choices=Demarche.choices, widget=CHECKS, required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    # Individual.
    beneficiary = core_forms.ModelChoiceField(
        label="Bénéficiaire suivi (sinon anonyme)", queryset=None, required=False
    )
    # No value chosen in advance: a preselected « Masculin » would count in the statistics.
    genre = forms.ChoiceField(label="Genre", choices=CHOOSE + Genre.choices, required=False)
    tranche_age = forms.ChoiceField(
        label="Tranche d'âge", choices=CHOOSE + TrancheAge.choices, required=False
    )
    statut = forms.ChoiceField(label="Statut", choices=CHOOSE + Statut.choices, required=False)
    autonomie = forms.ChoiceField(
        label="Autonomie",
        choices=[("", "Non précisée"), *Autonomie.choices],
        required=False,
        widget=RADIO,
    )
    oriente = forms.BooleanField(label="Orienté vers une autre structure", required=False)
    orientation_kind = forms.ChoiceField(
        label="Type de structure", choices=BLANK + StructureKind.choices, required=False
    )
    orientation_recherche = forms.CharField(
        label="Rechercher le lieu dans l'annuaire",
        help_text="Nom du lieu, commune ou code postal",
        max_length=directory.QUERY_MAX,
        required=False,
    )
    # Choices: the places found by the search (see set_directory_choices).
    orientation_place = forms.IntegerField(
        label="Lieu de l'annuaire (facultatif)", required=False, widget=forms.RadioSelect
    )
    precision_demarche = forms.CharField(
        label="Précision de la démarche", max_length=500, required=False
    )
    # Collective.
    titre = forms.CharField(label="Titre de l'atelier", max_length=200, required=False)
    niveau = forms.ChoiceField(label="Niveau", choices=BLANK + Niveau.choices, required=False)
    beneficiaries = core_forms.ModelMultipleChoiceField(
        label="Bénéficiaires suivis présents", queryset=None, required=False, widget=CHECKS
    )
    participants_anonymes = forms.IntegerField(
        label="Participants anonymes", min_value=0, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Asked for an anonymous individual record only: not marked « (facultatif) ».
        for name in ("genre", "tranche_age", "statut"):
            self.fields[name].optional_mark = False
        self.fields["place"].queryset = conseiller_places(user)
        self.fields["beneficiary"].queryset = own_beneficiaries(user)
        self.fields["beneficiaries"].queryset = own_beneficiaries(user)
        self.fields["orientation_place"].widget.choices = []
        for breakdown, labels in (
            (GENRE_FIELDS, Genre),
            (AGE_FIELDS, TrancheAge),
            (STATUT_FIELDS, Statut),
        ):
            for value, name in breakdown.items():
                self.fields[name] = forms.IntegerField(
                    label=labels(value).label, min_value=0, required=False
                )
                self.fields[name].optional_mark = False  # a grid of counts, blank = 0

    def clean_commune(self):
        return resolve_commune(self.cleaned_data.get("commune"))

    def set_directory_choices(self, found=()):
        """Offer the places `found` by a search, after the place already chosen (if any)."""
        chosen = self.chosen_place()
        places = [chosen] if chosen else []
        places += [place for place in found if chosen is None or place.pk != chosen.pk]
        self.fields["orientation_place"].widget.choices = directory_choices(places)

    def chosen_place(self):
        """The public place of the directory currently chosen, or None."""
        return directory.public_place(self["orientation_place"].value())

    def clean_orientation_place(self):
        pk = self.cleaned_data.get("orientation_place")
        if pk is None:
            return None
        if directory.public_place(pk) is None:
            if 0 < pk <= directory.ID_MAX and Place.objects.public().filter(pk=pk).exists():
                raise forms.ValidationError(
                    "Ce lieu ne reçoit pas de public : choisissez un autre lieu de l'annuaire."
                )
            raise forms.ValidationError(
                "Ce lieu n'existe pas dans l'annuaire : recherchez-le par son nom, sa commune "
                "ou son code postal."
            )
        return pk

    def clean(self):
        data = super().clean()
        self._require_anonymous_profile(data)
        if self.errors:
            return data
        values = self.model_values()
        errors = rules.validate(
            {**values, "beneficiary_ids": [b.pk for b in data.get("beneficiaries") or []]},
            today=_today(),
            place_ids=set(self.fields["place"].queryset.values_list("pk", flat=True)),
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data

    def _require_anonymous_profile(self, data):
        """An anonymous individual record says who was helped (« Non communiqué » is a choice)."""
        if data.get("type") != CraType.INDIVIDUEL or data.get("beneficiary"):
            return
        for name, what in (
            ("genre", "le genre"),
            ("tranche_age", "la tranche d'âge"),
            ("statut", "le statut"),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"Choisissez {what} de la personne, ou « Non communiqué ».")

    def model_values(self):
        """The model field values the cleaned data stands for."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in VALUE_FIELDS}
        values["oriente"] = bool(values["oriente"])
        for name in ("notes", "autonomie", "orientation_kind", "precision_demarche", "titre"):
            values[name] = values[name] or ""
        values["niveau"] = values["niveau"] or ""
        for name in ("materiel", "thematiques", "demarches"):
            values[name] = list(values[name] or [])
        place, commune = data.get("place"), data.get("commune")
        values["place_id"] = place.pk if place else None
        values["commune_id"] = commune.pk if commune else None
        values["orientation_place_id"] = data.get("orientation_place")
        beneficiary = data.get("beneficiary") if values["type"] == CraType.INDIVIDUEL else None
        values["beneficiary_id"] = beneficiary.pk if beneficiary else None
        values.update(dict.fromkeys(COUNT_FIELDS, 0))
        if values["type"] == CraType.COLLECTIF:
            values["participants_anonymes"] = data.get("participants_anonymes") or 0
            values.update({name: data.get(name) or 0 for name in COUNT_FIELDS})
        elif beneficiary is None:
            values["participants_anonymes"] = 1
            values[GENRE_FIELDS[data.get("genre") or Genre.NON_COMMUNIQUE]] = 1
            values[AGE_FIELDS[data.get("tranche_age") or TrancheAge.NON_COMMUNIQUE]] = 1
            values[STATUT_FIELDS[data.get("statut") or Statut.NON_COMMUNIQUE]] = 1
        else:
            values["participants_anonymes"] = 0
        return values


def directory_choices(places):
    return [("", "Aucun lieu précis")] + [(place.pk, directory.label(place)) for place in places]


def _today():
    from cnum.activity.services import today

    return today()


class HistoryFilterForm(forms.Form):
    du = forms.DateField(label="Du", required=False)
    au = forms.DateField(label="Au", required=False)
    type = forms.ChoiceField(label="Type", choices=BLANK + CraType.choices, required=False)
    thematique = forms.ChoiceField(
        label="Thématique", choices=BLANK + Thematique.choices, required=False
    )
    type_lieu = forms.ChoiceField(label="Lieu", choices=BLANK + TypeLieu.choices, required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("du"):
            queryset = queryset.filter(date__gte=data["du"])
        if data.get("au"):
            queryset = queryset.filter(date__lte=data["au"])
        if data.get("type"):
            queryset = queryset.filter(type=data["type"])
        if data.get("type_lieu"):
            queryset = queryset.filter(type_lieu=data["type_lieu"])
        if data.get("thematique"):
            # Portable (SQLite and PostgreSQL): the JSON text holds the quoted code.
            queryset = queryset.filter(thematiques__icontains=f'"{data["thematique"]}"')
        return queryset


class BeneficiaryForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    telephone = forms.CharField(label="Téléphone", max_length=25, required=False)
    email = forms.EmailField(label="Adresse électronique", required=False)
    genre = forms.ChoiceField(label="Genre", choices=Genre.choices, initial=Genre.NON_COMMUNIQUE)
    annee_naissance = forms.IntegerField(
        label="Année de naissance", min_value=1900, max_value=2100, required=False
    )
    statut = forms.ChoiceField(
        label="Statut", choices=Statut.choices, initial=Statut.NON_COMMUNIQUE
    )
    commune = forms.CharField(label="Commune (code INSEE)", max_length=5, required=False)
    consentement = forms.BooleanField(
        label="La personne a donné son accord pour être suivie", required=True
    )

    def clean_commune(self):
        return resolve_commune(self.cleaned_data.get("commune"))

    @classmethod
    def initial_of(cls, beneficiary):
        """Initial values to edit `beneficiary`."""
        initial = {name: getattr(beneficiary, name) for name in cls.base_fields}
        initial["commune"] = beneficiary.commune_id or ""
        return initial
