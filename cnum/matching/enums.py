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


S = MatchStatus

# Posts held: these count against the structure's quota (docs/domaine.md#quota); a contract
# being renewed still holds its post.
HOLDING_POST = (S.RECRUTEE, S.FINALISEE, S.NOUVELLE_RUPTURE, S.RENOUVELLEMENT_INITIE)
# Still a possible recruitment: closed by the platform when the candidate goes elsewhere.
OPEN = (S.NOUVELLE, S.INTERESSEE, S.NON_INTERESSEE)
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
