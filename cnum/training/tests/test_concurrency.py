"""Concurrent enrolments on PostgreSQL: the session row lock gives the last seat to one request."""

import threading

import pytest
from django.db import connection, connections, transaction

from cnum.accounts.testing import make_user
from cnum.core import concurrency_testing
from cnum.structures.testing import make_structure
from cnum.training import services
from cnum.training.enums import HOLDING_SEAT
from cnum.training.models import Enrolment
from cnum.training.testing import make_conseiller, make_enrolment, make_organisation, make_session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def race(calls):
    return concurrency_testing.race(calls, refused=services.TrainingError)


def test_the_last_seat_goes_to_exactly_one_of_many_concurrent_requests():
    manager = make_user()
    structure = make_structure(manager=manager)
    session = make_session(make_organisation(), capacity=3)
    for _ in range(2):
        make_enrolment(session, make_conseiller(structure))
    people = [make_conseiller(structure) for _ in range(6)]
    outcomes = race([lambda p=p: services.enrol(manager, p, structure, session) for p in people])
    assert outcomes == ["SessionFull"] * 5 + ["ok"]
    assert Enrolment.objects.filter(session=session, status__in=HOLDING_SEAT).count() == 3


def test_one_conseiller_enrolled_twice_at_once_gets_one_enrolment():
    manager = make_user()
    structure = make_structure(manager=manager)
    conseiller = make_conseiller(structure)
    organisation = make_organisation()
    sessions = [make_session(organisation) for _ in range(4)]
    outcomes = race(
        [lambda s=s: services.enrol(manager, conseiller, structure, s) for s in sessions]
    )
    assert outcomes == ["AlreadyEnrolled"] * 3 + ["ok"]
    assert Enrolment.objects.filter(conseiller=conseiller).count() == 1


def test_enrolments_in_two_sessions_of_one_organisation_do_not_wait_for_each_other():
    manager = make_user()
    structure = make_structure(manager=manager)
    organisation = make_organisation()
    first, second = make_session(organisation), make_session(organisation)
    early, other = make_conseiller(structure), make_conseiller(structure)
    enrolled, release = threading.Event(), threading.Event()

    def enrol_and_hold():
        try:
            with transaction.atomic():
                services.enrol(manager, early, structure, first)
                enrolled.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    holder = threading.Thread(target=enrol_and_hold)
    holder.start()
    assert enrolled.wait(timeout=20)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        # Waiting for the first transaction would fail here with a lock timeout.
        services.enrol(manager, other, structure, second)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
        release.set()
        holder.join()
    assert Enrolment.objects.filter(session__organisation=organisation).count() == 2
