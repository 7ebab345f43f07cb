"""Two deciders moving one structure at once: the row lock lets exactly one transition through."""

import threading

import pytest
from django.db import connection, connections

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.structures.testing import make_structure
from cnum.workflow.engine import InvalidTransition, apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]


def test_concurrent_transitions_from_the_same_status_end_with_one_success():
    admin = make_user(Role.ADMINISTRATEUR)
    structure = make_structure()
    targets = [Status.ANNULEE, Status.ABANDON, Status.VALIDATION_COSELEC, Status.REFUS_COSELEC]
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def move(to):
        try:
            stale = Structure.objects.get(pk=structure.pk)  # every thread reads CREEE
            barrier.wait()
            apply_transition(stale, to, admin)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(to,)) for to in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # From ANNULEE/ABANDON nothing else is allowed except reopening; from a decided status
    # another decided status is allowed, so at least one must lose and the log must match.
    final = Structure.objects.get(pk=structure.pk).status
    logs = list(TransitionLog.objects.for_object(structure).order_by("pk"))
    assert logs[0].from_status == Status.CREEE
    assert [log.to_status for log in logs][-1] == final
    for previous, current in zip(logs, logs[1:], strict=False):
        assert current.from_status == previous.to_status  # no lost update
    assert outcomes.count("ok") == len(logs)


def test_two_applications_with_one_siret_confirmed_at_once_give_one_holder_one_duplicate():
    from django.core import signing

    from cnum.core import concurrency_testing
    from cnum.structures import services
    from cnum.structures.confirmation import CONFIRMATION_SALT

    first = make_structure(confirmed=False)
    second = make_structure(siret=first.siret, confirmed=False)
    tokens = [
        signing.dumps({"s": s.pk, "e": s.contact_email}, salt=CONFIRMATION_SALT)
        for s in (first, second)
    ]
    calls = [lambda t=t: services.confirm_application(t) for t in tokens]
    assert concurrency_testing.race(calls) == ["ok", "ok"]
    rows = Structure.objects.values_list("status", "duplicate_of", "confirmed_at")
    (holder_status, holder_of, _), (dup_status, dup_of, dup_at) = sorted(
        rows, key=lambda row: row[0] == Status.DOUBLON
    )
    assert holder_status == Status.CREEE and holder_of is None
    assert dup_status == Status.DOUBLON and dup_of in (first.pk, second.pk) and dup_at
