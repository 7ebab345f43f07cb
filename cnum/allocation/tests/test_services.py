"""Runs on real data: who is a candidate, which posts are vacant, the task, the suggestions."""

import datetime

import pytest

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.allocation import services
from cnum.allocation.models import AllocationRun, RunStructure, Scope, Suggestion
from cnum.allocation.testing import make_validated_structure
from cnum.candidates.services import today
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.models import CommitteeSession
from cnum.structures.testing import make_structure
from cnum.territories.models import Departement

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_user(Role.ADMINISTRATEUR)


def run_now(admin, scope=Scope.NATIONAL, **target):
    run = AllocationRun.objects.create(scope=scope, launched_by=admin, **target)
    return services.compute(run)


def test_only_eligible_candidates_are_suggested(admin):
    structure = make_validated_structure(posts=10, departement="69")  # Lyon
    later = structure.mission_start + datetime.timedelta(days=1)
    near = make_profile(commune="69266", max_distance_km=10)  # Villeurbanne, ~5 km
    make_profile(commune="13055", max_distance_km=100)  # Marseille: beyond its reach
    make_profile(commune="69266", availability_date=later)  # available after the mission start
    make_profile(commune="69266", is_available=False)
    make_profile(commune="69266", active=False)
    make_profile(commune="97105", max_distance_km=2000)  # Guadeloupe: another territory
    recruited = make_profile(commune="69266")
    other = make_validated_structure(posts=1, departement="75")
    Match.objects.create(candidate=recruited, structure=other, status=MatchStatus.FINALISEE)
    far = make_profile(commune="75056", max_distance_km=2000)  # Paris, ready to move
    run = run_now(admin)
    assert services.suggestions_for(structure) == {near.pk, far.pk}
    assert run.optimal_filled == 2 and run.posts_vacant == 10
    # Paris's own post is held by the recruited candidate: no vacancy there.
    assert not RunStructure.objects.filter(run=run, structure=other).exists()


def test_vacant_posts_are_granted_minus_held(admin):
    structure = make_validated_structure(posts=3, departement="69")
    for status in (MatchStatus.RECRUTEE, MatchStatus.NOUVELLE_RUPTURE, MatchStatus.INTERESSEE):
        Match.objects.create(candidate=make_profile(), structure=structure, status=status)
    make_structure(departement="69", status=Status.CREEE)  # not validated: out of scope
    run = run_now(admin)
    row = RunStructure.objects.get(run=run)
    assert row.structure == structure and row.vacant == 1
    # The pre-selected candidate is still available: suggested for the remaining post.
    assert run.optimal_filled == 1


def test_an_old_mission_start_counts_from_today(admin):
    structure = make_validated_structure(
        posts=1, mission_start=today() - datetime.timedelta(days=90)
    )
    candidate = make_profile(availability_date=today())
    run_now(admin)
    assert services.suggestions_for(structure) == {candidate.pk}


def test_departement_and_session_scopes(admin):
    session = CommitteeSession.objects.create(number=7, date=datetime.date(2026, 2, 1))
    in_session = make_validated_structure(posts=1, departement="75", session=session)
    lyon = make_validated_structure(posts=1, departement="69")
    make_profile(commune="75056")
    make_profile(commune="69123")
    run = run_now(admin, Scope.SESSION, session=session)
    assert set(run.structures.values_list("structure", flat=True)) == {in_session.pk}
    run = run_now(admin, Scope.DEPARTEMENT, departement=Departement.objects.get(code="69"))
    assert set(run.structures.values_list("structure", flat=True)) == {lyon.pk}
    summary = services.departement_summary(run)
    assert summary == [
        {
            "departement_id": "69",
            "departement__nom": "Rhône",
            "vacant": 1,
            "optimal": 1,
            "greedy": 1,
            "structures": 1,
            "unfilled": 0,
        }
    ]


def test_suggestions_follow_the_latest_run_and_the_candidate(admin):
    structure = make_validated_structure(posts=1)
    first = make_profile(commune="69123")
    run_now(admin)
    assert services.suggestions_for(structure) == {first.pk}
    # The candidate becomes unavailable: no longer suggested, even before the next run.
    first.is_available = False
    first.save()
    assert services.suggestions_for(structure) == set()
    second = make_profile(commune="69266")
    run_now(admin)
    assert services.suggestions_for(structure) == {second.pk}
    # A run that does not cover the structure leaves its suggestions alone.
    run_now(admin, Scope.DEPARTEMENT, departement=Departement.objects.get(code="75"))
    assert services.suggestions_for(structure) == {second.pk}
    assert services.suggestions_for(make_validated_structure(posts=1)) == set()


def test_the_task_runs_in_the_worker(admin, django_capture_on_commit_callbacks, run_tasks):
    structure = make_validated_structure(posts=2)
    make_profile(commune="69123")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(admin, Scope.NATIONAL)
    assert AllocationRun.objects.get(pk=run.pk).is_pending
    run_tasks()
    run.refresh_from_db()
    assert run.is_finished and run.duration_ms is not None
    assert (run.posts_vacant, run.optimal_filled, run.greedy_filled) == (2, 1, 1)
    assert Suggestion.objects.get(run=run).structure == structure


def test_a_second_run_waits_for_the_first(admin):
    services.request_run(admin, Scope.NATIONAL)
    with pytest.raises(services.RunRefused, match="déjà en cours"):
        services.request_run(admin, Scope.NATIONAL)


def test_a_failure_is_recorded(admin, monkeypatch, django_capture_on_commit_callbacks, run_tasks):
    from cnum.allocation import engine

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "solve", broken)
    make_validated_structure(posts=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(admin, Scope.NATIONAL)
    run_tasks()
    run.refresh_from_db()
    assert run.error.startswith("Le calcul a échoué") and not run.is_finished
    assert not Suggestion.objects.exists()
