"""Two managers of one structure pre-selecting the same candidate at once: one Match row, one
move logged, no error shown to either."""

import threading

import pytest
from django.db import connection, connections

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.testing import make_profile
from cnum.matching import services
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.workflow.models import TransitionLog

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def test_concurrent_preselections_make_one_match_and_one_move():
    first = make_user(Role.GESTIONNAIRE_STRUCTURE)
    structure = make_structure(manager=first, status=Status.VALIDATION_COSELEC)
    managers = [first]
    for _ in range(3):
        user = make_user(Role.GESTIONNAIRE_STRUCTURE)
        Membership.objects.create(
            user=user, role=Role.GESTIONNAIRE_STRUCTURE, organisation=structure
        )
        managers.append(user)
    profile = make_profile()
    barrier = threading.Barrier(len(managers))
    errors = []

    def preselect(manager):
        try:
            barrier.wait()
            services.preselect(structure, profile, manager)
        except Exception as error:  # noqa: BLE001 (any failure is the test's finding)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=preselect, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    match = Match.objects.get(structure=structure, candidate=profile)
    assert match.status == S.INTERESSEE
    assert TransitionLog.objects.for_object(match).count() == 1


def test_concurrent_moves_keep_the_tally_equal_to_a_live_count():
    """Candidates swapping communes at the same time (rows taken in key order by the triggers):
    no deadlock, no error, and the tallies equal a live count afterwards."""
    from cnum.candidates.models import CandidateProfile
    from cnum.matching import tally

    lyon, marseille = "69123", "13055"
    profiles = [make_profile(commune=lyon if i % 2 else marseille) for i in range(8)]
    barrier = threading.Barrier(len(profiles))
    errors = []

    def move(profile):
        try:
            barrier.wait()
            for _ in range(5):
                target = marseille if profile.commune_id == lyon else lyon
                CandidateProfile.objects.filter(pk=profile.pk).update(commune_id=target)
                profile.commune_id = target
        except Exception as error:  # noqa: BLE001 (any failure is the test's finding)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(p,)) for p in profiles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert tally.differences() == []
