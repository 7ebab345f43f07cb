"""Enumerations of the training part (values follow the programme's data formats)."""

import datetime

from django.db import models

# The programme's first trainings ended on this day: no end of training can be earlier.
EARLIEST_TRAINING_END = datetime.date(2020, 11, 17)


class SessionFormat(models.TextChoices):
    PRESENTIEL = "presentiel", "En présentiel"
    DISTANCIEL = "distanciel", "À distance"
    HYBRIDE = "hybride", "Hybride (présentiel et distance)"


class EnrolmentStatus(models.TextChoices):
    INSCRITE = "inscrite", "Inscrit"
    EN_COURS = "en_cours", "En formation"
    TERMINEE = "terminee", "Formation terminée"
    ABANDONNEE = "abandonnee", "Formation abandonnée"
    ANNULEE = "annulee", "Inscription annulée"


# Enrolments that occupy a seat of their session (a cancelled one frees it).
HOLDING_SEAT = (
    EnrolmentStatus.INSCRITE,
    EnrolmentStatus.EN_COURS,
    EnrolmentStatus.TERMINEE,
    EnrolmentStatus.ABANDONNEE,
)
# At most one of these per conseiller at a time.
OPEN = (EnrolmentStatus.INSCRITE, EnrolmentStatus.EN_COURS)


class CertificationType(models.TextChoices):
    CCP1 = "CCP1", "CCP1 — Responsable d'espace de médiation numérique"
    PIX = "PIX", "Certification Pix"


class CertificationResult(models.TextChoices):
    ADMIS = "admis", "Admis"
    AJOURNE = "ajourne", "Ajourné"
    EN_ATTENTE = "en_attente", "En attente du résultat"


class ConseillerState(models.TextChoices):
    A_PROGRAMMER = "a_programmer", "Recrutement validé, formation à programmer"
    EN_FORMATION = "en_formation", "En formation"
    EN_ACTIVITE = "en_activite", "En activité"


# Comment of the moves made by a CSV import: historical data, nobody is e-mailed about it.
IMPORT_COMMENT = "Import CSV"
