"""Who sees which candidate from a structure: only a structure validated by the committee sees
candidates at all; then a foreign structure or candidate is a 404."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from cnum.accounts.roles import Role
from cnum.candidates.models import CandidateProfile
from cnum.matching.enums import HOLDING_POST, ContactStatus
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import ContactRequest, Match
from cnum.structures.enums import Status
from cnum.structures.models import Structure

NOT_VALIDATED = (
    "Votre structure doit être validée par le comité de sélection avant de pouvoir consulter "
    "les candidats."
)

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


# The one rule for every page, export or API showing candidates to a structure: it must be
# validated by the committee (a confirmed application is not enough).
SEES_CANDIDATES = Status.VALIDATION_COSELEC


def may_see_candidates(structure):
    return structure.status == SEES_CANDIDATES


# The candidate's consent holds while they are available ("unavailable: structures no longer
# see you", as for pre-selections, which the platform closes then).
ACCEPTED = {"status": ContactStatus.ACCEPTEE, "candidate__is_available": True}


def has_accepted_contact(structure, profile):
    found = ContactRequest.objects.filter(structure=structure, candidate=profile, **ACCEPTED)
    return found.exists()


def candidate_for_structure(structure, candidate_pk):
    """(profile, match or None) of a candidate the structure may see: eligible for it, already
    in a match with it, or who accepted its contact request; anyone else is a 404."""
    from cnum.matching.services import is_visible_to_structure

    if not may_see_candidates(structure):
        raise Http404
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


def contact_allowed(structure, profile, match):
    """Contact details and CV, within the rules the candidate chose: a recruitment under way or
    done; or pre-selected while within their own zone; or their consent to a contact request."""
    from cnum.matching.eligibility import Eligibility

    if not may_see_candidates(structure):
        return False
    if may_contact(match) and match.status != S.INTERESSEE:
        return True
    if may_contact(match) and Eligibility(structure).is_eligible(profile):
        return True
    return has_accepted_contact(structure, profile)


def structures_with_contact(user, profile):
    """Validated structures managed by `user` that may contact `profile`."""
    return (
        Structure.objects.managed_by(user)
        .filter(status=SEES_CANDIDATES)
        .filter(
            Q(matches__candidate=profile, matches__status__in=CONTACT_STATUSES)
            | Q(
                contact_requests__candidate=profile,
                **{f"contact_requests__{key}": value for key, value in ACCEPTED.items()},
            )
        )
        .distinct()
        .order_by("pk")
    )


def manages_structure_in_contact(user, profile):
    """A manager of a structure that pre-selected the candidate (match in interessee or later)
    or whose contact request they accepted: may read the CV (cnum.candidates.policies)."""
    return (
        user.has_role(Role.GESTIONNAIRE_STRUCTURE)
        and structures_with_contact(user, profile).exists()
    )


def holds_post():
    """Condition on CandidateProfile: recruitment asked or done somewhere (never asked whether
    still available, cnum.candidates.survey)."""
    return Exists(Match.objects.filter(candidate=OuterRef("pk"), status__in=HOLDING_POST))
