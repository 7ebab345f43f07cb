"""What training does when recruitment moves (signals sent inside recruitment's transaction)."""

from django.dispatch import receiver

from cnum.core.mail import send_templated_email
from cnum.recruitment.signals import recruitment_validated, rupture_validated
from cnum.training.enums import EnrolmentStatus as E
from cnum.training.models import Enrolment
from cnum.workflow.engine import PLATFORM


@receiver(recruitment_validated)
def ask_for_enrolment(sender, conseiller, structure, **kwargs):
    """The new conseiller needs a training session: tell the structure's managers."""
    emails = structure.manager_emails()
    if emails:
        send_templated_email(
            "training/emails/to_schedule",
            {"conseiller": conseiller, "structure": structure},
            emails,
        )


@receiver(rupture_validated)
def end_training_on_rupture(sender, conseiller, structure, **kwargs):
    """A contract ends: a seat not yet used is freed, a training under way is abandoned."""
    from cnum.training.services import move

    open_ones = Enrolment.objects.filter(
        conseiller=conseiller, structure=structure, status__in=(E.INSCRITE, E.EN_COURS)
    )
    for enrolment in open_ones:
        to = E.ANNULEE if enrolment.status == E.INSCRITE else E.ABANDONNEE
        move(enrolment, PLATFORM, to, "Fin du contrat du conseiller")
