"""The enrolment status machine: who may make each move, and what follows it."""

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.training.enums import IMPORT_COMMENT
from cnum.training.enums import EnrolmentStatus as E
from cnum.workflow.engine import PLATFORM


def is_admin(actor, obj=None):
    return actor.has_role(Role.ADMINISTRATEUR)


def is_member(actor, organisation_id):
    return Membership.objects.filter(
        user_id=actor.pk,
        organisation_id=organisation_id,
        role=Role.ORGANISME_FORMATION,
        is_active=True,
    ).exists()


def manages(actor, structure_id):
    return Membership.objects.filter(
        user_id=actor.pk,
        organisation_id=structure_id,
        role=Role.GESTIONNAIRE_STRUCTURE,
        is_active=True,
    ).exists()


def trainer(actor, enrolment):
    """The training organisation's members, the administration, and imports (the platform)."""
    return actor is PLATFORM or is_admin(actor) or is_member(actor, enrolment.organisation_id)


def trainer_or_employer(actor, enrolment):
    return trainer(actor, enrolment) or manages(actor, enrolment.structure_id)


def admin_or_platform(actor, enrolment):
    return actor is PLATFORM or is_admin(actor)


ENROLMENT_TRANSITIONS = {
    (E.INSCRITE, E.EN_COURS): trainer,
    (E.INSCRITE, E.ANNULEE): trainer_or_employer,
    (E.EN_COURS, E.TERMINEE): trainer,
    (E.EN_COURS, E.ABANDONNEE): trainer_or_employer,
    # Corrections: a trainee coming back, an end of training recorded by mistake.
    (E.ABANDONNEE, E.EN_COURS): trainer,
    (E.TERMINEE, E.EN_COURS): admin_or_platform,
}


def notify_conseiller(enrolment, log):
    if log.comment == IMPORT_COMMENT:
        return
    send_templated_email(
        "training/emails/status_changed",
        {"enrolment": enrolment, "status": E(log.to_status).label, "log": log},
        [enrolment.conseiller.email],
    )
