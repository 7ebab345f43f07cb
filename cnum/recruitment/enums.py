"""Contract and rupture enumerations of docs/domaine.md#contrats (values follow the national
data format)."""

from django.db import models


class ContractType(models.TextChoices):
    CDI = "CDI", "Contrat à durée indéterminée (CDI)"
    CDD = "CDD", "Contrat à durée déterminée (CDD)"
    PEC = "PEC", "Parcours emploi compétences (PEC)"
    CONTRAT_DE_PROJET_PUBLIC = "contrat_de_projet_public", "Contrat de projet public"


class ContractState(models.TextChoices):
    CURRENT = "current", "Contrat en cours"
    DRAFT = "draft", "Renouvellement proposé"
    PAST = "past", "Contrat précédent"
    DROPPED = "dropped", "Abandonné"


class RuptureMotif(models.TextChoices):
    LICENCIEMENT = "licenciement", "Licenciement"
    NON_RECONDUCTION_CDD = "nonReconductionCDD", "Non-reconduction du CDD"
    DEMISSION = "demission", "Démission"
    CDISATION = "CDIsation", "CDIsation"
    FIN_DE_SUBVENTIONNEMENT = "FinDeSubventionnement", "Fin de subventionnement"


class RuptureState(models.TextChoices):
    PENDING = "pending", "En attente de validation"
    VALIDATED = "validated", "Validée"
    CANCELLED = "cancelled", "Annulée"
