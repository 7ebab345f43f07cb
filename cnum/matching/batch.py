"""Batch actions of the candidates screen: refuse or postpone several candidates at once.

The selection is checked whole before anything moves: one candidate the structure may not see
(another structure's, a forged number) refuses the batch (403, nothing changes). Each candidate
then moves like the one-by-one buttons (services); one that changed state meanwhile is reported
and skipped, the others go through.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from cnum.candidates.services import today
from cnum.core.mail import send_templated_email
from cnum.matching import services
from cnum.matching.enums import POSTPONABLE, RefusalReason
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.matching.policies import candidate_for_structure
from cnum.workflow.engine import InvalidTransition

MAX_SELECTION = 100


@dataclass
class Outcome:
    done: list = field(default_factory=list)  # profiles moved
    skipped: list = field(default_factory=list)  # (profile, French reason)


def selection(structure, candidate_pks):
    """[(profile, match or None)] of the selected candidates, or PermissionDenied if any of them
    is not one the structure may act on."""
    chosen = []
    for pk in dict.fromkeys(candidate_pks):
        try:
            chosen.append(candidate_for_structure(structure, pk))
        except Http404:
            raise PermissionDenied from None
    return chosen


def refuse(structure, chosen, actor, reason=""):
    """Not retained; the candidate is told the reason by e-mail only when one is chosen."""
    label = RefusalReason(reason).label if reason else ""
    comment = f"Motif communiqué au candidat : {label}" if label else ""
    outcome = Outcome()
    with transaction.atomic():
        for profile, _ in chosen:
            try:
                with transaction.atomic():
                    match = services.get_or_create_match(structure, profile)
                    if match.status == S.NON_INTERESSEE:
                        outcome.skipped.append((profile, "déjà non retenu(e)"))
                        continue
                    services.move(match, S.NON_INTERESSEE, actor, comment)
            except (services.MatchingError, InvalidTransition):
                outcome.skipped.append((profile, "son état ne permet plus de l'écarter"))
                continue
            outcome.done.append(profile)
            if label:
                send_templated_email(
                    "matching/emails/refusal_reason",
                    {"structure": structure, "person": profile.user, "reason": label},
                    [profile.user.email],
                )
    return outcome


def postpone(structure, chosen, days):
    """Set aside until today + days: out of their tab, not closed as stale before then."""
    until = today() + datetime.timedelta(days=days)
    outcome = Outcome()
    ids = []
    with transaction.atomic():
        for profile, _ in chosen:
            match = services.get_or_create_match(structure, profile)
            if match.status not in POSTPONABLE:
                outcome.skipped.append((profile, "seules les candidatures en attente se reportent"))
                continue
            ids.append(match.pk)
            outcome.done.append(profile)
        Match.objects.filter(pk__in=ids, status__in=POSTPONABLE).update(postponed_until=until)
    return outcome, until
