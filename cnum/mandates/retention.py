"""Reminders before expiry, and the purge of ended mandates by the retention policy."""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.mandates.models import Mandate, RetentionPolicy, Usager

REMINDER_BEFORE = datetime.timedelta(days=30)
logger = logging.getLogger(__name__)


def send_expiry_reminders(now=None):
    """E-mail the structure's aidants once about each mandate expiring within 30 days."""
    now = now or timezone.now()
    due = (
        Mandate.objects.active(now)
        .filter(
            expires_at__lte=now + REMINDER_BEFORE,
            reminder_sent_at__isnull=True,
            duration_days__gt=REMINDER_BEFORE.days,
        )
        .select_related("usager", "organisation")
    )
    sent = 0
    for mandate in due:
        with transaction.atomic():
            claimed = Mandate.objects.filter(pk=mandate.pk, reminder_sent_at__isnull=True)
            if not claimed.update(reminder_sent_at=now):
                continue  # another worker sent it
            recipients = list(
                mandate.organisation.memberships.filter(
                    role=Role.AIDANT, is_active=True
                ).values_list("user__email", flat=True)
            )
            if recipients:
                send_templated_email(
                    "mandates/emails/expiry_reminder", {"mandate": mandate}, recipients
                )
                sent += 1
    return sent


def retention_period(policy):
    """The policy's duration within its bounds: a bad stored value must not stop the purge."""
    days = policy.days_after_end
    bounded = min(max(days, RetentionPolicy.MINIMUM_DAYS), RetentionPolicy.MAXIMUM_DAYS)
    if bounded != days:
        logger.error("Retention of %s days is out of bounds: purging with %s days.", days, bounded)
    return datetime.timedelta(days=bounded)


def purge_ended_mandates(now=None, *, dry_run=False, policy=None):
    """Delete mandates ended longer ago than the policy says, then usagers left without any."""
    now = now or timezone.now()
    limit = now - retention_period(policy or RetentionPolicy.current())
    ended = Mandate.objects.filter(
        Q(revoked_at__lt=limit) | Q(revoked_at__isnull=True, expires_at__lt=limit)
    )
    count = ended.count()
    if dry_run:
        return count
    with transaction.atomic():
        # Renewals point to their predecessor; unlink before deleting.
        usager_ids = set(ended.values_list("usager_id", flat=True))
        Mandate.objects.filter(renewed_from__in=ended).update(renewed_from=None)
        ended.delete()
        # Usagers whose last mandate went, and identities never used for a mandate.
        Usager.objects.filter(
            Q(pk__in=usager_ids) | Q(created_at__lt=limit), mandates__isnull=True
        ).delete()
    return count
