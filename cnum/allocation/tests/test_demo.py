"""The whole demo, in seed_demo's order (accounts → structures → candidates → matching →
recruitment → allocation): real screens for every demo account, and idempotent."""

import pytest
from django.db.models import Count

from cnum.accounts.demo import DEMO_DOMAIN
from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.allocation import services
from cnum.allocation.models import AllocationRun
from cnum.matching.enums import MatchStatus
from cnum.matching.models import Match
from cnum.recruitment.models import Contract, Rupture
from cnum.structures.models import Structure

pytestmark = pytest.mark.django_db

SEEDERS = [
    "cnum.accounts.demo.seed",
    "cnum.structures.demo.seed",
    "cnum.candidates.demo.seed",
    "cnum.matching.demo.seed",
    "cnum.recruitment.demo.seed",
    "cnum.allocation.demo.seed",
]


def seed_all():
    from django.utils.module_loading import import_string

    context = {}
    for path in SEEDERS:
        import_string(path)(context)
    return context


def counts():
    return (
        User.objects.count(),
        Structure.objects.count(),
        dict(Match.objects.values_list("status").annotate(n=Count("pk"))),
        Contract.objects.count(),
        AllocationRun.objects.count(),
    )


def test_the_demo_shows_every_stage_and_is_idempotent():
    seed_all()
    statuses = set(Match.objects.values_list("status", flat=True))
    assert statuses == set(MatchStatus)
    assert Contract.objects.count() >= 50
    assert Rupture.objects.exists()
    conseillers = Membership.objects.filter(role=Role.CONSEILLER, is_active=True)
    assert conseillers.count() >= 40
    # Quota never exceeded.
    for structure in Structure.objects.filter(matches__isnull=False).distinct():
        assert structure.filled_posts() <= structure.current_posts()
    # The demo manager has a vacant post, candidates sorted, and suggestions to look at.
    manager = User.objects.get(email=f"structure@{DEMO_DOMAIN}")
    own = Structure.objects.managed_by(manager).get()
    assert own.vacant_posts() >= 1
    assert own.matches.filter(status=MatchStatus.INTERESSEE).exists()
    assert services.suggestions_for(own)
    # The demo candidate is still a candidate (pre-selected by the demo manager only).
    candidate = User.objects.get(email=f"candidat@{DEMO_DOMAIN}").candidate_profile
    assert candidate.is_available
    assert set(candidate.matches.values_list("structure", flat=True)) <= {own.pk}
    run = AllocationRun.objects.get()
    assert run.is_finished and run.posts_vacant >= 20

    before = counts()
    seed_all()
    assert counts() == before
