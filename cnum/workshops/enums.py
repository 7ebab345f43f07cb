"""Value lists of workshops: CRA thématiques and levels (docs/domaine.md#cra), registration
statuses."""

from django.db import models


class Thematique(models.TextChoices):
    # The same values and labels as the CRA's (cnum.activity.enums.Thematique): the workshop's
    # themes become its collective CRA's.
    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique", "Diagnostic numérique"
    PRENDRE_EN_MAIN_DU_MATERIEL = "prendre_en_main_du_materiel", "Prendre en main du matériel"
    MAINTENANCE_DE_MATERIEL = "maintenance_de_materiel", "Maintenance de matériel"
    GERE_SES_CONTENUS_NUMERIQUES = "gere_ses_contenus_numeriques", "Gérer ses contenus numériques"
    NAVIGATION_SUR_INTERNET = "navigation_sur_internet", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    BUREAUTIQUE = "bureautique", "Bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux", "Réseaux sociaux communication"
    SANTE = "sante", "Santé"
    BANQUE_ET_ACHATS_EN_LIGNE = "banque_et_achats_en_ligne", "Banque et achats en ligne"
    ENTREPRENEURIAT = "entrepreneuriat", "Entrepreneuriat"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", "Insertion professionnelle"
    SECURITE_NUMERIQUE = "securite_numerique", "Sécurité numérique"
    PARENTALITE = "parentalite", "Parentalité"
    SCOLARITE_ET_NUMERIQUE = "scolarite_et_numerique", "Scolarité et numérique"
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique", "Créer avec le numérique"
    CULTURE_NUMERIQUE = "culture_numerique", "Culture numérique"
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle", "Intelligence artificielle"
    AIDE_AUX_DEMARCHES_ADMINISTRATIVES = (
        "aide_aux_demarches_administratives",
        "Aide aux démarches administratives",
    )


class Niveau(models.TextChoices):
    DEBUTANT = "debutant", "Débutant"
    INTERMEDIAIRE = "intermediaire", "Intermédiaire"
    AVANCE = "avance", "Avancé"


class RegistrationStatus(models.TextChoices):
    # A public request holds no seat until the link e-mailed to its address is confirmed.
    EN_ATTENTE = "en_attente", "En attente de confirmation"
    INSCRITE = "inscrite", "Inscrite"
    ANNULEE = "annulee", "Annulée"


class Recurrence(models.TextChoices):
    HEBDOMADAIRE = "hebdomadaire", "Chaque semaine"
    BIMENSUELLE = "bimensuelle", "Toutes les deux semaines"


RECURRENCE_DAYS = {Recurrence.HEBDOMADAIRE: 7, Recurrence.BIMENSUELLE: 14}

A_DISTANCE = "a_distance"
