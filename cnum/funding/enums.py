"""Enumerations of the funding part (docs/domaine.md#conventionnement for convention statuses,
docs/domaine.md#financement for the rest)."""

from django.db import models


class EnvelopePurpose(models.TextChoices):
    CONSEILLERS = "CONSEILLERS", "Conseillers numériques (subvention des postes)"
    KITS = "KITS", "Kits d'espaces de médiation numérique"
    AIDANTS_CONNECT = "AIDANTS_CONNECT", "Aidants Connect"


class HostCategory(models.TextChoices):
    """Lines of the grid: the territory wins over the kind of structure."""

    PUBLIC_MAINLAND = "PUBLIC_METROPOLE", "Structure publique, métropole"
    PRIVATE = "PRIVEE", "Structure privée"
    ANTILLES_GUYANE = "ANTILLES_GUYANE", "Guadeloupe, Martinique, Guyane"
    REUNION_MAYOTTE = "REUNION_MAYOTTE", "La Réunion, Mayotte"


ANTILLES_GUYANE = frozenset({"971", "972", "973"})
REUNION_MAYOTTE = frozenset({"974", "976"})


class EntryKind(models.TextChoices):
    COMMITMENT = "ENGAGEMENT", "Engagement"
    DECOMMITMENT = "DESENGAGEMENT", "Désengagement"
    PAYMENT = "VERSEMENT", "Versement"
    RECOVERY = "REVERSEMENT", "Reversement (titre de recette)"


class ConventionStatus(models.TextChoices):
    NON_INTERESSE = "NON_INTERESSE", "Conventionnement à engager"
    CONVENTIONNEMENT_EN_COURS = "CONVENTIONNEMENT_EN_COURS", "Conventionnement en cours"
    CONVENTIONNEMENT_VALIDE = "CONVENTIONNEMENT_VALIDE", "Conventionnement validé"
    RECONVENTIONNEMENT_INITIE = "RECONVENTIONNEMENT_INITIE", "Reconventionnement initié"
    RECONVENTIONNEMENT_VALIDE = "RECONVENTIONNEMENT_VALIDE", "Reconventionnement validé"


class DossierPhase(models.TextChoices):
    INITIAL = "INITIAL", "Conventionnement"
    RENEWAL = "RENOUVELLEMENT", "Reconventionnement"


class DossierStatus(models.TextChoices):
    BROUILLON = "BROUILLON", "En préparation"
    DEPOSE = "DEPOSE", "Déposé, en attente d'examen"
    A_COMPLETER = "A_COMPLETER", "À compléter"
    VALIDE = "VALIDE", "Validé"
    REFUSE = "REFUSE", "Refusé"


# Dossiers the structure may still add documents to.
EDITABLE_DOSSIER = (DossierStatus.BROUILLON, DossierStatus.A_COMPLETER)


class PaymentStatus(models.TextChoices):
    DEMANDEE = "DEMANDEE", "Demandé, en attente d'examen"
    APPROUVEE = "APPROUVEE", "Approuvé, en attente de mise en paiement"
    VERSEE = "VERSEE", "Versé"
    REFUSEE = "REFUSEE", "Refusé"
    ANNULEE = "ANNULEE", "Annulé par la structure"


OPEN_PAYMENT = (PaymentStatus.DEMANDEE, PaymentStatus.APPROUVEE)


class KitStatus(models.TextChoices):
    DEMANDEE = "DEMANDEE", "Demandé, en attente d'examen"
    ACCORDEE = "ACCORDEE", "Accordé, livraison à préparer"
    REFUSEE = "REFUSEE", "Refusé"
    ANNULEE = "ANNULEE", "Annulé par la structure"
    EXPEDIEE = "EXPEDIEE", "Expédié"
    LIVREE = "LIVREE", "Livré"
