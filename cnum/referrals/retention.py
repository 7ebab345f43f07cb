"""Retention of referrals' personal data (docs/orientations.md#conservation): once a referral
has ended (answered, expired, closed) for REFERRAL_RETENTION_DAYS, the person's contact, what
was already done and the attachments are erased. The referral itself stays, anonymous, for the
statistics."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cnum.referrals import attachments
from cnum.referrals.models import Referral


def retention_days():
    return getattr(settings, "REFERRAL_RETENTION_DAYS", 365)


def due(now=None):
    limit = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return Referral.objects.filter(anonymised_at__isnull=True, ended_at__lte=limit)


def anonymise(referral, now=None):
    with transaction.atomic():
        for attachment in referral.attachments.all():
            attachments.delete(attachment)
        Referral.objects.filter(pk=referral.pk).update(
            contact_name="",
            contact_phone="",
            contact_email="",
            already_done="",
            anonymised_at=now or timezone.now(),
        )


def anonymise_due(now=None):
    """Anonymise every referral past the delay, each in its own transaction; returns how many."""
    count = 0
    for referral in due(now):
        anonymise(referral, now)
        count += 1
    return count
