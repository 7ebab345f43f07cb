"""Demo matches (seed_demo, after the structures and candidates seeders): the demo manager's
structure in Lyon has pre-selected the demo candidate and two nearby candidates (all within their
own zone), left one aside, postponed another, let one go stale, and written a note; a validated
structure far from the demo candidate has asked for contact (pending, answered from the
candidate's space). Idempotent."""

from cnum.accounts.roles import Role
from cnum.candidates.models import CandidateProfile
from cnum.matching import batch, contact, screen, services, staleness
from cnum.matching.eligibility import Eligibility
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import CandidateNote, ContactRequest
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.workflow.engine import PLATFORM, apply_transition


def seed(context):
    _seed_matches(context)
    _seed_contact_request(context)


def _seed_contact_request(context):
    """One pending contact request to the demo candidate, from a structure outside their zone."""
    candidate = CandidateProfile.objects.filter(user=context["users"].get(Role.CANDIDAT)).first()
    if candidate is None or ContactRequest.objects.filter(candidate=candidate).exists():
        return
    if not (candidate.activated_at and candidate.is_available):
        return
    structures = Structure.objects.filter(status=Status.VALIDATION_COSELEC).select_related(
        "commune"
    )
    for structure in structures.order_by("pk"):
        manager = structure.managers().first()
        if manager and not Eligibility(structure).is_eligible(candidate):
            contact.request_contact(structure, candidate, manager.user)
            return


def _seed_matches(context):
    manager = context["users"][Role.GESTIONNAIRE_STRUCTURE]
    structure = Structure.objects.filter(pk=context["organisations"]["structure"].pk).first()
    if structure is None or not structure.managers().filter(user=manager).exists():
        return
    if structure.matches.exists():  # already seeded (the list below would have moved on)
        return
    demo_candidate = CandidateProfile.objects.filter(
        user=context["users"].get(Role.CANDIDAT)
    ).first()
    rows = screen.build(structure, suggestions=set()).rows
    nearby = [row.profile for row in rows if row.profile != demo_candidate]
    chosen = ([demo_candidate] if demo_candidate else []) + nearby[:2]
    for profile in chosen:
        if profile.is_available and profile.activated_at:
            services.preselect(structure, profile, manager)
    for profile in nearby[2:3]:
        services.not_retained(structure, profile, manager)
    # One set aside for a month (batch "reporter"): the "Reportées" tab.
    batch.postpone(structure, [(profile, None) for profile in nearby[3:4]], 30)
    # One pre-selected long ago and closed without follow-up: the "Sans suite" tab.
    for profile in nearby[4:5]:
        match = services.preselect(structure, profile, manager)
        apply_transition(match, S.EXPIREE, PLATFORM, staleness.COMMENT)
    if chosen and not CandidateNote.objects.filter(structure=structure).exists():
        services.add_note(
            structure,
            chosen[0],
            manager,
            {
                "text": "Entretien téléphonique prévu la semaine prochaine ; très motivé(e).",
                "adaptability": 4,
                "emotional_intelligence": 5,
                "digital_understanding": 4,
            },
        )
