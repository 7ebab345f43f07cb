from django import forms

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.communication.models import Announcement, FaqEntry, Mailing, Resource
from cnum.core.forms import ModelChoiceField, ModelMultipleChoiceField
from cnum.structures.models import Network
from cnum.territories.models import Departement, Region

ROLE_REQUIRED = "Choisissez au moins un rôle."


def role_field(label="Rôles destinataires", required=True):
    return forms.MultipleChoiceField(
        label=label,
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": ROLE_REQUIRED},
    )


def territory_fields(form):
    form.fields["departements"] = ModelMultipleChoiceField(
        Departement.objects.order_by("code"),
        label="Départements",
        required=False,
        help_text="Sans département ni région : toute la France.",
    )
    form.fields["regions"] = ModelMultipleChoiceField(
        Region.objects.order_by("nom"), label="Régions", required=False
    )


class MailingForm(forms.ModelForm):
    roles = role_field()
    team_coordinator = ModelChoiceField(
        User.objects.none(),
        label="Équipe d'un coordinateur",
        required=False,
        help_text="Limite l'envoi aux conseillers de l'équipe de ce coordinateur.",
    )

    class Meta:
        model = Mailing
        fields = ["subject", "body", "kind", "roles", "departements", "regions", "networks"]
        fields += ["team_coordinator"]
        widgets = {"kind": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 12})}
        error_messages = {
            "subject": {"required": "Saisissez l'objet du courriel."},
            "body": {"required": "Saisissez le message."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory_fields(self)
        self.fields["networks"] = ModelMultipleChoiceField(
            Network.objects.active(),
            label="Grands réseaux",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Sans réseau coché : toutes les structures.",
        )
        self.fields["team_coordinator"].queryset = (
            User.objects.filter(memberships__role=Role.COORDINATEUR, memberships__is_active=True)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["body"].help_text = (
            "Texte brut. Le pied du courriel (signature, lien de désabonnement des messages "
            "d'information) est ajouté à l'envoi."
        )


class AnnouncementForm(forms.ModelForm):
    roles = role_field()

    class Meta:
        model = Announcement
        fields = ["title", "body", "level", "link", "roles", "departements", "regions"]
        fields += ["starts_at", "ends_at", "dismissable"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3}), "level": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Saisissez le titre de l'annonce."},
            "body": {"required": "Saisissez le texte de l'annonce."},
            "starts_at": {"required": "Indiquez le début de l'affichage."},
            "ends_at": {"required": "Indiquez la fin de l'affichage."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory_fields(self)
        self.fields["link"].help_text = "Une adresse du site (/…) ou une adresse en https://."

    def clean_link(self):
        link = self.cleaned_data["link"].strip()
        if (
            link
            and not (link.startswith("/") and not link.startswith("//"))
            and not (link.startswith("https://"))
        ):
            raise forms.ValidationError(
                "Le lien commence par / (une page du site) ou par https://."
            )
        return link

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "La fin de l'affichage doit suivre son début.")
        return cleaned


class ResourceForm(forms.ModelForm):
    roles = role_field("Rôles concernés")

    class Meta:
        model = Resource
        fields = ["title", "slug", "category", "description", "roles"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": "Saisissez le titre du document."},
            "slug": {
                "required": "Saisissez l'identifiant du document (ex. modele-convention).",
                "unique": "Un document porte déjà cet identifiant.",
            },
            "category": {"required": "Choisissez la catégorie."},
        }

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in ("gestion", "versions"):
            raise forms.ValidationError("Cet identifiant est réservé : choisissez-en un autre.")
        return slug


class VersionForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, ODT ou DOCX, 20 Mo au plus.",
        error_messages={"required": "Choisissez un fichier à déposer (PDF, ODT ou DOCX)."},
    )
    note = forms.CharField(label="Nouveautés de cette version", max_length=300, required=False)


class FaqForm(forms.ModelForm):
    roles = role_field("Rôles concernés", required=False)

    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "roles", "is_public", "position"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "question": {"required": "Saisissez la question."},
            "answer": {"required": "Saisissez la réponse."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].help_text = "Sans rôle coché : la question n'est montrée qu'au public."

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("roles") and not cleaned.get("is_public"):
            self.add_error("roles", "Choisissez au moins un rôle, ou rendez la question publique.")
        return cleaned
