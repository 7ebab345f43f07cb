"""The referral's status table (docs/orientations.md#cycle): who may move it, and the mails to
the conseiller once an outcome is known."""

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.referrals.enums import Status as S
from cnum.workflow.engine import PLATFORM


class _ReceiverLink:
    """The actor of an answer given through the signed link of the mail: whoever holds the
    link speaks for the receiver, with no account (logged with no user, as PLATFORM)."""

    pk = None
    is_authenticated = False

    def has_role(self, *roles):
        return False

    def __repr__(self):
        return "RECEIVER_LINK"


RECEIVER_LINK = _ReceiverLink()


def is_receiver(actor, referral):
    """The holder of the link, or an active manager of the receiving structure."""
    if actor is RECEIVER_LINK:
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.memberships.filter(
        role=Role.GESTIONNAIRE_STRUCTURE,
        is_active=True,
        organisation_id=referral.receiving_structure_id,
    ).exists()


def is_sender(actor, referral):
    return getattr(actor, "is_authenticated", False) and actor.pk == referral.conseiller_id


def is_platform(actor, referral):
    return actor is PLATFORM


TRANSITIONS = {
    (S.ENVOYEE, S.ACCEPTEE): is_receiver,
    (S.ENVOYEE, S.REFUSEE): is_receiver,
    (S.ENVOYEE, S.DEJA_PRISE_EN_CHARGE): is_receiver,
    (S.ENVOYEE, S.EXPIREE): is_platform,
    (S.ENVOYEE, S.CLOSE): is_sender,
    # Resending an expired referral opens it again (a new link, a new delay).
    (S.EXPIREE, S.ENVOYEE): is_sender,
}

LABELS = {
    S.ACCEPTEE: "Acceptée par le destinataire",
    S.REFUSEE: "Refusée par le destinataire",
    S.DEJA_PRISE_EN_CHARGE: "Déjà prise en charge par le destinataire",
    S.EXPIREE: "Expirée sans réponse",
    S.CLOSE: "Close par le conseiller",
    (S.EXPIREE, S.ENVOYEE): "Renvoyée par le conseiller",
}

OUTCOME_TEMPLATES = {
    S.ACCEPTEE: "referrals/emails/outcome",
    S.REFUSEE: "referrals/emails/outcome",
    S.DEJA_PRISE_EN_CHARGE: "referrals/emails/outcome",
    S.EXPIREE: "referrals/emails/expired",
}


def notify(referral, log):
    """After the commit: the conseiller learns every outcome (docs/orientations.md#cycle)."""
    template = OUTCOME_TEMPLATES.get(log.to_status)
    if template is None:
        return
    context = {"referral": referral, "status": S(log.to_status).label}
    send_templated_email(template, context, [referral.conseiller.email])
