"""The documents a structure joins to its convention dossier, with the models offered to it.

The operator checks them when examining the dossier (services.examine_dossier); the platform
itself only requires at least one document before the dossier is submitted.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RequiredDocument:
    title: str
    description: str
    model: str = ""  # path under static/, empty when the structure provides its own document


DOCUMENTS = [
    RequiredDocument(
        "La convention de subvention, datée et signée",
        "Signée par la personne habilitée à engager la structure ; une seule convention "
        "couvre tous les postes attribués.",
        "funding/modeles/convention-de-subvention.html",
    ),
    RequiredDocument(
        "La décision autorisant la signature",
        "Délibération du conseil (collectivité), décision du bureau ou du conseil "
        "d'administration (association), ou délégation de signature.",
        "funding/modeles/decision-autorisant-la-signature.html",
    ),
    RequiredDocument(
        "Un relevé d'identité bancaire (RIB) au nom de la structure",
        "Le compte sur lequel la subvention sera versée.",
    ),
]
