"""The domains and durations of a mandate (docs/domaine.md#aidants-connect): values are
exchanged, keep them."""

from django.db import models


class Domain(models.TextChoices):
    PAPIERS = "papiers", "Papiers – Citoyenneté – Élections"
    FAMILLE = "famille", "Famille – Scolarité"
    SOCIAL = "social", "Social – Santé"
    TRAVAIL = "travail", "Travail – Formation"
    LOGEMENT = "logement", "Logement"
    TRANSPORTS = "transports", "Transports – Mobilité"
    ARGENT = "argent", "Argent – Impôts – Consommation"
    JUSTICE = "justice", "Justice"
    ETRANGER = "etranger", "Étranger – Europe"
    LOISIRS = "loisirs", "Loisirs – Sport – Culture"


class Duration(models.IntegerChoices):
    ONE_DAY = 1, "1 jour"
    ONE_MONTH = 31, "1 mois (31 jours)"
    SIX_MONTHS = 182, "6 mois (182 jours)"
    TWELVE_MONTHS = 365, "12 mois (365 jours)"


class IdentityMethod(models.TextChoices):
    FRANCECONNECT = "franceconnect", "FranceConnect"
    VERIFICATION_MANUELLE = "verification_manuelle", "Vérification manuelle d'un justificatif"
