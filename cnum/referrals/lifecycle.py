"""The daily pass over waiting referrals (docs/orientations.md#delais): one reminder to the
receiver after REFERRAL_REMINDER_DAYS, expiry after REFERRAL_EXPIRY_DAYS. Idempotent: a
reminder is claimed by setting `reminded_at` before its mail, an expiry is a move of the
engine that a second run no longer finds."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cnum.core.mail import send_templated_email
from cnum.referrals import links
from cnum.referrals.enums import Status
from cnum.referrals.models import Referral
from cnum.referrals.services import receiver_emails
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition


def reminder_days():
    return getattr(settings, "REFERRAL_REMINDER_DAYS", 10)


def _waiting():
    return Referral.objects.filter(status=Status.ENVOYEE)


def send_reminders(now=None):
    """Remind the receivers of referrals sent REFERRAL_REMINDER_DAYS ago or more, once."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=reminder_days())
    due = _waiting().filter(reminded_at__isnull=True, sent_at__lte=limit)
    sent = 0
    for referral in due.select_related("receiving_place", "receiving_structure"):
        with transaction.atomic():
            claimed = Referral.objects.filter(
                pk=referral.pk, status=Status.ENVOYEE, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue  # another run got it first
            context = {
                "referral": referral,
                "link": links.url(referral),
                "days_left": max(links.expiry_days() - reminder_days(), 0),
                "themes": referral.theme_labels,
            }
            send_templated_email("referrals/emails/reminder", context, receiver_emails(referral))
        sent += 1
    return sent


def expire(now=None):
    """Referrals sent REFERRAL_EXPIRY_DAYS ago or more with no answer expire."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=links.expiry_days())
    expired = 0
    for referral in _waiting().filter(sent_at__lte=limit).select_related("conseiller"):
        try:
            apply_transition(referral, Status.EXPIREE, PLATFORM, changes={"ended_at": now})
        except InvalidTransition:
            continue  # answered meanwhile
        expired += 1
    return expired


def run_daily(now=None):
    """Expire first: a referral past its expiry gets no reminder."""
    expired = expire(now)
    reminded = send_reminders(now)
    return expired, reminded
