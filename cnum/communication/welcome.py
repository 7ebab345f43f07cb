"""The welcome sequence (docs/communication.md#accueil): a few mails to new conseillers (from the
grant of their role) and to the managers of newly validated structures (from the committee's
first positive decision), at day 0, 7 and 30.

A daily job sends the steps that fell due. A row per user × step is written in the same
transaction as the mail is queued: never twice, whatever the retries. A step more than
CATCH_UP days overdue is skipped, so starting the sequence does not mail the whole existing
network, while a job that missed a few days catches up.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.communication.models import WelcomeSent, WelcomeStep
from cnum.core.mail import send_templated_email

CATCH_UP = datetime.timedelta(days=14)
CONSEILLER_STEPS = ((WelcomeStep.CONSEILLER_J0, 0), (WelcomeStep.CONSEILLER_J7, 7),
                    (WelcomeStep.CONSEILLER_J30, 30))  # fmt: skip
STRUCTURE_STEPS = ((WelcomeStep.STRUCTURE_J0, 0), (WelcomeStep.STRUCTURE_J7, 7),
                   (WelcomeStep.STRUCTURE_J30, 30))  # fmt: skip


def _window(now, days):
    """Starts for which a step `days` after is due now and not yet too old."""
    due = now - datetime.timedelta(days=days)
    return due - CATCH_UP, due


def _not_sent(step, user_field):
    return ~Exists(WelcomeSent.objects.filter(user_id=OuterRef(user_field), step=step))


def due_conseillers(step, days, now):
    """(user, context) of conseillers whose role was granted `days` ago."""
    earliest, latest = _window(now, days)
    memberships = (
        Membership.objects.filter(
            role=Role.CONSEILLER,
            is_active=True,
            user__is_active=True,
            created_at__gt=earliest,
            created_at__lte=latest,
        )
        .filter(_not_sent(step, "user_id"))
        .select_related("user", "organisation")
        .order_by("pk")
    )
    for membership in memberships:
        yield membership.user, {"structure": membership.organisation}


def due_structure_managers(step, days, now):
    """(manager, context) of structures first validated by the committee `days` ago."""
    from cnum.structures.enums import CommitteeOpinion, Status
    from cnum.structures.models import Structure

    earliest, latest = _window(now, days)
    structures = (
        Structure.objects.filter(status=Status.VALIDATION_COSELEC)
        .annotate(
            validated_at=Min(
                "decisions__decided_at", filter=Q(decisions__opinion=CommitteeOpinion.POSITIF)
            )
        )
        .filter(validated_at__gt=earliest, validated_at__lte=latest)
    )
    managers = (
        Membership.objects.filter(
            organisation__in=structures.values("pk"),
            role=Role.GESTIONNAIRE_STRUCTURE,
            is_active=True,
            user__is_active=True,
        )
        .filter(_not_sent(step, "user_id"))
        .select_related("user", "organisation")
        .order_by("pk")
    )
    for membership in managers:
        yield membership.user, {"structure": membership.organisation}


def _send(user, step, context):
    """Record the step and queue its mail together; False if it was sent already."""
    try:
        with transaction.atomic():
            WelcomeSent.objects.create(user=user, step=step)
            send_templated_email(
                f"communication/emails/welcome_{step}", {"user": user, **context}, [user.email]
            )
    except IntegrityError:
        return False
    return True


def send_due_steps(now=None):
    """The daily job: every welcome step due today, once per user."""
    now = now or timezone.now()
    sent = 0
    for steps, finder in ((CONSEILLER_STEPS, due_conseillers),
                          (STRUCTURE_STEPS, due_structure_managers)):  # fmt: skip
        for step, days in steps:
            for user, context in finder(step, days, now):
                sent += _send(user, step, context)
    return f"{sent} courriel(s) d'accueil envoyé(s)"
