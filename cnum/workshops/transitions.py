"""The registration machine of a public workshop.

The person registered has no account: they act through the secret link e-mailed to them. Once
cnum.workshops.services has checked the link, the platform moves the registration for them.
"""

from cnum.workflow.engine import PLATFORM
from cnum.workshops.enums import RegistrationStatus as S


def by_link(actor, registration):
    return actor is PLATFORM


REGISTRATION_TRANSITIONS = {
    (S.EN_ATTENTE, S.INSCRITE): by_link,
    (S.INSCRITE, S.ANNULEE): by_link,
}
REGISTRATION_LABELS = {
    S.INSCRITE: "Inscription confirmée par le lien reçu",
    S.ANNULEE: "Inscription annulée par la personne",
}
