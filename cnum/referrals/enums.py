"""Value lists of referrals (docs/orientations.md)."""

from django.db import models


class Status(models.TextChoices):
    ENVOYEE = "envoyee", "Envoyée, en attente de réponse"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    DEJA_PRISE_EN_CHARGE = "deja_prise_en_charge", "Déjà prise en charge"
    EXPIREE = "expiree", "Expirée sans réponse"
    CLOSE = "close", "Close par le conseiller"


# The receiver's answers, offered on the page of the link and in the managers' space.
ANSWERS = (Status.ACCEPTEE, Status.REFUSEE, Status.DEJA_PRISE_EN_CHARGE)
# Statuses after which nothing is awaited any more (the retention delay starts).
ENDED = (*ANSWERS, Status.EXPIREE, Status.CLOSE)


class RefusalReason(models.TextChoices):
    HORS_COMPETENCE = "hors_competence", "La demande ne relève pas de nos missions"
    HORS_TERRITOIRE = "hors_territoire", "La personne n'habite pas notre territoire"
    COMPLET = "complet", "Nous ne pouvons pas accueillir de nouvelle personne pour le moment"
    INJOIGNABLE = "injoignable", "La personne n'a pas pu être jointe"
    AUTRE = "autre", "Autre motif"


class ReceiverType(models.TextChoices):
    LIEU = "lieu", "Lieu de l'annuaire"
    STRUCTURE = "structure", "Structure de la plateforme"
