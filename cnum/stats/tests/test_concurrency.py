"""Concurrent creations, edits and deletions on PostgreSQL: the rollups end equal to a fresh
aggregation of the records, for every row and column."""

import pytest
from django.db import connection

from cnum.activity import services
from cnum.activity.models import Cra
from cnum.core.concurrency_testing import race
from cnum.stats.tests.activity_data import (
    assert_rollups_match_records,
    create,
    edit,
    make_world,
    random_generator,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent connections"
    ),
]


def worker(seed, world, shared):
    """A user saving, editing and deleting records, often the ones others edit too."""

    def run():
        rng = random_generator(seed)
        for _ in range(12):
            roll = rng.random()
            if roll < 0.4:
                create(rng, world, rng.choice(world.conseillers))
                continue
            cra = Cra.objects.select_related("conseiller").get(pk=rng.choice(shared))
            if roll < 0.85:
                edit(rng, world, cra)
            else:
                services.soft_delete(cra)

    return run


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_concurrent_writes_keep_every_rollup_equal_to_the_records(seed):
    rng = random_generator(seed)
    world = make_world(rng, conseillers_per_structure=1)
    # A few records edited by everyone at once: the most contention on the same rows.
    shared = [create(rng, world, world.conseillers[n % 2]).pk for n in range(4)]
    calls = [worker(seed * 100 + n, world, shared) for n in range(6)]
    assert race(calls) == ["ok"] * 6
    assert Cra.objects.count() > 20
    assert_rollups_match_records()
