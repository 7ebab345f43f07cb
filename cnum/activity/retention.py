"""Retention of followed beneficiaries: a person with no record for 24 months is deleted (their
personal data erased, their records counting them as anonymous participants from then on).

The programme's rules set no duration for followed beneficiaries (docs/domaine.md#conservation);
24 months is the programme's whole span of activity (4 months of training, then 20 of
accompaniment), after which a follow-up with no accompaniment has no purpose left.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cnum.activity import services
from cnum.activity.models import Beneficiary, Cra
from cnum.candidates.services import PARIS, months_ago

RETENTION_MONTHS = 24


def expired(now=None):
    """Live beneficiaries followed for more than 24 months with no live record in the last 24."""
    local = (now or timezone.now()).astimezone(PARIS)
    limit = months_ago(local.date(), RETENTION_MONTHS)
    recent = (
        Cra.objects.alive()
        .filter(date__gte=limit)
        .filter(Q(beneficiary=OuterRef("pk")) | Q(beneficiaries=OuterRef("pk")))
    )
    created_before = datetime.datetime.combine(limit, local.timetz())
    return Beneficiary.objects.filter(
        deleted_at__isnull=True, created_at__lt=created_before
    ).exclude(Exists(recent))


def purge_expired(now=None):
    """Delete the expired beneficiaries, each in its own transaction; returns how many."""
    pks = list(expired(now).values_list("pk", flat=True))
    for beneficiary in Beneficiary.objects.filter(pk__in=pks):
        services.delete_beneficiary(beneficiary)
    return len(pks)
