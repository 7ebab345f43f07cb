"""Who may make a place public: a structure earns trust when the national committee validates it.

A place is public iff it is not refused and either its structure is validated by the committee
(VALIDATION_COSELEC) or the administration approved the place itself. The rule reads the
structure's current status, so a committee validation publishes the pending places at once and a
later cancellation hides them again, with no state copied onto the places. A refusal is a
decision about the place's content: it keeps the place private even once the structure is
validated, until its managers edit it, which sends it back for review.
"""

from django.db import models
from django.db.models import Q

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.structures.enums import Status


class Moderation(models.TextChoices):
    PENDING = "EN_ATTENTE", "En attente de modération"
    APPROVED = "APPROUVE", "Approuvé par l'administration"
    REFUSED = "REFUSE", "Refusé par l'administration"


TRUSTED = Q(structure__status=Status.VALIDATION_COSELEC)
PUBLIC = ~Q(moderation=Moderation.REFUSED) & (TRUSTED | Q(moderation=Moderation.APPROVED))
# What the administration has to look at: places no committee validation vouches for.
AWAITING = Q(moderation=Moderation.PENDING) & ~TRUSTED


def is_admin(actor, place=None):
    return actor.has_role(Role.ADMINISTRATEUR)


def manages(actor, place):
    from cnum.places.policies import manageable_places

    return manageable_places(actor).filter(pk=place.pk).exists()


TRANSITIONS = {
    (Moderation.PENDING, Moderation.APPROVED): is_admin,
    (Moderation.PENDING, Moderation.REFUSED): is_admin,
    # An edit by the place's managers submits it again (see needs_review).
    (Moderation.REFUSED, Moderation.PENDING): manages,
    (Moderation.APPROVED, Moderation.PENDING): manages,
}


def needs_review(place):
    """After an edit: a refused place, or an approved one no validation vouches for, goes back
    to the queue (an approval covers the content the administration saw, not later changes)."""
    if place.moderation == Moderation.REFUSED:
        return True
    return (
        place.moderation == Moderation.APPROVED
        and place.structure.status != Status.VALIDATION_COSELEC
    )


def notify_decision(place, log):
    """Tell the structure's managers the administration's decision on their place."""
    if log.to_status not in (Moderation.APPROVED, Moderation.REFUSED):
        return
    emails = place.structure.manager_emails()
    if emails:
        send_templated_email(
            "places/emails/moderation_decided",
            {"place": place, "approved": log.to_status == Moderation.APPROVED, "log": log},
            emails,
        )
