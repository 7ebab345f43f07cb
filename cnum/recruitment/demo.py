"""Demo matches and recruitments (seed_demo, after cnum.matching.demo).

1. Every other validated structure sorts its nearest candidates: three pre-selected, one not
   retained, one put back to « nouvelle » (the matching seeder already did the demo manager's).
2. Recruitments: contracts, validated recruitments (conseillers), ruptures, renewals and ended
   contracts, through the recruitment use cases so that every effect is real (quota, conseiller
   role, other matches closed, post freed); a few candidates become unavailable.

Demo history is not news: the match e-mails are switched off while seeding. Idempotent: a
structure with matches is not sorted again; recruitments run only while no contract exists.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

from cnum.accounts.demo import DEMO_DOMAIN
from cnum.accounts.roles import Role
from cnum.candidates import services as candidates
from cnum.candidates.models import CandidateProfile
from cnum.candidates.services import today
from cnum.matching import services as matching
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.recruitment import services
from cnum.recruitment.enums import ContractType, RuptureMotif
from cnum.recruitment.models import Contract
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.territories.services import distance_km
from cnum.workflow.engine import apply_transition

PER_STRUCTURE = 5
DEMO_CANDIDATE = f"candidat@{DEMO_DOMAIN}"
CONTRACT_TYPES = [
    ContractType.CDD,
    ContractType.CDD,
    ContractType.PEC,
    ContractType.CDI,
    ContractType.CONTRAT_DE_PROJET_PUBLIC,
]


@contextmanager
def no_match_emails():
    saved = Match.workflow.on_commit
    Match.workflow.on_commit = None
    try:
        yield
    finally:
        Match.workflow.on_commit = saved


# 1. Sorting -----------------------------------------------------------------------------------


def _territory(departement):
    return departement if departement.startswith("97") else "métropole"


def _pool():
    """Active, available candidates (the demo candidate account stays with the demo manager)."""
    return [
        (pk, (lat, lon), _territory(departement), max_km)
        for pk, lat, lon, departement, max_km in CandidateProfile.objects.active()
        .filter(is_available=True)
        .exclude(user__email=DEMO_CANDIDATE)
        .order_by("pk")
        .values_list(
            "pk",
            "commune__latitude",
            "commune__longitude",
            "commune__departement_id",
            "max_distance_km",
        )
    ]


def _nearest(structure, pool):
    """The nearest candidates whose own maximum distance reaches `structure`."""
    here = (structure.commune.latitude, structure.commune.longitude)
    territory = _territory(structure.departement_id)
    reachable = []
    for pk, home, their_territory, max_km in pool:
        if their_territory == territory:
            km = distance_km(here, home)
            if km <= max_km:
                reachable.append((km, pk))
    return [pk for _, pk in sorted(reachable)[:PER_STRUCTURE]]


def seed_sorting():
    structures = list(
        Structure.objects.filter(status=Status.VALIDATION_COSELEC)
        .exclude(pk__in=Match.objects.values("structure_id"))
        .select_related("commune")
        .order_by("pk")
    )
    if not structures:
        return
    pool = _pool()
    profiles = CandidateProfile.objects.in_bulk([pk for pk, *_ in pool])
    for structure in structures:
        manager = structure.managers().first()
        if manager is None:
            continue
        for rank, pk in enumerate(_nearest(structure, pool)):
            if rank == 3:
                matching.not_retained(structure, profiles[pk], manager.user)
            else:
                matching.preselect(structure, profiles[pk], manager.user)
            if rank == 4:
                matching.back_to_new(structure, profiles[pk], manager.user)


# 2. Recruitments ------------------------------------------------------------------------------


def contract_data(n):
    kind = CONTRACT_TYPES[n % len(CONTRACT_TYPES)]
    start = today() + datetime.timedelta(days=7 + n % 20)
    return {
        "type": kind,
        "start_date": start,
        "end_date": None if kind == ContractType.CDI else start + datetime.timedelta(days=730),
        "weekly_hours": 24 if n % 6 == 5 else 35,  # a few part-time contracts
        "gross_monthly_salary": Decimal("1900.00") + n % 5 * 50,
    }


def _recruit(structure, manager, admin, counter, *, own, reserved):
    """Recruit pre-selected candidates (not `reserved`) up to the quota. The demo manager
    keeps a vacant post and the demo candidate pre-selected: their screens have work to do."""
    posts = structure.current_posts() - int(own)
    matches = list(
        structure.matches.filter(status=S.INTERESSEE)
        .exclude(candidate__in=reserved)
        .exclude(candidate__user__email=DEMO_CANDIDATE)
        .order_by("pk")[: max(posts, 0)]
    )
    for match in matches:
        match.refresh_from_db()
        if match.status != S.INTERESSEE:  # recruited elsewhere meanwhile
            continue
        n = next(counter)
        services.request_recruitment(match, manager, contract_data(n))
        if n % 4:  # one request in four still waits for the administration
            services.validate_recruitment(match, admin)
            if not own:
                _after_validation(match, manager, admin, n)


def _after_validation(match, manager, admin, n):
    contract = Contract.objects.current().get(match=match)
    if n % 9 == 1:
        services.notify_rupture(
            match,
            manager,
            motif=RuptureMotif.DEMISSION if n % 2 else RuptureMotif.NON_RECONDUCTION_CDD,
            date=contract.start_date + datetime.timedelta(days=60),
        )
        if n % 18 == 1:  # half of them validated: the person is available again
            services.validate_rupture(match, admin)
    elif n % 11 == 2 and contract.type != ContractType.CDI:
        data = contract_data(n)
        data["start_date"] = contract.end_date + datetime.timedelta(days=1)
        data["end_date"] = data["start_date"] + datetime.timedelta(days=365)
        data["type"] = ContractType.CDD
        services.draft_renewal(match, manager, data)
    elif n % 13 == 3:
        apply_transition(match, S.TERMINEE, admin, "Fin de contrat (démonstration)")


def _some_candidates_leave(demo):
    """A few pre-selected candidates are no longer available (matches → non_disponible)."""
    chosen = (
        Match.objects.filter(status=S.INTERESSEE, candidate__is_available=True)
        .exclude(structure=demo)
        .order_by("pk")
    )
    ids = list(chosen.values_list("candidate", flat=True).distinct())
    for profile in CandidateProfile.objects.filter(pk__in=ids[::15][:8] or ids[:1]):
        candidates.set_availability(profile, False)


def seed_recruitments(context):
    admin = context["users"][Role.ADMINISTRATEUR]
    demo = context["organisations"]["structure"]
    counter = iter(range(1, 10**6))
    mine = list(Match.objects.filter(structure=demo).values_list("candidate", flat=True))
    with_candidates = Match.objects.filter(
        status=S.INTERESSEE, structure__status=Status.VALIDATION_COSELEC
    ).values("structure")
    for structure in Structure.objects.filter(pk__in=with_candidates).order_by("pk"):
        manager = structure.managers().first()
        if manager is None:
            continue
        own = structure.pk == demo.pk
        _recruit(structure, manager.user, admin, counter, own=own, reserved=[] if own else mine)
    _some_candidates_leave(demo)


def seed(context):
    with no_match_emails():
        seed_sorting()
        if not Contract.objects.exists():
            seed_recruitments(context)
