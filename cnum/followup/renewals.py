"""Contracts that end and the renewal campaign (docs/suivi.md#contrats).

`ending` lists the current contracts ending within N months with their renewal state; the
daily job mails each structure once per contract and level (4 then 2 months before the end by
default, settings.FOLLOWUP_CONTRACT_MONTHS), with the renewal form one click away. A contract
already being renewed, or that the structure declared it will not renew, gets no reminder.
"""

import calendar
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Subquery

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.candidates.services import today
from cnum.core.mail import send_templated_email
from cnum.followup.models import ContractReminder, NonRenewal
from cnum.matching.enums import EMPLOYED
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.models import Contract

LOCK_KEY = 61_802
HORIZONS = (2, 4, 6)  # months offered by the list's filter

STATE_TO_DECIDE = "À décider"
STATE_RENEWING = "Renouvellement proposé"
STATE_RUPTURE = "Rupture signalée"
STATE_NOT_RENEWED = "Ne sera pas renouvelé"


def add_months(day, months):
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def reminder_months():
    """Reminder levels, in months before the end, earliest first (4, 2)."""
    return tuple(sorted(settings.FOLLOWUP_CONTRACT_MONTHS, reverse=True))


def ending(day=None, months=4):
    """Current contracts of employed conseillers ending between `day` and `months` later, soonest
    first, with their match, conseiller, structure and non-renewal declaration."""
    day = day or today()
    return (
        Contract.objects.current()
        .filter(
            match__status__in=EMPLOYED, end_date__gte=day, end_date__lte=add_months(day, months)
        )
        .select_related("match__candidate__user", "match__structure__departement", "non_renewal")
        .annotate(declared=Exists(NonRenewal.objects.filter(contract=OuterRef("pk"))))
        .order_by("end_date", "pk")
    )


def renewal_state(contract):
    """What the structure did about this contract's end, in French."""
    status = contract.match.status
    if status == S.RENOUVELLEMENT_INITIE:
        return STATE_RENEWING
    if status == S.NOUVELLE_RUPTURE:
        return STATE_RUPTURE
    if contract.declared:
        return STATE_NOT_RENEWED
    return STATE_TO_DECIDE


def may_declare(contract):
    """A structure declares it will not renew a contract it has not started renewing."""
    return contract.match.status == S.FINALISEE and not contract.declared


def level_due(end, day):
    """The smallest reminder level (months) reached on `day` for a contract ending on `end`."""
    reached = [m for m in reminder_months() if end <= add_months(day, m)]
    return min(reached) if reached else None


def due(day):
    """[(contract, months)] whose reminder level reached on `day` was not sent yet."""
    sent = ContractReminder.objects.filter(contract=OuterRef("pk")).order_by("months")
    contracts = (
        ending(day, max(reminder_months()))
        .filter(match__status=S.FINALISEE, declared=False)
        .annotate(sent=Subquery(sent.values("months")[:1]))
    )
    found = []
    for contract in contracts:
        months = level_due(contract.end_date, day)
        if months is not None and (contract.sent is None or months < contract.sent):
            found.append((contract, months))
    return found


@transaction.atomic
def send_contract_reminders(day=None):
    """One mail per structure listing its contracts due; returns the number of contracts."""
    day = day or today()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    found = due(day)
    ContractReminder.objects.bulk_create(
        [ContractReminder(contract=contract, months=months) for contract, months in found],
        ignore_conflicts=True,
    )
    by_structure = defaultdict(list)
    for contract, months in found:
        by_structure[contract.match.structure_id].append((contract, months))
    managers = defaultdict(list)
    for structure_id, email in Membership.objects.filter(
        role=Role.GESTIONNAIRE_STRUCTURE, is_active=True, organisation_id__in=by_structure
    ).values_list("organisation_id", "user__email"):
        managers[structure_id].append(email)
    for structure_id, contracts in sorted(by_structure.items()):
        if not managers[structure_id]:
            continue
        context = {
            "structure": contracts[0][0].match.structure,
            "contracts": [
                {"contract": c, "months": m, "remaining": (c.end_date - day).days}
                for c, m in contracts
            ],
        }
        send_templated_email(
            "followup/emails/contracts_ending", context, sorted(managers[structure_id])
        )
    return len(found)
