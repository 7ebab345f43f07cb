"""Who sees which candidate from a structure: a foreign structure or candidate is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cnum.candidates.models import CandidateProfile
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.models import Structure

# From pre-selection on, the structure may contact the candidate and read the CV.
CONTACT_STATUSES = (
    S.INTERESSEE,
    S.RECRUTEE,
    S.FINALISEE,
    S.NOUVELLE_RUPTURE,
    S.FINALISEE_RUPTURE,
    S.RENOUVELLEMENT_INITIE,
    S.TERMINEE,
)


def candidate_for_structure(structure, candidate_pk):
    """(profile, match or None) of a candidate the structure may see: eligible for it, or
    already in a match with it; anyone else is a 404."""
    from cnum.matching.services import is_visible_to_structure

    profile = get_object_or_404(
        CandidateProfile.objects.active().select_related("user", "commune__departement"),
        pk=candidate_pk,
    )
    match = Match.objects.filter(structure=structure, candidate=profile).first()
    if not is_visible_to_structure(structure, profile, match):
        raise Http404
    return profile, match


def may_contact(match):
    return match is not None and match.status in CONTACT_STATUSES


def structures_with_contact(user, profile):
    """Structures managed by `user` that pre-selected `profile` (interessee or later)."""
    return Structure.objects.managed_by(user).filter(
        matches__candidate=profile, matches__status__in=CONTACT_STATUSES
    )
