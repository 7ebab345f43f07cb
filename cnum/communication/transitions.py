"""The mailing status machine: the administration starts the send, the platform ends it."""

from cnum.accounts.roles import Role
from cnum.workflow.engine import PLATFORM

BROUILLON, EN_COURS, ENVOYE = "brouillon", "en_cours", "envoye"


def is_admin(actor, obj=None):
    return actor.has_role(Role.ADMINISTRATEUR)


def is_platform(actor, obj=None):
    return actor is PLATFORM


MAILING_TRANSITIONS = {
    (BROUILLON, EN_COURS): is_admin,
    (EN_COURS, ENVOYE): is_platform,
}

MAILING_LABELS = {
    EN_COURS: "Envoi lancé",
    ENVOYE: "Envoi terminé",
}


def after_mailing_move(mailing, log):
    """Once the send is started (and committed), the worker takes it from there."""
    if log.to_status == EN_COURS:
        from cnum.communication.mailings import send_batch

        send_batch.enqueue(mailing.pk)
