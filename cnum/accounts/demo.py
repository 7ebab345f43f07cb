"""Demo data for development and browser tests: one account per role, public passwords.

Never run outside DEBUG (the seed_demo command refuses). Later parts add their own `seed`
function to seed_demo.SEEDERS and read what this one created from the shared `context`.
"""

import base64
from typing import NamedTuple

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.models import Organisation, User
from cnum.accounts.roles import ROLES_REQUIRING_2FA, OrganisationKind, Role
from cnum.territories.models import Departement

DEMO_DOMAIN = "demo.conseiller-numerique.fr"
DEMO_PASSWORD = "Demo-cnum-2026!"
# A well-known, documented secret: anyone may add it to an authenticator app. Demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


class DemoAccount(NamedTuple):
    email: str
    role: str
    label: str


DEMO_ACCOUNTS = (
    DemoAccount(f"candidat@{DEMO_DOMAIN}", Role.CANDIDAT, "Candidate au poste de conseiller"),
    DemoAccount(
        f"structure@{DEMO_DOMAIN}", Role.GESTIONNAIRE_STRUCTURE, "Gestionnaire de structure"
    ),
    DemoAccount(f"prefet@{DEMO_DOMAIN}", Role.PREFET, "Agent de la préfecture du Rhône"),
    DemoAccount(f"coordinateur@{DEMO_DOMAIN}", Role.COORDINATEUR, "Coordinateur"),
    DemoAccount(f"formation@{DEMO_DOMAIN}", Role.ORGANISME_FORMATION, "Organisme de formation"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", Role.ADMINISTRATEUR, "Administrateur national"),
    DemoAccount(f"financeur@{DEMO_DOMAIN}", Role.OPERATEUR_FINANCIER, "Opérateur de financement"),
    DemoAccount(f"conseiller@{DEMO_DOMAIN}", Role.CONSEILLER, "Conseiller numérique"),
    DemoAccount(f"aidant@{DEMO_DOMAIN}", Role.AIDANT, "Aidant habilité Aidants Connect"),
    DemoAccount(f"hub@{DEMO_DOMAIN}", Role.HUB, "Hub territorial Auvergne-Rhône-Alpes"),
    DemoAccount(f"reseau@{DEMO_DOMAIN}", Role.GRAND_RESEAU, "Grand réseau La Poste"),
)

# key in context["organisations"]: (kind, name, département code or None)
DEMO_ORGANISATIONS = {
    "structure": (OrganisationKind.STRUCTURE, "Association Lyon Numérique (démo)", "69"),
    "prefecture": (OrganisationKind.PREFECTURE, "Préfecture du Rhône (démo)", "69"),
    "formation": (OrganisationKind.ORGANISME_FORMATION, "Rhône Formation Numérique (démo)", "69"),
    "administration": (OrganisationKind.ADMINISTRATION, "Administration nationale (démo)", None),
    "operateur": (OrganisationKind.OPERATEUR_FINANCIER, "Opérateur de financement (démo)", None),
    # A hub covers the région of this département (its row names the région only).
    "hub": (OrganisationKind.HUB, "Hub territorial — Auvergne-Rhône-Alpes (démo)", "69"),
    # Made a structures.Network by the structures seeder (same row), with demo members.
    "reseau": (OrganisationKind.RESEAU, "La Poste", None),
}
ROLE_ORGANISATION = {
    Role.CANDIDAT: None,
    Role.GESTIONNAIRE_STRUCTURE: "structure",
    Role.COORDINATEUR: "structure",
    Role.CONSEILLER: "structure",
    Role.AIDANT: "structure",
    Role.PREFET: "prefecture",
    Role.ORGANISME_FORMATION: "formation",
    Role.ADMINISTRATEUR: "administration",
    Role.OPERATEUR_FINANCIER: "operateur",
    Role.HUB: "hub",
    Role.GRAND_RESEAU: "reseau",
}


class MissingReferenceData(Exception):
    pass


def seed_organisations():
    organisations = {}
    for key, (kind, name, departement_code) in DEMO_ORGANISATIONS.items():
        departement = None
        if departement_code:
            departement = Departement.objects.filter(code=departement_code).first()
            if departement is None:
                raise MissingReferenceData(departement_code)
        organisations[key], _ = Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={
                "departement": None if kind == OrganisationKind.HUB else departement,
                "region_id": departement.region_id if departement else None,
            },
        )
    return organisations


def seed_account(account, organisation):
    user, created = User.objects.get_or_create(
        email=account.email,
        defaults={
            "first_name": "Démo",
            "last_name": account.label,
            "email_confirmed_at": timezone.now(),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    grants.grant(user, account.role, organisation)
    if account.role in ROLES_REQUIRING_2FA:
        TOTPDevice.objects.get_or_create(
            user=user, name="Démo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
    return user


def seed(context):
    """Organisations and one account per role; fills context["organisations"] and ["users"]."""
    organisations = context.setdefault("organisations", {})
    organisations.update(seed_organisations())
    users = context.setdefault("users", {})
    for account in DEMO_ACCOUNTS:
        key = ROLE_ORGANISATION[account.role]
        users[account.role] = seed_account(account, organisations[key] if key else None)
