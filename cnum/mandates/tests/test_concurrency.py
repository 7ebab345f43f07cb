"""Aidants acting at the same moment: real threads, real PostgreSQL connections."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates import services
from cnum.mandates.franceconnect import Identity
from cnum.mandates.models import Authorisation, JournalEntry, Kind, Usager
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant
from cnum.mandates.verification import verify_journal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def run(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def aidants_of(structure, count):
    aidants = [validated_aidant(structure) for _ in range(count)]
    for aidant in aidants:
        TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    return aidants


def test_same_person_identified_twice_at_once_is_one_usager():
    structure = habilitated_structure()
    identity = Identity(
        sub="sub-concurrent",
        given_names="Angela",
        family_name="DUBOIS",
        birth_date=datetime.date(1962, 8, 24),
        birth_place_code="75107",
        birth_country_code="99100",
        gender="female",
        usage_name="",
    )
    aidants = aidants_of(structure, 4)
    run_together(
        [
            lambda a=a: services.establish_identity_franceconnect(
                aidant=a, organisation=structure, identity=identity
            )
            for a in aidants
        ]
    )
    assert Usager.objects.filter(franceconnect_sub="sub-concurrent").count() == 1
    assert JournalEntry.objects.filter(kind=Kind.IDENTITY_ESTABLISHED).count() == 4
    assert verify_journal().ok


def test_concurrent_mandates_for_one_usager_leave_one_active_authorisation_per_domain():
    structure = habilitated_structure()
    aidants = aidants_of(structure, 4)
    usager = make_usager(structure, aidants[0])
    run_together(
        [
            lambda a=a: services.create_mandate(
                aidant=a,
                usager=usager,
                domains=["papiers", "social"],
                duration_days=31,
                consent=True,
            )
            for a in aidants
        ]
    )
    active = Authorisation.objects.active().filter(mandate__usager=usager)
    assert sorted(a.domain for a in active) == ["papiers", "social"]
    assert active.values("mandate").distinct().count() == 1  # the last one replaced the others
    assert verify_journal().ok


def test_last_seat_of_a_training_session_is_taken_once():
    from cnum.core.concurrency_testing import race
    from cnum.mandates import aidant_training
    from cnum.mandates.models import AidantProfile
    from cnum.mandates.tests.factories import training_session

    structure = habilitated_structure()
    referent = structure.habilitation.referent
    session = training_session(seats=1)
    profiles = [
        AidantProfile.objects.get(membership__user=validated_aidant(structure)) for _ in range(2)
    ]
    outcomes = race(
        [lambda p=p: aidant_training.register(session, p, actor=referent) for p in profiles],
        refused=aidant_training.TrainingRefused,
    )
    assert outcomes == ["TrainingRefused", "ok"]
    assert session.registrations.count() == 1
