"""The Aidants Connect journal's details in French for people: labels, not codes; dates as
« 06/06/2027 à 14:00 », not ISO text; lists as enumerations. The CSV export keeps the raw data."""

import datetime

from django.utils import timezone

from cnum.mandates.domains import Domain, IdentityMethod
from cnum.mandates.models import HabilitationStatus

LABELS = {
    "succes": "Résultat",
    "methode": "Méthode",
    "domaines": "Domaines",
    "domaine": "Domaine",
    "duree_jours": "Durée",
    "expire_le": "Expire le",
    "mandat_precedent": "Mandat précédent",
    "motif": "Motif",
    "service": "Service",
    "type": "Attestation",
    "empreinte": "Empreinte du document",
    "version_modele": "Version du modèle",
    "action": "Action",
    "statut": "Statut",
    "aidant": "Aidant",
}
WORDS = {
    "motif": {"revocation": "révocation", "remplacement": "remplacée par un nouveau mandat"},
    "type": {"mandat": "de mandat", "revocation": "de révocation"},
    "action": {
        "demande": "demande",
        "accepter": "acceptation",
        "modifier": "modifications demandées",
        "refuser": "refus",
        "domaines": "domaines modifiés",
        "retrait_domaines": "domaines retirés",
        "ajout": "ajout d'un aidant",
        "desactivation": "désactivation",
        "formation": "formation enregistrée",
        "validation": "validation",
    },
}


def _date(value):
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y à %H:%M")


def _value(key, value):
    if key == "succes":
        return "code accepté" if value else "code refusé"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if key == "domaines":
        return ", ".join(_label(Domain, item) for item in value) or "aucun"
    if key == "domaine":
        return _label(Domain, value)
    if key == "methode":
        return _label(IdentityMethod, value)
    if key == "statut":
        return _label(HabilitationStatus, value)
    if key == "expire_le":
        return _date(value)
    if key == "duree_jours":
        return f"{value} jour{'s' if value != 1 else ''}"
    if key in ("mandat_precedent", "aidant"):
        return f"n° {value}"
    if key in WORDS:
        return WORDS[key].get(value, value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return str(value)


def describe(data):
    """[(label, text)] for an entry's data, in the order it was written."""
    return [(LABELS.get(key, key), _value(key, value)) for key, value in (data or {}).items()]
