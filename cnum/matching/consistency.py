"""Stored matches that disagree with the candidates' and structures' current state, and their
repair (through apply_transition, actor PLATFORM). Normally the receivers keep things right;
this catches what slipped through (bulk imports, a crash between two writes).

Rules, checked in this order (the first that applies wins for a match):
1. the candidate works for another structure (EMPLOYED there): open, recrutee or non_disponible
   matches → finalisee_non_disponible;
2. the candidate is unavailable or inactive: open matches → non_disponible;
3. the structure is no longer VALIDATION_COSELEC: open matches → non_disponible (nothing can be
   recruited there; rule 4 never reopens them while the structure stays closed);
4. the candidate is available, active and works nowhere, the structure is validated:
   non_disponible or finalisee_non_disponible → nouvelle.
"""

from dataclasses import dataclass

from django.db import transaction

from cnum.matching.enums import EMPLOYED, OPEN
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition

CLOSED_FOR_CANDIDATE = (S.NON_DISPONIBLE, S.FINALISEE_NON_DISPONIBLE)


@dataclass(frozen=True)
class Inconsistency:
    match: Match
    target: str
    reason: str

    def __str__(self):
        return (
            f"mise en relation {self.match.pk} (candidat {self.match.candidate_id}, structure "
            f"{self.match.structure_id}) : {self.match.status} → {self.target} — {self.reason}"
        )


def _target(match, employed_at):
    candidate, structure = match.candidate, match.structure
    elsewhere = employed_at.get(candidate.pk, set()) - {structure.pk}
    if elsewhere and match.status in (*OPEN, S.RECRUTEE, S.NON_DISPONIBLE):
        return S.FINALISEE_NON_DISPONIBLE, "le candidat est en poste dans une autre structure"
    available = candidate.is_available and candidate.activated_at is not None
    if not available and match.status in OPEN:
        return S.NON_DISPONIBLE, "le candidat n'est plus disponible"
    is_open = structure.status == Status.VALIDATION_COSELEC
    if not is_open and match.status in OPEN:
        return S.NON_DISPONIBLE, "la structure n'est plus validée par le comité"
    works = candidate.pk in employed_at
    if available and is_open and not works and match.status in CLOSED_FOR_CANDIDATE:
        return S.NOUVELLE, "le candidat est de nouveau disponible"
    return None


def find():
    """Every inconsistency, in match order."""
    employed_at = {}
    for candidate_id, structure_id in Match.objects.filter(status__in=EMPLOYED).values_list(
        "candidate_id", "structure_id"
    ):
        employed_at.setdefault(candidate_id, set()).add(structure_id)
    checked = (*OPEN, S.RECRUTEE, *CLOSED_FOR_CANDIDATE)
    matches = (
        Match.objects.filter(status__in=checked)
        .select_related("candidate", "structure")
        .order_by("pk")
    )
    found = []
    for match in matches.iterator(chunk_size=2000):
        target = _target(match, employed_at)
        if target:
            found.append(Inconsistency(match, *target))
    return found


def fix(inconsistencies):
    """Apply each repair; returns how many were made (a match that moved meanwhile is skipped)."""
    fixed = 0
    for item in inconsistencies:
        try:
            with transaction.atomic():
                apply_transition(item.match, item.target, PLATFORM, f"Réparation : {item.reason}")
        except InvalidTransition:
            continue
        fixed += 1
    return fixed
