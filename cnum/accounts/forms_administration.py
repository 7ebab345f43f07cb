"""Forms of the national administration's account screens."""

from django import forms

from cnum.accounts import grants
from cnum.accounts.forms import email_field
from cnum.accounts.models import Organisation
from cnum.accounts.roles import (
    ADMINISTRATION_GRANTED_ROLES,
    ROLE_ORGANISATION_KIND,
    OrganisationKind,
    Role,
)
from cnum.territories.models import Departement, Region

NO_CHOICE = [("", "Choisir dans la liste")]


def departement_choices(empty="Choisir dans la liste"):
    departements = Departement.objects.order_by("code").values_list("code", "nom")
    return [("", empty)] + [(code, f"{code} — {nom}") for code, nom in departements]


def region_choices():
    regions = Region.objects.order_by("nom").values_list("code", "nom")
    return NO_CHOICE + list(regions)


def _networks():
    # A network is an organisation (structures.Network, multi-table inheritance): listed without
    # importing the structures app, which sits above this one.
    return Organisation.objects.filter(kind=OrganisationKind.RESEAU, as_network__active=True)


def network_choices():
    return NO_CHOICE + [
        (str(pk), name) for pk, name in _networks().order_by("name").values_list("pk", "name")
    ]


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom, prénom ou adresse électronique",
    )
    role = forms.ChoiceField(label="Rôle", required=False)
    departement = forms.ChoiceField(label="Département", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Tous les rôles"), *Role.choices]
        self.fields["departement"].choices = departement_choices("Tous les départements")


class ScopeForm(forms.Form):
    """Where a role granted by the administration applies (its organisation)."""

    departement = forms.ChoiceField(
        label="Département",
        required=False,
        help_text="Préfet : le département couvert (ou bien une région ci-dessous).",
    )
    region = forms.ChoiceField(
        label="Région",
        required=False,
        help_text="Préfet de région : laisser le département vide. Hub territorial : sa région "
        "(attribuer le rôle une fois par région couverte).",
    )
    network = forms.ChoiceField(
        label="Grand réseau",
        required=False,
        help_text="Grand réseau : le réseau national dont la personne suit les structures.",
    )
    siret = forms.CharField(
        label="SIRET de la structure",
        required=False,
        max_length=17,
        help_text="Coordinateur : les 14 chiffres du SIRET de la structure employeuse.",
    )

    def __init__(self, *args, role=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.fields["departement"].choices = departement_choices()
        self.fields["region"].choices = region_choices()
        self.fields["network"].choices = network_choices()

    def role_value(self):
        return self.role

    def clean(self):
        data = super().clean()
        role = self.role_value()
        if role not in ADMINISTRATION_GRANTED_ROLES:
            return data
        scope = ADMINISTRATION_GRANTED_ROLES[role]
        try:
            data["organisation"] = getattr(self, f"_organisation_{scope}")(data)
        except forms.ValidationError as error:
            self.add_error(error.code, error)
        return data

    def _organisation_territoire(self, data):
        departement, region = data.get("departement"), data.get("region")
        if bool(departement) == bool(region):
            raise forms.ValidationError(
                "Choisissez soit un département, soit une région (pour un préfet de région).",
                code="departement",
            )
        if departement:
            return grants.prefecture_for(departement=Departement.objects.get(code=departement))
        return grants.prefecture_for(region=Region.objects.get(code=region))

    def _organisation_region(self, data):
        if not data.get("region"):
            raise forms.ValidationError("Choisissez la région couverte par le hub.", code="region")
        return grants.hub_for(Region.objects.get(code=data["region"]))

    def _organisation_reseau(self, data):
        network = _networks().filter(pk=data.get("network") or None).first()
        if network is None:
            raise forms.ValidationError("Choisissez le grand réseau.", code="network")
        return network

    def _organisation_structure(self, data):
        siret = "".join(ch for ch in data.get("siret", "") if ch.isdigit())
        if len(siret) != 14:
            raise forms.ValidationError(
                "Saisissez les 14 chiffres du SIRET de la structure.", code="siret"
            )
        # A structure is an organisation (multi-table inheritance): found without importing
        # the structures app, which sits above this one.
        structure = (
            Organisation.objects.filter(kind=OrganisationKind.STRUCTURE, structure__siret=siret)
            .order_by("-pk")
            .first()
        )
        if structure is None:
            raise forms.ValidationError("Aucune structure n'a ce SIRET.", code="siret")
        return structure

    def _organisation_national(self, data):
        return grants.national_organisation(ROLE_ORGANISATION_KIND[Role(self.role_value())])


class GrantForm(ScopeForm):
    """A role to grant, with its scope."""

    role = forms.ChoiceField(label="Rôle")
    field_order = ["role", "departement", "region", "siret", "network"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = NO_CHOICE + [
            (role.value, role.label) for role in ADMINISTRATION_GRANTED_ROLES
        ]

    def role_value(self):
        return self.cleaned_data.get("role")


class InviteForm(GrantForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = email_field()
    field_order = [
        "first_name",
        "last_name",
        "email",
        "role",
        "departement",
        "region",
        "siret",
        "network",
    ]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Inscrit au journal du compte.",
        error_messages={"required": "Indiquez le motif : il est inscrit au journal du compte."},
    )
