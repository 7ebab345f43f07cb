"""Accounts nobody uses (every role): a warning e-mail, deactivation, then anonymisation, each
after a configured delay (settings INACTIVE_ACCOUNT_*). A single login before the last step
reactivates the account (cnum.profiles.backends) and starts the count again.

Candidates who hold no other role follow their own rule (cnum.candidates.retention: warned at
29 months, deleted at 30 months without activity), so they are left out here. See
docs/mon-compte.md#inactivite.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.core.mail import send_templated_email
from cnum.profiles.erasure import deletion_blockers, erase_account
from cnum.profiles.models import Dormancy


def _days(name):
    return datetime.timedelta(days=getattr(settings, name))


def deadlines(warned_at):
    """(deactivation, anonymisation) moments of an account warned at `warned_at`."""
    deactivation = warned_at + _days("INACTIVE_ACCOUNT_DEACTIVATION_DAYS")
    return deactivation, deactivation + _days("INACTIVE_ACCOUNT_ANONYMISATION_DAYS")


def candidates_only():
    """Accounts with a candidate profile and no other role: the candidates' rule applies."""
    from cnum.candidates.models import CandidateProfile

    other_roles = Membership.objects.filter(user=OuterRef("pk")).exclude(role=Role.CANDIDAT)
    return User.objects.filter(
        Exists(CandidateProfile.objects.filter(user=OuterRef("pk"))), ~Exists(other_roles)
    )


def to_warn(now):
    limit = now - _days("INACTIVE_ACCOUNT_WARNING_DAYS")
    return (
        User.objects.filter(is_active=True, dormancy__isnull=True)
        .annotate(seen=Coalesce("last_login", "date_joined"))
        .filter(seen__lt=limit)
        .exclude(pk__in=candidates_only().values("pk"))
    )


def warn(now):
    count = 0
    for user in to_warn(now).iterator():
        with transaction.atomic():
            Dormancy.objects.create(user=user, warned_at=now)
            deactivation, anonymisation = deadlines(now)
            send_templated_email(
                "profiles/emails/inactivity_warning",
                {"user": user, "deactivation": deactivation, "anonymisation": anonymisation},
                [user.email],
            )
        count += 1
    return count


def deactivate(now):
    limit = now - _days("INACTIVE_ACCOUNT_DEACTIVATION_DAYS")
    due = Dormancy.objects.filter(warned_at__lte=limit, deactivated_at__isnull=True)
    count = 0
    for dormancy in due.select_related("user").iterator():
        with transaction.atomic():
            user = dormancy.user
            user.is_active = False
            user.save(update_fields=["is_active"])
            dormancy.deactivated_at = now
            dormancy.save(update_fields=["deactivated_at"])
            send_templated_email(
                "profiles/emails/inactivity_deactivated",
                {"user": user, "anonymisation": deadlines(dormancy.warned_at)[1]},
                [user.email],
            )
        count += 1
    return count


def anonymise(now):
    """Returns (erased, kept): an account still holding a role or a contract is kept."""
    limit = now - _days("INACTIVE_ACCOUNT_ANONYMISATION_DAYS")
    due = Dormancy.objects.filter(deactivated_at__lte=limit, anonymised_at__isnull=True)
    erased = kept = 0
    for dormancy in due.select_related("user").iterator():
        if deletion_blockers(dormancy.user):
            kept += 1
            continue
        with transaction.atomic():
            erase_account(dormancy.user)
        erased += 1
    return erased, kept


def run(now=None):
    """The daily pass; returns the counts of each step."""
    now = now or timezone.now()
    erased, kept = anonymise(now)
    return {
        "anonymises": erased,
        "conserves": kept,
        "desactives": deactivate(now),
        "prevenus": warn(now),
    }


def is_asleep(user):
    """Deactivated for inactivity, not yet anonymised: a login may still wake it."""
    return Dormancy.objects.filter(
        user=user, deactivated_at__isnull=False, anonymised_at__isnull=True
    ).exists()


@transaction.atomic
def wake(user):
    """Any login (or a dormant account's right password) cancels the count."""
    asleep = is_asleep(user)
    Dormancy.objects.filter(user=user, anonymised_at__isnull=True).delete()
    if asleep and not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
