"""A candidate's personal data held by matching, added to the candidate's export
(cnum.candidates.services.EXPORT_PARTS, registered in cnum.matching.apps)."""

from cnum.matching.contact import requests_of
from cnum.matching.reveals import reveals_of


def structures_data(profile):
    """What structures asked of the candidate and saw of them (contact details, CV)."""
    return {
        "demandes_de_contact": [
            {
                "structure": item.structure.name,
                "demandee_le": item.created_at.isoformat(),
                "reponse": item.get_status_display(),
            }
            for item in requests_of(profile).order_by("created_at", "pk")
        ],
        "consultations_par_les_structures": [
            {
                "le": row.at.isoformat(),
                "structure": row.structure.name if row.structure else None,
                "donnee": row.get_kind_display(),
            }
            for row in reveals_of(profile).order_by("at", "pk")
        ],
    }
