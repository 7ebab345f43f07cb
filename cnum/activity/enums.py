"""Value lists of the national CRA model (docs/domaine.md#cra); values are the exchanged codes."""

from django.db import models


class CraType(models.TextChoices):
    INDIVIDUEL = "individuel", "Individuel"
    COLLECTIF = "collectif", "Collectif"


DUREE_PRESETS = (15, 30, 45, 60, 90, 120)
DUREE_MAX = 24 * 60


class TypeLieu(models.TextChoices):
    LIEU_ACTIVITE = "lieu_activite", "Lieu d'activité"
    DOMICILE = "domicile", "À domicile"
    A_DISTANCE = "a_distance", "À distance"
    AUTRE = "autre", "Autre lieu"


LIEUX_WITH_COMMUNE = (TypeLieu.DOMICILE, TypeLieu.AUTRE)


class Materiel(models.TextChoices):
    ORDINATEUR = "ordinateur", "Ordinateur"
    TELEPHONE = "telephone", "Téléphone"
    TABLETTE = "tablette", "Tablette"
    AUTRE = "autre", "Autre matériel"
    AUCUN = "aucun", "Aucun"


class Thematique(models.TextChoices):
    DIAGNOSTIC = "diagnostic_numerique", "Diagnostic numérique"
    MATERIEL = "prendre_en_main_du_materiel", "Prendre en main du matériel"
    MAINTENANCE = "maintenance_de_materiel", "Maintenance de matériel"
    CONTENUS = "gere_ses_contenus_numeriques", "Gérer ses contenus numériques"
    NAVIGATION = "navigation_sur_internet", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    BUREAUTIQUE = "bureautique", "Bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux", "Réseaux sociaux communication"
    SANTE = "sante", "Santé"
    BANQUE = "banque_et_achats_en_ligne", "Banque et achats en ligne"
    ENTREPRENEURIAT = "entrepreneuriat", "Entrepreneuriat"
    INSERTION = "insertion_professionnelle", "Insertion professionnelle"
    SECURITE = "securite_numerique", "Sécurité numérique"
    PARENTALITE = "parentalite", "Parentalité"
    SCOLARITE = "scolarite_et_numerique", "Scolarité et numérique"
    CREER = "creer_avec_le_numerique", "Créer avec le numérique"
    CULTURE = "culture_numerique", "Culture numérique"
    IA = "intelligence_artificielle", "Intelligence artificielle"
    DEMARCHES = "aide_aux_demarches_administratives", "Aide aux démarches administratives"


class Demarche(models.TextChoices):
    PAPIERS = "papiers_elections_citoyennete", "Papiers, élections, citoyenneté"
    FAMILLE = "famille_scolarite", "Famille, scolarité"
    SOCIAL = "social_sante", "Social, santé"
    TRAVAIL = "travail_formation", "Travail, formation"
    LOGEMENT = "logement", "Logement"
    TRANSPORTS = "transports_mobilite", "Transports, mobilité"
    ARGENT = "argent_impots", "Argent, impôts"
    JUSTICE = "justice", "Justice"
    ETRANGERS = "etrangers_europe", "Étrangers, Europe"
    LOISIRS = "loisirs_sports_culture", "Loisirs, sports, culture"
    ASSOCIATIONS = "associations", "Associations"


class Autonomie(models.TextChoices):
    ACCOMPAGNE = "entierement_accompagne", "Entièrement accompagné"
    PARTIEL = "partiellement_autonome", "Partiellement autonome"
    AUTONOME = "autonome", "Autonome"


class StructureKind(models.TextChoices):
    ADMINISTRATION = "administration", "Administration"
    MEDIATION = "mediation_numerique", "Médiation numérique"
    OPERATEUR = "operateur_ou_organisme_en_charge", "Opérateur ou organisme en charge"
    AIDE_SOCIALE = "aide_sociale", "Aide sociale"
    INSERTION = "insertion_professionnelle", "Insertion professionnelle"
    DEMARCHES = "aide_aux_demarches_administratives", "Aide aux démarches administratives"
    AUTRE = "autre", "Autre"


class Niveau(models.TextChoices):
    DEBUTANT = "debutant", "Débutant"
    INTERMEDIAIRE = "intermediaire", "Intermédiaire"
    AVANCE = "avance", "Avancé"


class Genre(models.TextChoices):
    MASCULIN = "masculin", "Masculin"
    FEMININ = "feminin", "Féminin"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


class TrancheAge(models.TextChoices):
    MOINS_12 = "moins_de_douze", "Moins de 12 ans"
    DE_12_18 = "douze_dix_huit", "12-18 ans"
    DE_18_24 = "dix_huit_vingt_quatre", "18-24 ans"
    DE_25_39 = "vingt_cinq_trente_neuf", "25-39 ans"
    DE_40_59 = "quarante_cinquante_neuf", "40-59 ans"
    DE_60_69 = "soixante_soixante_neuf", "60-69 ans"
    PLUS_70 = "soixante_dix_plus", "70 ans et plus"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


class Statut(models.TextChoices):
    SCOLARISE = "scolarise", "Scolarisé"
    SANS_EMPLOI = "sans_emploi", "Sans emploi"
    EN_EMPLOI = "en_emploi", "En emploi"
    RETRAITE = "retraite", "Retraité"
    NON_COMMUNIQUE = "non_communique", "Non communiqué"


def tranche_for_age(age):
    """The age bracket of someone `age` years old (None: not communicated)."""
    if age is None:
        return TrancheAge.NON_COMMUNIQUE
    for bound, tranche in (
        (12, TrancheAge.MOINS_12),
        (18, TrancheAge.DE_12_18),
        (25, TrancheAge.DE_18_24),
        (40, TrancheAge.DE_25_39),
        (60, TrancheAge.DE_40_59),
        (70, TrancheAge.DE_60_69),
    ):
        if age < bound:
            return tranche
    return TrancheAge.PLUS_70


# Count columns of a CRA's anonymous participants, one per value of each breakdown.
GENRE_FIELDS = {value: f"genre_{value}" for value in Genre.values}
AGE_FIELDS = {value: f"age_{value}" for value in TrancheAge.values}
STATUT_FIELDS = {value: f"statut_{value}" for value in Statut.values}
BREAKDOWNS = (GENRE_FIELDS, AGE_FIELDS, STATUT_FIELDS)
COUNT_FIELDS = tuple(f for breakdown in BREAKDOWNS for f in breakdown.values())
PARTICIPANTS_MAX = 1000
