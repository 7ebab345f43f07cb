"""The daily inactivity reminders (docs/suivi.md#rappels).

First threshold: a mail to the conseiller. Second: to the conseiller again, and one mail to each
manager of their structure and each coordinator whose team holds them, listing all of theirs
who reached it that day. A row per (conseiller, start of the silence, level) records what was
sent, so a reminder never goes twice for the same silence, however often the job runs; a
conseiller who records something, or comes back from leave, starts a new silence.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.candidates.services import today
from cnum.core.mail import send_templated_email
from cnum.followup import inactivity
from cnum.followup.models import InactivityReminder
from cnum.stats.scopes import audience_scope

LOCK_KEY = 61_801  # PostgreSQL advisory lock: one run at a time, even started by hand


@dataclass(frozen=True)
class Silent:
    conseiller_id: int
    name: str
    email: str
    structure_id: int
    structure: str
    gap_start: object
    last_date: object
    days: int
    level: int


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def due(day):
    """Silent conseillers whose level reached today was not sent yet for this silence."""
    rows = inactivity.with_reminders(inactivity.silent(day)).values_list(
        "conseiller_id",
        "match__candidate__user__first_name",
        "match__candidate__user__last_name",
        "match__candidate__user__email",
        "match__structure_id",
        "match__structure__name",
        "gap_start",
        "last_date",
        "reminded",
    )
    found = []
    for pk, first, last, email, structure_id, structure, gap, last_date, reminded in rows:
        level = inactivity.level_due(gap, day)
        if level > (reminded or 0):
            days = (day - gap).days
            name = f"{first} {last}".strip() or email
            found.append(
                Silent(pk, name, email, structure_id, structure, gap, last_date, days, level)
            )
    return found


@transaction.atomic
def send_inactivity_reminders(day=None):
    """Send what is due on `day` (today by default); returns the number of conseillers."""
    day = day or today()
    _lock()
    silent = due(day)
    InactivityReminder.objects.bulk_create(
        [InactivityReminder(conseiller_id=s.conseiller_id, gap_start=s.gap_start, level=s.level)
         for s in silent],
        ignore_conflicts=True,
        batch_size=1000,
    )  # fmt: skip
    first, second = inactivity.thresholds()
    for s in silent:
        template = "inactivity_first" if s.level == 1 else "inactivity_second"
        context = {"silent": s, "first": first, "second": second}
        send_templated_email(f"followup/emails/{template}", context, [s.email])
    _mail_the_team([s for s in silent if s.level == 2], second)
    return len(silent)


def _mail_the_team(silent, second):
    """One mail per manager or coordinator, listing their conseillers silent for `second` days."""
    if not silent:
        return
    by_recipient = defaultdict(list)
    structures = {s.structure_id for s in silent}
    managers = Membership.objects.filter(
        role=Role.GESTIONNAIRE_STRUCTURE, is_active=True, organisation_id__in=structures
    ).values_list("organisation_id", "user__email")
    for structure_id, email in managers:
        by_recipient[email] += [s for s in silent if s.structure_id == structure_id]
    for email, team in _coordinators(silent):
        by_recipient[email] += team
    for email, listed in sorted(by_recipient.items()):
        unique = list({s.conseiller_id: s for s in listed}.values())
        context = {"conseillers": unique, "second": second}
        send_templated_email("followup/emails/inactivity_team", context, [email])


def _coordinators(silent):
    """(coordinator e-mail, their silent conseillers) pairs; teams come from the coordinators'
    statistics scopes (cnum.stats.scopes), the one definition of a team."""
    ids = {s.conseiller_id: s for s in silent}
    coordinators = (
        Membership.objects.filter(role=Role.COORDINATEUR, is_active=True)
        .select_related("user")
        .order_by("user_id")
        .distinct()
    )
    seen = set()
    for membership in coordinators:
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        team = [ids[pk] for pk in audience_scope(user, Role.COORDINATEUR).conseiller_ids or ()
                if pk in ids and pk != user.pk]  # fmt: skip
        if team:
            yield user.email, team
