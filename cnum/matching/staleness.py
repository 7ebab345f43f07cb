"""Matches left waiting too long close by themselves (docs/domaine.md#mises-en-relation-perimees).

A stored match still "nouvelle" after MATCH_STALE_NEW_DAYS, or "présélectionnée" after
MATCH_STALE_PRESELECTED_DAYS, moves to "expiree" through the workflow (actor PLATFORM). The clock
starts at the match's last move (its latest TransitionLog row, else its creation) and, for a
match the structure postponed, not before the end of the postponement. Eligible candidates with
no stored match are computed live and never age.

One SQL query finds every stale match of the country; each structure's matches then close in one
transaction, followed by one e-mail to its managers summarising them, and one to each candidate
who was pre-selected. Running twice changes nothing (closed matches are no longer waiting).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cnum.core.mail import send_templated_email
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.models import Structure
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition
from cnum.workflow.models import TransitionLog

PARIS = ZoneInfo("Europe/Paris")
COMMENT = "Clôture automatique : aucune suite donnée dans le délai"


def delays():
    """Days a match may wait in each status before closing (settings)."""
    return {
        S.NOUVELLE: settings.MATCH_STALE_NEW_DAYS,
        S.INTERESSEE: settings.MATCH_STALE_PRESELECTED_DAYS,
    }


def stale(now=None):
    """Matches waiting past their delay: one query (last move as a correlated subquery)."""
    now = now or timezone.now()
    last_move = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Match), object_id=OuterRef("pk")
        )
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    waiting = Q()
    for status, days in delays().items():
        cutoff = now - datetime.timedelta(days=days)
        waiting |= Q(status=status, since__lt=cutoff) & (
            Q(postponed_until__isnull=True)
            | Q(postponed_until__lte=cutoff.astimezone(PARIS).date())
        )
    return (
        Match.objects.filter(status__in=list(delays()))
        .annotate(since=Coalesce(Subquery(last_move), "created_at"))
        .filter(waiting)
    )


@dataclass
class Closed:
    match: Match
    was: str  # the status it was waiting in

    @property
    def was_label(self):
        return S(self.was).label


def close_stale(now=None):
    """Close every stale match; returns (matches closed, structures notified)."""
    by_structure = defaultdict(list)
    rows = stale(now).select_related("candidate__user").order_by("structure_id", "pk")
    for match in rows.iterator(chunk_size=2000):
        by_structure[match.structure_id].append(match)
    structures = Structure.objects.in_bulk(list(by_structure))
    closed_count = 0
    for structure_id, matches in by_structure.items():
        closed = _close_for(structures[structure_id], matches)
        closed_count += len(closed)
    return closed_count, len(by_structure)


def _close_for(structure, matches):
    closed = []
    with transaction.atomic():
        for match in matches:
            was = match.status
            try:
                apply_transition(match, S.EXPIREE, PLATFORM, COMMENT)
            except InvalidTransition:  # moved by someone meanwhile: no longer waiting
                continue
            closed.append(Closed(match, was))
        if closed:
            _notify(structure, closed)
    return closed


def _notify(structure, closed):
    """One summary to the structure's managers; a word to each pre-selected candidate."""
    managers = structure.manager_emails()
    if managers:
        send_templated_email(
            "matching/emails/stale_closed",
            {"structure": structure, "closed": closed, "delays": delays()},
            managers,
        )
    for item in closed:
        if item.was == S.INTERESSEE:
            send_templated_email(
                "matching/emails/stale_candidate",
                {"structure": structure, "person": item.match.candidate.user},
                [item.match.candidate.user.email],
            )
