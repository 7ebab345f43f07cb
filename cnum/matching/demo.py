"""Demo matches (seed_demo, after the structures and candidates seeders): the demo manager's
structure in Lyon has pre-selected the demo candidate and two nearby candidates, left one aside,
and written a note. Idempotent: moves that are already made are skipped."""

from cnum.accounts.roles import Role
from cnum.candidates.models import CandidateProfile
from cnum.matching import screen, services
from cnum.matching.models import CandidateNote
from cnum.structures.models import Structure


def seed(context):
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
