"""Concurrent confirmations on PostgreSQL: the workshop row lock gives the last seat to one."""

import pytest
from django.db import connection

from cnum.core import concurrency_testing
from cnum.workshops import services
from cnum.workshops.testing import make_registration, make_workshop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def race(calls):
    return concurrency_testing.race(calls, refused=services.WorkshopError)


def pending(workshop, n, email=None):
    return services.request_registration(
        workshop, name=f"Personne {n}", email=email or f"p{n}@exemple.fr"
    )


def test_the_last_seat_goes_to_exactly_one_of_many_concurrent_confirmations():
    workshop = make_workshop(capacity=3)
    make_registration(workshop)
    make_registration(workshop)
    requests = [pending(workshop, n) for n in range(8)]
    calls = [lambda r=r: services.confirm_registration(r) for r in requests]
    assert race(calls) == ["WorkshopFull"] * 7 + ["ok"]
    assert services.active_count(workshop) == 3


def test_one_email_confirmed_twice_at_once_gets_one_seat():
    workshop = make_workshop(capacity=10)
    requests = [pending(workshop, n, email="ana@exemple.fr") for n in range(4)]
    calls = [lambda r=r: services.confirm_registration(r) for r in requests]
    assert race(calls) == ["AlreadyRegistered"] * 3 + ["ok"]
    assert services.active_count(workshop) == 1
