"""Match use cases: a structure sorts its candidates; the platform follows each candidate.

A Match row is created only when someone acts on the relation; statuses move only through
apply_transition (history in TransitionLog).
"""

from django.db import IntegrityError, transaction
from django.db.models import Q

from cnum.candidates.models import CandidateProfile
from cnum.matching.eligibility import Eligibility
from cnum.matching.enums import EMPLOYED, OPEN
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateNote, Match
from cnum.matching.policies import has_accepted_contact, may_see_candidates
from cnum.territories.services import CommuneNotResolved, resolve_commune
from cnum.workflow.engine import PLATFORM, InvalidTransition, apply_transition

SEARCH_LIMIT = 20


class MatchingError(Exception):
    """A move the page offered but that cannot be made now: `message` says why (French)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def match_for(structure, candidate):
    return Match.objects.filter(structure=structure, candidate=candidate).first()


def get_or_create_match(structure, candidate):
    try:
        with transaction.atomic():
            match, _ = Match.objects.get_or_create(structure=structure, candidate=candidate)
    except IntegrityError:  # two managers acting at once: the other one created it
        match = Match.objects.get(structure=structure, candidate=candidate)
    return match


def _check_open(structure):
    if not may_see_candidates(structure):
        raise MatchingError(
            "Votre structure n'est pas validée par le comité de sélection : "
            "elle ne peut pas encore recruter."
        )


def move(match, to, actor, comment=""):
    """A structure's sorting move; it also ends any postponement (the structure decided)."""
    if match.status == to:
        _end_postponement(match)
        return match
    if not Match.workflow.can(match, to, actor):
        raise MatchingError(
            f"Cette mise en relation est « {match.get_status_display().lower()} » : "
            "cette action n'est plus possible. Rechargez la page."
        )
    _end_postponement(match)
    try:
        apply_transition(match, to, actor, comment)
    except InvalidTransition as error:
        if error.from_status != to:
            raise
        # Another manager made the same move a moment earlier: done.
        match.refresh_from_db(fields=["status"])
    return match


def _end_postponement(match):
    if match.postponed_until is not None:
        Match.objects.filter(pk=match.pk).update(postponed_until=None)
        match.postponed_until = None


OUT_OF_ZONE = (
    "{name} n'a pas choisi de travailler aussi loin de chez elle ou sur votre territoire : "
    "vous ne pouvez pas la présélectionner directement. Envoyez-lui une demande de contact "
    "depuis la recherche ; ses coordonnées vous seront visibles si elle l'accepte."
)


def may_preselect(structure, candidate):
    """Within the candidate's own zone (maximum distance, territory), or with their consent."""
    return Eligibility(structure).is_eligible(candidate) or has_accepted_contact(
        structure, candidate
    )


def preselect(structure, candidate, actor):
    """Pre-select an active, available candidate for whom the structure is eligible, or who
    accepted its contact request (pre-selection unlocks contact details and CV)."""
    _check_open(structure)
    if candidate.activated_at is None or not candidate.is_available:
        raise MatchingError("Cette personne n'est plus disponible : elle ne peut pas être retenue.")
    if not may_preselect(structure, candidate):
        raise MatchingError(OUT_OF_ZONE.format(name=candidate.user.get_full_name()))
    return move(get_or_create_match(structure, candidate), S.INTERESSEE, actor)


def not_retained(structure, candidate, actor):
    _check_open(structure)
    return move(get_or_create_match(structure, candidate), S.NON_INTERESSEE, actor)


def back_to_new(structure, candidate, actor):
    match = match_for(structure, candidate)
    if match is None:
        return None
    return move(match, S.NOUVELLE, actor)


ACTIONS = {"preselect": preselect, "not_retained": not_retained, "back_to_new": back_to_new}


def search(q="", commune_text=""):
    """Every active, available candidate of France by name and/or commune (at most 20).

    Returns (profiles, error message or "")."""
    words = str(q or "").split()[:5]
    commune_text = str(commune_text or "").strip()
    if not words and not commune_text:
        return [], ""
    found = CandidateProfile.objects.active().filter(is_available=True)
    for word in words:
        found = found.filter(
            Q(user__last_name__icontains=word) | Q(user__first_name__icontains=word)
        )
    if commune_text:
        try:
            found = found.filter(commune=resolve_commune(commune_text))
        except CommuneNotResolved as error:
            return [], error.message
    profiles = found.select_related("user", "commune").order_by(
        "user__last_name", "user__first_name", "pk"
    )[:SEARCH_LIMIT]
    return list(profiles), ""


def add_note(structure, candidate, author, data):
    return CandidateNote.objects.create(
        structure=structure, candidate=candidate, author=author, **data
    )


def notes_for(structure, candidate):
    return CandidateNote.objects.filter(structure=structure, candidate=candidate).select_related(
        "author"
    )


# The platform follows the candidate (receivers of cnum.candidates.signals).


def candidate_unavailable(profile):
    """Open matches of a candidate who is no longer available → non_disponible."""
    for match in Match.objects.filter(candidate=profile, status__in=OPEN):
        apply_transition(match, S.NON_DISPONIBLE, PLATFORM, "Candidat indisponible")


def candidate_available(profile):
    """Available again: matches closed because of it reopen as new, unless the person works
    for a structure right now."""
    if Match.objects.filter(candidate=profile, status__in=EMPLOYED).exists():
        return
    closed = (S.NON_DISPONIBLE, S.FINALISEE_NON_DISPONIBLE)
    for match in Match.objects.filter(candidate=profile, status__in=closed):
        apply_transition(match, S.NOUVELLE, PLATFORM, "Candidat de nouveau disponible")


def is_visible_to_structure(structure, candidate, match=None):
    """A structure sees a candidate it may recruit (eligible), one it already acted on, or one
    who accepted its contact request."""
    return (
        match is not None
        or Eligibility(structure).is_eligible(candidate)
        or has_accepted_contact(structure, candidate)
    )


def searchable(pk):
    """An active, available candidate anywhere in France (what the manual search finds)."""
    return (
        CandidateProfile.objects.active()
        .filter(is_available=True, pk=pk)
        .select_related("user", "commune")
        .first()
    )
