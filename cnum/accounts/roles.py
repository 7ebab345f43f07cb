"""Roles a user may hold, the organisation each one belongs to, and which ones need 2FA."""

from django.db import models


class Role(models.TextChoices):
    CANDIDAT = "candidat", "Candidat"
    GESTIONNAIRE_STRUCTURE = "gestionnaire_structure", "Gestionnaire de structure"
    PREFET = "prefet", "Préfet"
    COORDINATEUR = "coordinateur", "Coordinateur"
    ORGANISME_FORMATION = "organisme_formation", "Membre d'organisme de formation"
    ADMINISTRATEUR = "administrateur", "Administrateur national"
    OPERATEUR_FINANCIER = "operateur_financier", "Opérateur de financement"
    CONSEILLER = "conseiller", "Conseiller numérique"
    AIDANT = "aidant", "Aidant"
    HUB = "hub", "Hub territorial"
    GRAND_RESEAU = "grand_reseau", "Grand réseau"


class OrganisationKind(models.TextChoices):
    STRUCTURE = "structure", "Structure d'accueil"
    PREFECTURE = "prefecture", "Préfecture"
    ORGANISME_FORMATION = "organisme_formation", "Organisme de formation"
    ADMINISTRATION = "administration", "Administration nationale"
    OPERATEUR_FINANCIER = "operateur_financier", "Opérateur de financement"
    HUB = "hub", "Hub territorial"
    # A national network (structures.Network, one organisation row per network).
    RESEAU = "reseau", "Grand réseau"


# The kind of organisation a membership of each role belongs to (None: no organisation).
ROLE_ORGANISATION_KIND = {
    Role.CANDIDAT: None,
    Role.GESTIONNAIRE_STRUCTURE: OrganisationKind.STRUCTURE,
    Role.COORDINATEUR: OrganisationKind.STRUCTURE,
    Role.CONSEILLER: OrganisationKind.STRUCTURE,
    Role.AIDANT: OrganisationKind.STRUCTURE,
    Role.PREFET: OrganisationKind.PREFECTURE,
    Role.ORGANISME_FORMATION: OrganisationKind.ORGANISME_FORMATION,
    Role.ADMINISTRATEUR: OrganisationKind.ADMINISTRATION,
    Role.OPERATEUR_FINANCIER: OrganisationKind.OPERATEUR_FINANCIER,
    Role.HUB: OrganisationKind.HUB,
    Role.GRAND_RESEAU: OrganisationKind.RESEAU,
}

# Roles handling public money, decisions or mandates, or reading the personal data of many
# structures' conseillers (hubs, networks): TOTP is never optional for them.
ROLES_REQUIRING_2FA = frozenset(
    {
        Role.ADMINISTRATEUR,
        Role.PREFET,
        Role.OPERATEUR_FINANCIER,
        Role.AIDANT,
        Role.HUB,
        Role.GRAND_RESEAU,
    }
)

# Roles the national administration grants from its account screens, and what each one is
# scoped to: a territory (département or région), a région alone, a structure, a national
# network, or the whole country. A role declared later joins by adding a line here (and its
# organisation kind above).
SCOPE_TERRITORY, SCOPE_STRUCTURE, SCOPE_NATIONAL = "territoire", "structure", "national"
SCOPE_REGION, SCOPE_NETWORK = "region", "reseau"
ADMINISTRATION_GRANTED_ROLES = {
    Role.PREFET: SCOPE_TERRITORY,
    Role.ADMINISTRATEUR: SCOPE_NATIONAL,
    Role.OPERATEUR_FINANCIER: SCOPE_NATIONAL,
    Role.COORDINATEUR: SCOPE_STRUCTURE,
    # A hub covering several régions holds one role per région (docs/domaine.md#hubs-et-reseaux).
    Role.HUB: SCOPE_REGION,
    Role.GRAND_RESEAU: SCOPE_NETWORK,
}
