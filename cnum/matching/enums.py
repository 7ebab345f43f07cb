"""Match statuses of docs/domaine.md#statuts-mise-en-relation (values follow the national data
format)."""

from django.db import models


class MatchStatus(models.TextChoices):
    NOUVELLE = "nouvelle", "Nouvelle"
    INTERESSEE = "interessee", "Présélectionnée"
    NON_INTERESSEE = "nonInteressee", "Non retenue"
    RECRUTEE = "recrutee", "Recrutement demandé"
    FINALISEE = "finalisee", "Recrutement validé"
    NOUVELLE_RUPTURE = "nouvelle_rupture", "Rupture de contrat signalée"
    FINALISEE_RUPTURE = "finalisee_rupture", "Rupture de contrat validée"
    RENOUVELLEMENT_INITIE = "renouvellement_initie", "Renouvellement en cours"
    TERMINEE = "terminee", "Contrat terminé"
    NON_DISPONIBLE = "non_disponible", "Candidat non disponible"
    FINALISEE_NON_DISPONIBLE = "finalisee_non_disponible", "Candidat recruté ailleurs"
    # Left untouched past the delay of docs/domaine.md#mises-en-relation-perimees.
    EXPIREE = "expiree", "Sans suite (délai dépassé)"


S = MatchStatus

# Posts held: these count against the structure's quota (docs/domaine.md#quota); a contract
# being renewed still holds its post.
HOLDING_POST = (S.RECRUTEE, S.FINALISEE, S.NOUVELLE_RUPTURE, S.RENOUVELLEMENT_INITIE)
# Still a possible recruitment: closed by the platform when the candidate goes elsewhere.
OPEN = (S.NOUVELLE, S.INTERESSEE, S.NON_INTERESSEE, S.EXPIREE)
# Waiting for the structure: closed by the platform past a delay (matching.staleness).
STALE_AFTER = (S.NOUVELLE, S.INTERESSEE)
# What a structure may set aside until a date (batch "reporter").
POSTPONABLE = (S.NOUVELLE, S.INTERESSEE)
# The person works (or is about to) for the structure under this match.
EMPLOYED = (S.FINALISEE, S.NOUVELLE_RUPTURE, S.RENOUVELLEMENT_INITIE)


class ContactStatus(models.TextChoices):
    """A structure's request to contact a candidate found outside the candidate's own zone."""

    EN_ATTENTE = "en_attente", "En attente de réponse"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"


class RevealKind(models.TextChoices):
    CONTACT = "coordonnees", "Coordonnées (adresse électronique, téléphone)"
    CV = "cv", "CV"


class RefusalReason(models.TextChoices):
    """Reasons a structure may give a candidate it does not retain (sent only when chosen)."""

    PROFIL = "profil", "Votre profil ne correspond pas au poste proposé"
    POURVU = "pourvu", "Le poste est déjà pourvu"
    DISTANCE = "distance", "Votre domicile est trop éloigné du lieu de travail"
    DISPONIBILITE = "disponibilite", "Votre date de disponibilité ne convient pas"
    AUTRE = "autre", "La structure a retenu d'autres candidatures"


class PostponeDelay(models.IntegerChoices):
    """How long a batch "reporter" hides candidates from their tab (days)."""

    DEUX_SEMAINES = 14, "2 semaines"
    UN_MOIS = 30, "1 mois"
    DEUX_MOIS = 60, "2 mois"
