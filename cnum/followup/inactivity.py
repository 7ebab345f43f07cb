"""Conseillers in post who record no activity (docs/suivi.md#sans-activite).

One set-based query finds them: current contracts of employed matches, each annotated with the
start of its conseiller's silence — the latest of their last record (cnum.stats.last_activity,
kept with the rollups), the contract's start, the end of their training and the end of their
last declared leave — so that nobody is reminded of a silence they could not help. Conseillers
in training or on leave today are left out, and so is a contract that ended.
"""

import datetime

from django.conf import settings
from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from cnum.candidates.services import today
from cnum.followup.models import InactivityReminder, Leave
from cnum.matching.enums import EMPLOYED
from cnum.recruitment.models import Contract, Rupture
from cnum.stats.models import ConseillerLastActivity
from cnum.training.enums import ConseillerState, EnrolmentStatus
from cnum.training.models import Enrolment
from cnum.training.state import state_condition

CONSEILLER = "match__candidate__user"


def thresholds():
    """(first, second) reminder delays in days (settings.FOLLOWUP_INACTIVITY_DAYS)."""
    first, second = settings.FOLLOWUP_INACTIVITY_DAYS
    return first, second


def in_post(day):
    """Current contracts of conseillers at work on `day` (the contract covers it and no
    rupture ends it before)."""
    ruptured = Rupture.objects.pending().filter(match=OuterRef("match"), date__lt=day)
    return (
        Contract.objects.current()
        .filter(match__status__in=EMPLOYED, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(Exists(ruptured))
    )


def _latest(queryset, field):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1], output_field=DateField())


def silent(day=None, days=None):
    """In-post contracts whose conseiller has been silent for `days` days or more (the first
    threshold by default), annotated with `conseiller_id`, `last_date` (their last record,
    None when they have none) and `gap_start` (when their silence began)."""
    day = day or today()
    days = thresholds()[0] if days is None else days
    who = OuterRef(CONSEILLER)
    last = _latest(ConseillerLastActivity.objects.filter(conseiller=who), "last_date")
    trained = _latest(
        Enrolment.objects.filter(conseiller=who, status=EnrolmentStatus.TERMINEE, ended_on__lt=day),
        "ended_on",
    )
    back = _latest(Leave.objects.filter(conseiller=who, end__lt=day), "end")
    on_leave = Leave.objects.filter(conseiller=who, start__lte=day, end__gte=day)
    start = F("start_date")
    return (
        in_post(day)
        .exclude(state_condition(ConseillerState.EN_FORMATION, conseiller=CONSEILLER))
        .exclude(Exists(on_leave))
        .annotate(
            conseiller_id=F(f"{CONSEILLER}_id"),
            last_date=last,
            gap_start=Greatest(
                start,
                Coalesce(last, start),
                Coalesce(trained, start),
                Coalesce(back, start),
                output_field=DateField(),
            ),
        )
        .filter(gap_start__lte=day - datetime.timedelta(days=days))
    )


def with_reminders(contracts):
    """Annotate `reminded`: the highest level already sent for the current gap (None: none)."""
    sent = InactivityReminder.objects.filter(
        conseiller_id=OuterRef("conseiller_id"), gap_start=OuterRef("gap_start")
    ).order_by("-level")
    return contracts.annotate(reminded=Subquery(sent.values("level")[:1]))


def level_due(gap_start, day):
    """The reminder level a silence since `gap_start` has reached on `day` (0: none)."""
    first, second = thresholds()
    silence = (day - gap_start).days
    return 2 if silence >= second else 1 if silence >= first else 0
