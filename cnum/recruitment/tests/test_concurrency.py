"""Concurrent requests for the last post: the structure's row lock lets exactly one through."""

import threading

import pytest
from django.db import connection, connections

from cnum.accounts.testing import make_user
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.recruitment import services
from cnum.recruitment.effects import RecruitmentRefused
from cnum.recruitment.models import Contract
from cnum.recruitment.testing import contract_data, make_match, make_validated_structure, recruited

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the quota's row lock is only exercised by real concurrent connections "
        "(PostgreSQL); SQLite serialises every writer",
    ),
]
CONCURRENT = 6


def test_only_one_of_several_concurrent_requests_gets_the_last_post():
    manager = make_user()
    structure = make_validated_structure(posts=3, manager=manager)
    recruited(structure, manager)
    recruited(structure, manager)  # 2 of 3 posts taken: one left
    matches = [make_match(structure) for _ in range(CONCURRENT)]
    barrier = threading.Barrier(CONCURRENT)
    outcomes = []

    def request(match):
        try:
            stale = Match.objects.get(pk=match.pk)
            barrier.wait()
            services.request_recruitment(stale, manager, contract_data())
            outcomes.append("ok")
        except RecruitmentRefused as error:
            outcomes.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request, args=(m,)) for m in matches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == CONCURRENT - 1
    assert all(
        r.startswith("Tous les postes attribués à la structure sont pourvus") for r in refusals
    )
    assert structure.matches.filter(status__in=(S.RECRUTEE, S.FINALISEE)).count() == 3
    assert Contract.objects.filter(match__in=matches).count() == 1
