"""Many committee decisions at once against one envelope: the row lock keeps the ceiling."""

import threading

import pytest
from django.db import connection, connections

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.funding import ledger
from cnum.funding.models import Envelope, LedgerEntry
from cnum.structures.testing import make_structure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need real concurrent connections"
    ),
]

ATTEMPTS = 20


def _race(work):
    barrier = threading.Barrier(len(work))
    outcomes = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except ledger.FundingError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_commitments_never_exceed_the_ceiling():
    envelope = Envelope.objects.get(code="conseillers-2020")
    # Room for exactly 7 posts at 50 000 €.
    Envelope.objects.filter(pk=envelope.pk).update(ceiling_cents=7 * 5_000_000)
    admin = make_user(Role.ADMINISTRATEUR)
    structures = [make_structure() for _ in range(ATTEMPTS)]
    work = [
        lambda s=s: ledger.commit(envelope, s, 5_000_000, author=admin, reason="COSELEC")
        for s in structures
    ]
    outcomes = _race(work)
    envelope.refresh_from_db()
    assert outcomes.count("ok") == 7 and outcomes.count("refused") == ATTEMPTS - 7
    assert envelope.committed_cents == 7 * 5_000_000 == envelope.ceiling_cents
    assert LedgerEntry.objects.filter(envelope=envelope).count() == 7
    assert not ledger.verify()


def test_concurrent_payments_never_exceed_the_commitment():
    envelope = Envelope.objects.get(code="conseillers-2020")
    operator = make_user(Role.OPERATEUR_FINANCIER)
    structure = make_structure()
    ledger.commit(envelope, structure, 5_000_000, author=operator, reason="COSELEC")
    work = [
        lambda: ledger.pay(structure, 2_000_000, author=operator, reason="Versement")
        for _ in range(6)
    ]
    outcomes = _race(work)
    assert outcomes.count("ok") == 2
    assert ledger.structure_balance(structure).paid == 4_000_000
    assert not ledger.verify()
