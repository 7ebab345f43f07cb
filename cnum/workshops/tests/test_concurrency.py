"""Concurrent registrations on PostgreSQL: the workshop row lock gives the last seat to one."""

import pytest
from django.db import connection

from cnum.core import concurrency_testing
from cnum.workshops import services
from cnum.workshops.models import Registration
from cnum.workshops.testing import make_registration, make_workshop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def race(calls):
    return concurrency_testing.race(calls, refused=services.WorkshopError)


def test_the_last_seat_goes_to_exactly_one_of_many_concurrent_registrations():
    workshop = make_workshop(capacity=3)
    make_registration(workshop)
    make_registration(workshop)
    calls = [
        lambda n=n: services.register(workshop, name=f"Personne {n}", email=f"p{n}@exemple.fr")
        for n in range(8)
    ]
    assert race(calls) == ["WorkshopFull"] * 7 + ["ok"]
    assert Registration.objects.filter(workshop=workshop).count() == 3


def test_one_email_registered_twice_at_once_gets_one_seat():
    workshop = make_workshop(capacity=10)
    calls = [lambda: services.register(workshop, name="Ana", email="ana@exemple.fr")] * 4
    assert race(calls) == ["AlreadyRegistered"] * 3 + ["ok"]
    assert Registration.objects.filter(workshop=workshop).count() == 1
