"""Value lists of the national standard « schéma des lieux de médiation numérique »
(docs/domaine.md#lieux-schema).

Values are the exact strings the standard exchanges; they double as labels.
"""

from django.db import models


def _choices(*values):
    return [(value, value) for value in values]


def standard_choices(enum):
    """(value, value): the standard's wording, accents included, is the label. TextChoices
    members given only a value are labelled from their Python name (« Securite »)."""
    return _choices(*enum.values)


class Service(models.TextChoices):
    DEMARCHES = "Aide aux démarches administratives"
    OUTILS_QUOTIDIEN = "Maîtrise des outils numériques du quotidien"
    INSERTION_PRO = "Insertion professionnelle via le numérique"
    SECURITE = "Utilisation sécurisée du numérique"
    PARENTALITE = "Parentalité et éducation avec le numérique"
    LOISIRS = "Loisirs et créations numériques"
    COMPREHENSION = "Compréhension du monde numérique"
    ACCES_INTERNET = "Accès internet et matériel informatique"
    MATERIEL_SOLIDAIRE = "Acquisition de matériel informatique à prix solidaire"


class Public(models.TextChoices):
    JEUNES = "Jeunes"
    ETUDIANTS = "Étudiants"
    FAMILLES = "Familles et/ou enfants"
    SENIORS = "Seniors"
    FEMMES = "Femmes"


class PriseEnCharge(models.TextChoices):
    SURDITE = "Surdité"
    HANDICAPS_MOTEURS = "Handicaps moteurs"
    HANDICAPS_MENTAUX = "Handicaps mentaux"
    ILLETTRISME = "Illettrisme"
    ANGLAIS = "Langues étrangères (anglais)"
    AUTRES_LANGUES = "Langues étrangères (autres)"
    DEFICIENCE_VISUELLE = "Déficience visuelle"


class Frais(models.TextChoices):
    GRATUIT = "Gratuit"
    SOUS_CONDITION = "Gratuit sous condition"
    PAYANT = "Payant"


class ModaliteAcces(models.TextChoices):
    SE_PRESENTER = "Se présenter"
    TELEPHONER = "Téléphoner"
    MAIL = "Contacter par mail"
    RDV_EN_LIGNE = "Prendre un RDV en ligne"
    PRESCRIPTION = "Envoyer un mail avec une fiche de prescription"


# Not a choice: the standard sets it alone for a place that offers no service.
NO_PUBLIC = "Ce lieu n'accueille pas de public"


class ModaliteAccompagnement(models.TextChoices):
    AUTONOMIE = "En autonomie"
    INDIVIDUEL = "Accompagnement individuel"
    ATELIER = "Dans un atelier collectif"
    DISTANCE = "À distance"


class Itinerance(models.TextChoices):
    ITINERANT = "Itinérant"
    FIXE = "Fixe"


class Dispositif(models.TextChoices):
    AIDANTS_CONNECT = "Aidants Connect"
    BIBLIOTHEQUES = "Bibliothèques numérique de référence"
    PIX = "Certification PIX"
    CONSEILLERS = "Conseillers numériques"
    EMMAUS = "Emmaüs Connect"
    FRANCE_SERVICES = "France Services"
    GEN = "Grande école du numérique"
    CROIX_ROUGE = "La Croix Rouge"
    CAF = "Point d'accès numérique CAF"
    PROMENEURS = "Promeneurs du net"
    RELAIS_EMMAUS = "Relais numérique (Emmaüs Connect)"


class FormationLabel(models.TextChoices):
    MON_ESPACE_SANTE = "Formé à « Mon Espace Santé »"
    DUPLEX = "Formé à « DUPLEX » (illettrisme)"
    ARNIA = "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
    REEMPLOI = "Collectif ressources et acteurs réemploi (Normandie)"
    ETAPES = "Étapes numériques (La Poste)"
    FABRIQUES = "Fabriques de Territoire"
    ECLAIREURS = "Les Éclaireurs du numérique (Drôme)"
    MES_PAPIERS = "Mes Papiers (Métropole de Lyon)"
    ORDI3 = "ORDI 3.0"
    SUD_LABS = "SUD LABS (PACA)"


# The typologies most places use (data·inclusion codes, as the standard takes them).
TYPOLOGIE_CHOICES = [
    ("ASSO", "Association"),
    ("BIB", "Bibliothèque, médiathèque"),
    ("CAF", "Caisse d'allocations familiales"),
    ("CCAS", "Centre communal d'action sociale"),
    ("CSC", "Centre social"),
    ("DEPT", "Conseil départemental"),
    ("EPCI", "Intercommunalité"),
    ("EPN", "Espace public numérique"),
    ("FABLAB", "Fablab"),
    ("LA_POSTE", "La Poste"),
    ("MJC", "Maison des jeunes et de la culture"),
    ("ML", "Mission locale"),
    ("MQ", "Maison de quartier"),
    ("MSAP", "France Services"),
    ("MUNI", "Mairie"),
    ("PIMMS", "Point information médiation multi services"),
    ("REG", "Conseil régional"),
    ("TIERS_LIEUX", "Tiers-lieu"),
    ("Autre", "Autre"),
]
TYPOLOGIE_LABELS = dict(TYPOLOGIE_CHOICES)
