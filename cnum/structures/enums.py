"""Enumerations of docs/domaine.md#structures (values follow the national data formats)."""

from django.db import models


class StructureType(models.TextChoices):
    COMMUNE = "COMMUNE", "Commune"
    EPCI = "EPCI", "Établissement public de coopération intercommunale (EPCI)"
    DEPARTEMENT = "DEPARTEMENT", "Département"
    REGION = "REGION", "Région"
    COLLECTIVITE = "COLLECTIVITE", "Autre collectivité territoriale"
    GIP = "GIP", "Groupement d'intérêt public (GIP)"
    PRIVATE = "PRIVATE", "Structure privée (association, entreprise de l'ESS, autre)"


PUBLIC_TYPES = frozenset(StructureType.values) - {StructureType.PRIVATE}


class Status(models.TextChoices):
    CREEE = "CREEE", "Déposée, non encore examinée"
    EXAMEN_COMPLEMENTAIRE_COSELEC = "EXAMEN_COMPLEMENTAIRE_COSELEC", "Examen complémentaire"
    VALIDATION_COSELEC = "VALIDATION_COSELEC", "Validée par le comité"
    REFUS_COSELEC = "REFUS_COSELEC", "Refusée par le comité"
    ABANDON = "ABANDON", "Abandonnée"
    ANNULEE = "ANNULEE", "Annulée"
    DOUBLON = "DOUBLON", "Doublon"


# Applications a préfet or the committee still has to look at.
AWAITING_DECISION = (Status.CREEE, Status.EXAMEN_COMPLEMENTAIRE_COSELEC)
# Closed files: a confirmed application in any other status holds its SIRET.
CLOSED = (Status.ABANDON, Status.ANNULEE, Status.DOUBLON)


class CoordinatorPost(models.TextChoices):
    NONE = "", "Pas de poste de coordinateur"
    PART_TIME = "TEMPS_PARTIEL", "Coordinateur à temps partiel"
    FULL_TIME = "TEMPS_PLEIN", "Coordinateur à temps plein"


# A coordinator post asked for or granted: part or full time (docs/domaine.md#coordinateurs).
COORDINATOR_TIMES = [(v, label) for v, label in CoordinatorPost.choices if v]


class CoordinatorRequestStatus(models.TextChoices):
    DEMANDEE = "DEMANDEE", "En attente de décision"
    ACCORDEE = "ACCORDEE", "Accordée par le comité"
    REFUSEE = "REFUSEE", "Refusée par le comité"
    ANNULEE = "ANNULEE", "Annulée par la structure"


class DesignationStatus(models.TextChoices):
    PROPOSEE = "PROPOSEE", "À valider par l'administration"
    VALIDEE = "VALIDEE", "Validée"
    REFUSEE = "REFUSEE", "Refusée"
    ANNULEE = "ANNULEE", "Annulée par la structure"
    TERMINEE = "TERMINEE", "Terminée : le conseiller a quitté la structure"


class PostType(models.TextChoices):
    CONSEILLER = "CONSEILLER", "Conseiller numérique"
    COORDINATEUR = "COORDINATEUR", "Coordinateur"


class Audience(models.TextChoices):
    PUBLIC = "PUBLIC", "Acteurs publics"
    PRIVATE = "PRIVATE", "Acteurs privés"
    BOTH = "BOTH", "Acteurs publics et privés"


class PrefetOpinionValue(models.TextChoices):
    FAVORABLE = "FAVORABLE", "Favorable"
    DEFAVORABLE = "DEFAVORABLE", "Défavorable"


class CommitteeOpinion(models.TextChoices):
    POSITIF = "POSITIF", "Positif"
    NEGATIF = "NEGATIF", "Négatif"
    EXAMEN_COMPLEMENTAIRE = "EXAMEN_COMPLEMENTAIRE", "Examen complémentaire"
    # Only through a correction (services.correct_decision): the decision no longer counts.
    ANNULEE = "ANNULEE", "Décision annulée"


# What the committee can decide in a session (a cancellation is a correction, not a decision).
SESSION_OPINIONS = [
    (value, label) for value, label in CommitteeOpinion.choices if value != CommitteeOpinion.ANNULEE
]


DECISION_STATUS = {
    CommitteeOpinion.POSITIF: Status.VALIDATION_COSELEC,
    CommitteeOpinion.NEGATIF: Status.REFUS_COSELEC,
    CommitteeOpinion.EXAMEN_COMPLEMENTAIRE: Status.EXAMEN_COMPLEMENTAIRE_COSELEC,
}


class AmendmentKind(models.TextChoices):
    AJOUT = "AJOUT", "Demande de postes supplémentaires"
    RETRAIT = "RETRAIT", "Rendu de postes"


class AmendmentMotif(models.TextChoices):
    BESOINS_SUPPLEMENTAIRES = "besoins_supplementaires", "Besoins supplémentaires du territoire"
    NOUVEAU_LIEU = "nouveau_lieu", "Ouverture d'un nouveau lieu de médiation"
    FIN_DE_SUBVENTIONNEMENT = "fin_de_subventionnement", "Fin de subventionnement"
    DIFFICULTES_RECRUTEMENT = "difficultes_recrutement", "Difficultés de recrutement"
    REORGANISATION = "reorganisation", "Réorganisation de la structure"
    AUTRE = "autre", "Autre motif"


class AmendmentStatus(models.TextChoices):
    DEMANDEE = "DEMANDEE", "En attente de décision"
    ACCEPTEE = "ACCEPTEE", "Acceptée"
    REFUSEE = "REFUSEE", "Refusée"
    ANNULEE = "ANNULEE", "Annulée par la structure"
