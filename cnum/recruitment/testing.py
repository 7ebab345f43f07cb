"""Test helpers: validated structures with posts, matches at a given stage, contracts."""

import datetime
from decimal import Decimal

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.services import today
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.recruitment import services
from cnum.recruitment.enums import ContractType
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision
from cnum.structures.testing import make_structure


def make_validated_structure(posts=2, *, manager=None, departement="69", **fields):
    """A structure validated by the committee with `posts` posts and, if given, its manager."""
    structure = make_structure(
        departement=departement, manager=manager, status=Status.VALIDATION_COSELEC, **fields
    )
    CommitteeDecision.objects.create(
        structure=structure,
        opinion=CommitteeOpinion.POSITIF,
        posts_granted=posts,
        decided_by=make_user(),
    )
    return structure


def make_match(structure, status=S.INTERESSEE, candidate=None, **profile_fields):
    candidate = candidate or make_profile(**profile_fields)
    return Match.objects.create(candidate=candidate, structure=structure, status=status)


def contract_data(**overrides):
    start = today() + datetime.timedelta(days=7)
    return {
        "type": ContractType.CDD,
        "start_date": start,
        "end_date": start + datetime.timedelta(days=365),
        "weekly_hours": 35,
        "gross_monthly_salary": Decimal("1900.00"),
        **overrides,
    }


def recruited(structure=None, manager=None, **contract):
    """A match in recrutee (contract entered by the structure's manager)."""
    if manager is None:
        existing = structure.managers().first() if structure else None
        manager = existing.user if existing else make_user(Role.GESTIONNAIRE_STRUCTURE)
    structure = structure or make_validated_structure(manager=manager)
    match = make_match(structure)
    services.request_recruitment(match, manager, contract_data(**contract))
    match.refresh_from_db()
    return match


def employed(structure=None, manager=None, admin=None, **contract):
    """A match in finalisee: the person is a conseiller of the structure."""
    match = recruited(structure, manager, **contract)
    services.validate_recruitment(match, admin or make_user(Role.ADMINISTRATEUR))
    match.refresh_from_db()
    return match


def match_kwargs():
    """For the permission matrix: a pre-selected match in a Lyon (69) structure of a third party."""
    return {"pk": make_match(make_validated_structure(manager=make_user())).pk}


def employed_kwargs():
    return {"pk": employed().pk}


def structure_kwargs():
    return {"pk": make_validated_structure().pk}
