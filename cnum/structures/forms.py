from django import forms
from django.utils import timezone

from cnum.core import forms as core_forms
from cnum.structures.enums import (
    AWAITING_DECISION,
    COORDINATOR_TIMES,
    SESSION_OPINIONS,
    AmendmentKind,
    AmendmentMotif,
    CommitteeOpinion,
    PostType,
    PrefetOpinionValue,
    Status,
    StructureType,
)
from cnum.structures.models import CallForInterest, CommitteeSession, Network, Structure
from cnum.structures.siret import normalise_siret, validate_siret
from cnum.territories.forms import CommuneField
from cnum.territories.models import Departement

BOOLEAN_CHOICES = [("oui", "Oui"), ("non", "Non")]
# The "avis" filter value of structures no préfet has given an opinion on.
NO_OPINION = "sans"


class ApplicationForm(forms.ModelForm):
    siret = forms.CharField(
        label="SIRET",
        help_text="14 chiffres, espaces acceptés",
        max_length=20,
        error_messages={"required": "Indiquez le SIRET de la structure."},
    )
    commune = CommuneField()
    mission_start = forms.DateField(
        label="Date de début de mission souhaitée",
        help_text="Au format JJ/MM/AAAA, à partir d'aujourd'hui",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Indiquez une date au format JJ/MM/AAAA."},
    )
    commitments_accepted = forms.BooleanField(
        label="La structure s'engage à respecter la charte du dispositif Conseiller numérique "
        "(missions, formation du conseiller, temps de travail dédié).",
        error_messages={"required": "Vous devez accepter les engagements pour déposer la demande."},
    )
    coordinator_motivation = forms.CharField(
        label="Motivation pour le poste de coordinateur (facultatif)",
        help_text="Si vous demandez un poste de coordinateur : le territoire et les conseillers "
        "qu'il animerait",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Structure
        fields = [
            "name",
            "type",
            "siret",
            "address",
            "commune",
            "contact_first_name",
            "contact_last_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "posts_wanted",
            "mission_start",
            "candidate_identified",
            "coordinator_post",
            "motivation",
            "zrr",
            "qpv",
            "france_services",
            "aidants_connect",
            "network",
            "commitments_accepted",
        ]
        labels = {"name": "Nom de la structure"}
        error_messages = {
            "posts_wanted": {"min_value": "Demandez au moins un conseiller."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivation"].widget = forms.Textarea(attrs={"rows": 6})
        # Chosen from the managed list (docs/domaine.md#hubs-et-reseaux), never typed.
        network = self.fields["network"]
        network.queryset = Network.objects.active().order_by("name")
        network.empty_label = "Aucun grand réseau"
        network.help_text = (
            "Si la structure appartient à un réseau national (La Poste, Croix-Rouge…)"
        )

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        # A SIRET already held is accepted: once confirmed, the application goes to the
        # administration as a possible duplicate (services.confirm_application).
        return siret

    def validate_unique(self):
        # An application is created unconfirmed: the SIRET's uniqueness applies at confirmation.
        pass

    def clean_mission_start(self):
        day = self.cleaned_data["mission_start"]
        if day < timezone.localdate():
            raise forms.ValidationError("La date de début de mission ne peut pas être passée.")
        return day

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_contact_phone(self):
        phone = "".join(c for c in self.cleaned_data["contact_phone"] if c not in " .-")
        digits = phone[1:] if phone.startswith("+") else phone
        if not (digits.isascii() and digits.isdigit()) or not 10 <= len(digits) <= 15:
            raise forms.ValidationError("Indiquez un numéro de téléphone (10 chiffres).")
        return phone

    def application_data(self):
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        return {**data, "coordinator_motivation": self.cleaned_data["coordinator_motivation"]}


class InviteManagerForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        error_messages={"invalid": "Indiquez une adresse électronique valide."},
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label="Votre demande", choices=AmendmentKind.choices)
    post_type = forms.ChoiceField(label="Type de poste", choices=PostType.choices)
    number = forms.IntegerField(
        label="Nombre de postes",
        min_value=1,
        max_value=50,
        error_messages={"min_value": "Indiquez au moins un poste."},
    )
    motif = forms.ChoiceField(label="Motif", choices=AmendmentMotif.choices)
    comment = forms.CharField(
        label="Précisions", required=False, max_length=1000, widget=forms.Textarea
    )


class PrefetOpinionForm(forms.Form):
    opinion = forms.ChoiceField(label="Avis", choices=PrefetOpinionValue.choices)
    comment = forms.CharField(
        label="Commentaire",
        help_text="Entre 10 et 1 000 caractères",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "min_length": "Le commentaire compte au moins 10 caractères.",
            "max_length": "Le commentaire compte au plus 1 000 caractères.",
        },
    )
    transfer_to = core_forms.ModelChoiceField(
        label="Suggérer de transférer les postes à une autre structure (facultatif)",
        queryset=Structure.objects.none(),
        required=False,
    )

    def __init__(self, *args, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["transfer_to"].queryset = structures


COMMENT_ERRORS = {
    "required": "Indiquez un commentaire.",
    "min_length": "Le commentaire compte au moins 10 caractères.",
    "max_length": "Le commentaire compte au plus 1 000 caractères.",
}


class CoordinatorRequestForm(forms.Form):
    """docs/domaine.md#coordinateurs"""

    time = forms.ChoiceField(label="Temps de travail du coordinateur", choices=COORDINATOR_TIMES)
    motivation = forms.CharField(
        label="Motivation",
        help_text="Entre 10 et 2 000 caractères : le territoire et les conseillers qu'il animerait",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Indiquez la motivation de la demande.",
            "min_length": "La motivation compte au moins 10 caractères.",
            "max_length": "La motivation compte au plus 2 000 caractères.",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_coordinateur_%s")  # the page holds other forms' fields
        super().__init__(*args, **kwargs)


class CoordinatorOpinionForm(forms.Form):
    opinion = forms.ChoiceField(
        label="Avis sur le poste de coordinateur", choices=PrefetOpinionValue.choices
    )
    comment = forms.CharField(
        label="Commentaire sur le poste de coordinateur",
        help_text="Entre 10 et 1 000 caractères",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=COMMENT_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_coordinateur_%s")
        super().__init__(*args, **kwargs)


class DesignationForm(forms.Form):
    conseiller = core_forms.ModelChoiceField(
        label="Conseiller désigné coordinateur",
        queryset=None,
        empty_label="Choisir un conseiller en poste",
        error_messages={
            "required": "Choisissez le conseiller à désigner.",
            "invalid_choice": "Ce conseiller n'est pas en poste dans la structure.",
        },
    )

    def __init__(self, *args, conseillers, **kwargs):
        kwargs.setdefault("auto_id", "id_designation_%s")
        super().__init__(*args, **kwargs)
        self.fields["conseiller"].queryset = conseillers
        self.fields["conseiller"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.email})" if u.get_full_name() else u.email
        )


class DesignationRefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        help_text="Il est envoyé à la structure et au conseiller.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif du refus."},
    )


class AmendmentOpinionForm(forms.Form):
    opinion = forms.ChoiceField(label="Avis", choices=PrefetOpinionValue.choices)
    comment = forms.CharField(
        label="Commentaire", min_length=10, max_length=1000, widget=forms.Textarea
    )


class StructureFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous")] + Status.choices, required=False
    )
    type = forms.ChoiceField(
        label="Type", choices=[("", "Tous")] + StructureType.choices, required=False
    )
    attente = forms.BooleanField(label="En attente de décision", required=False)
    zrr = forms.BooleanField(label="En ZRR", required=False)
    qpv = forms.BooleanField(label="En QPV", required=False)
    france_services = forms.BooleanField(label="Labellisée France Services", required=False)
    since = forms.DateField(
        label="Déposée depuis le",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Indiquez une date au format JJ/MM/AAAA."},
    )
    avis = forms.ChoiceField(
        label="Avis du préfet",
        choices=[("", "Tous"), (NO_OPINION, "Sans avis"), *PrefetOpinionValue.choices],
        required=False,
    )
    departement = core_forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous",
    )

    def apply(self, queryset):
        """Filter a queryset annotated with_prefet_opinion()."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for name in ("status", "type", "departement"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        if data["attente"]:
            queryset = queryset.filter(status__in=AWAITING_DECISION)
        if data["avis"]:
            value = None if data["avis"] == NO_OPINION else data["avis"]
            queryset = queryset.filter(prefet_opinion=value)
        for name in ("zrr", "qpv", "france_services"):
            if data[name]:
                queryset = queryset.filter(**{name: True})
        if data["since"]:
            queryset = queryset.filter(confirmed_at__date__gte=data["since"])
        return queryset


# The native picker sends ISO; a typed French date and time is accepted too.
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class CallForInterestForm(forms.ModelForm):
    opens_at = forms.DateTimeField(label="Ouverture", input_formats=DATETIME_INPUTS)
    closes_at = forms.DateTimeField(label="Clôture", input_formats=DATETIME_INPUTS)

    class Meta:
        model = CallForInterest
        fields = ["name", "audience", "opens_at", "closes_at", "text"]

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "La clôture doit suivre l'ouverture.")
        return data


class SessionForm(forms.ModelForm):
    date = forms.DateField(
        label="Date", help_text="JJ/MM/AAAA", input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )

    class Meta:
        model = CommitteeSession
        fields = ["number", "date"]
        error_messages = {"number": {"unique": "Une séance porte déjà ce numéro."}}


def check_posts_requested(form, data, posts_wanted):
    """More posts than the structure asked for only with the box ticked (a typo costs money)."""
    positive = data.get("opinion") == CommitteeOpinion.POSITIF
    posts = (data.get("posts_granted") or 0) if positive else 0
    if posts_wanted and posts > posts_wanted and not data.get("confirm_more_posts"):
        form.add_error(
            "confirm_more_posts",
            f"La structure a demandé {posts_wanted} poste(s) : cochez la case pour en attribuer "
            f"{posts}.",
        )


class DecisionForm(forms.Form):
    opinion = forms.ChoiceField(label="Avis du comité", choices=SESSION_OPINIONS)
    posts_granted = forms.IntegerField(
        label="Postes attribués", min_value=0, max_value=500, required=False
    )
    coordinator_posts_granted = forms.IntegerField(
        label="Postes de coordinateur attribués",
        help_text="Total après la décision, y compris ceux déjà attribués : en ajouter un "
        "accorde la demande de coordinateur en cours, sinon elle est refusée",
        min_value=0,
        max_value=50,
        required=False,
        error_messages={"min_value": "Le nombre de postes de coordinateur ne peut être négatif."},
    )
    confirm_more_posts = forms.BooleanField(
        label="Je confirme attribuer plus de postes que la structure n'en a demandé",
        required=False,
    )
    priority = forms.BooleanField(label="Prioritaire", required=False)
    observations = forms.CharField(
        label="Observations", required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, posts_wanted=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.posts_wanted = posts_wanted

    def clean(self):
        data = super().clean()
        if data.get("opinion") == CommitteeOpinion.POSITIF and not data.get("posts_granted"):
            self.add_error("posts_granted", "Un avis positif attribue au moins un poste.")
        check_posts_requested(self, data, self.posts_wanted)
        data.pop("confirm_more_posts", None)
        return data


class DecisionCorrectionForm(forms.Form):
    opinion = forms.ChoiceField(
        label="Décision corrigée",
        choices=[("", "Choisir une décision"), *CommitteeOpinion.choices],
        error_messages={"required": "Choisissez la décision corrigée."},
    )
    posts_granted = forms.IntegerField(
        label="Postes attribués (avis positif seulement)",
        min_value=0,
        max_value=500,
        required=False,
    )
    confirm_more_posts = forms.BooleanField(
        label="Je confirme attribuer plus de postes que la structure n'en a demandé",
        required=False,
    )
    reason = forms.CharField(
        label="Motif de la correction",
        help_text="Il figure dans l'historique de la structure et dans le registre budgétaire.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de la correction."},
    )

    def __init__(self, *args, posts_wanted=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.posts_wanted = posts_wanted

    def clean(self):
        data = super().clean()
        if data.get("opinion") == CommitteeOpinion.POSITIF and not data.get("posts_granted"):
            self.add_error("posts_granted", "Un avis positif attribue au moins un poste.")
        if data.get("opinion") != CommitteeOpinion.POSITIF:
            data["posts_granted"] = 0
        check_posts_requested(self, data, self.posts_wanted)
        data.pop("confirm_more_posts", None)
        return data


class StatusChangeForm(forms.Form):
    """The administration's status change: no status chosen in advance, a reason always."""

    to = forms.ChoiceField(
        label="Nouveau statut",
        error_messages={"required": "Choisissez le nouveau statut."},
    )
    siret = forms.CharField(
        label="SIRET de la structure d'origine (doublon seulement)",
        max_length=20,
        required=False,
    )
    comment = forms.CharField(
        label="Motif",
        help_text="Il figure dans l'historique de la structure.",
        max_length=1000,
        error_messages={"required": "Indiquez le motif du changement de statut."},
    )

    def __init__(self, *args, actions=(), **kwargs):
        kwargs.setdefault("auto_id", "id_statut_%s")  # the page holds other forms' fields
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "Choisir un statut"), *actions]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == Status.DOUBLON and not cleaned.get("siret"):
            self.add_error("siret", "Indiquez le SIRET de la structure d'origine.")
        return cleaned
