"""The contract and rupture machines: they move only with their match.

A contract or a rupture changes state inside a match transition (cnum.recruitment.effects),
whose own table has already said who may decide; their moves are allowed to the same people
(the structure's managers, the administration) and to the platform.
"""

from cnum.matching.transitions import manager_or_admin
from cnum.recruitment.enums import ContractState as C
from cnum.recruitment.enums import RuptureState as R
from cnum.workflow.engine import PLATFORM


def follows_match(actor, obj):
    return actor is PLATFORM or manager_or_admin(actor, obj.match)


CONTRACT_TRANSITIONS = {
    # Rupture validated, end of contract, or replaced by its approved renewal.
    (C.CURRENT, C.PAST): follows_match,
    # Recruitment cancelled, or the person recruited elsewhere before validation.
    (C.CURRENT, C.DROPPED): follows_match,
    (C.DRAFT, C.CURRENT): follows_match,
    (C.DRAFT, C.DROPPED): follows_match,
}
CONTRACT_LABELS = {
    (C.CURRENT, C.PAST): "Contrat terminé",
    (C.CURRENT, C.DROPPED): "Contrat abandonné",
    (C.DRAFT, C.CURRENT): "Renouvellement en vigueur",
    (C.DRAFT, C.DROPPED): "Renouvellement abandonné",
}

RUPTURE_TRANSITIONS = {
    (R.PENDING, R.VALIDATED): follows_match,
    (R.PENDING, R.CANCELLED): follows_match,
}
RUPTURE_LABELS = {
    R.VALIDATED: "Rupture validée par l'administration",
    R.CANCELLED: "Rupture annulée",
}
