"""GDPR retention (docs/domaine.md#conservation): a candidate inactive for 30 months is deleted,
keeping only the anonymised archive; they are warned by e-mail one month before.

Activity is the latest login or profile change (last_activity_at), or the creation of the
profile when neither happened. A profile whose deletion the database refuses (a recruitment
history that must be kept, e.g. contracts of a former conseiller) is kept and reported.
"""

import datetime

from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import PARIS, delete_candidate, months_ago
from cnum.core.mail import send_templated_email

INACTIVITY_MONTHS = 30
WARNING_MONTHS = INACTIVITY_MONTHS - 1


def _moment(now, months):
    local = now.astimezone(PARIS)
    return datetime.datetime.combine(months_ago(local.date(), months), local.timetz())


def inactive_since(moment):
    """Profiles with no activity after `moment`."""
    return CandidateProfile.objects.filter(
        Q(last_activity_at__lt=moment) | Q(last_activity_at__isnull=True, created_at__lt=moment)
    )


def warn_inactive(now=None):
    """E-mail the candidates who reach 29 months of inactivity today (one daily run each)."""
    now = now or timezone.now()
    end = _moment(now, WARNING_MONTHS)
    start = end - datetime.timedelta(days=1)
    warned = inactive_since(end).exclude(pk__in=inactive_since(start).values("pk"))
    count = 0
    for profile in warned.select_related("user"):
        send_templated_email(
            "candidates/emails/inactivity_warning",
            {"profile": profile, "deletion_on": (now + datetime.timedelta(days=31)).date()},
            [profile.user.email],
        )
        count += 1
    return count


def purge_inactive(now=None):
    """Delete the profiles inactive for 30 months; returns (deleted, kept) counts."""
    deleted = kept = 0
    for profile in inactive_since(_moment(now or timezone.now(), INACTIVITY_MONTHS)).iterator():
        try:
            with transaction.atomic():
                delete_candidate(profile)
        except ProtectedError:
            kept += 1
        else:
            deleted += 1
    return deleted, kept
