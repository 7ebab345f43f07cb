"""Ledger invariants under random sequences of commitments, amendments, payments, ruptures and
recoveries: balances equal the sum of rows, no envelope beyond its ceiling or below zero, no
structure paid more than is committed to it."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.funding import ledger
from cnum.funding.enums import EntryKind
from cnum.funding.models import Envelope, LedgerEntry
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db

STRUCTURES = 3
operations = st.lists(
    st.tuples(
        st.sampled_from(["commit", "release", "pay", "rupture", "recover"]),
        st.integers(0, STRUCTURES - 1),
        st.integers(1, 6_000_000),
    ),
    min_size=1,
    max_size=25,
)


class Rollback(Exception):
    pass


def _apply(operation, structure, amount, author):
    try:
        if operation == "commit":  # a decision or an amendment adding posts
            ledger.commit(
                Envelope.objects.get(code="test"),
                structure,
                amount,
                author=author,
                reason="Décision",
            )
        elif operation == "release":  # an amendment giving posts back
            ledger.release(
                structure, amount, author=author, reason="Rendu de postes", purpose="KITS"
            )
        elif operation == "pay":
            ledger.pay(structure, amount, author=author, reason="Versement", purpose="KITS")
        elif operation == "rupture":
            ledger.release(structure, amount // 2, author=None, reason="Rupture", purpose="KITS")
        else:
            ledger.recover(structure, amount, author=author, reason="Reversement", purpose="KITS")
    except ledger.FundingError:
        return "refused"
    return "done"


def _check_invariants(structures):
    envelope = Envelope.objects.get(code="test")
    rows = ledger.balance(LedgerEntry.objects.filter(envelope=envelope))
    assert (envelope.committed_cents, envelope.paid_cents) == (rows.committed, rows.paid)
    assert 0 <= envelope.paid_cents <= envelope.committed_cents <= envelope.ceiling_cents
    assert not ledger.verify()
    for structure in structures:
        balance = ledger.balance(LedgerEntry.objects.filter(structure=structure))
        assert 0 <= balance.paid <= balance.committed
    assert not LedgerEntry.objects.filter(amount_cents__lte=0).exists()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations, ceiling=st.integers(1, 15_000_000))
def test_invariants_hold_after_any_sequence(steps, ceiling):
    try:
        with transaction.atomic():
            # Its own small envelope (KITS purpose, so the programme's envelopes stay aside).
            Envelope.objects.filter(purpose="KITS").update(is_open=False)
            Envelope.objects.create(code="test", name="Test", purpose="KITS", ceiling_cents=ceiling)
            author = make_user(Role.OPERATEUR_FINANCIER)
            structures = [make_structure() for _ in range(STRUCTURES)]
            expected_committed = 0
            for operation, index, amount in steps:
                before = ledger.balance(LedgerEntry.objects.filter(structure=structures[index]))
                outcome = _apply(operation, structures[index], amount, author)
                after = ledger.balance(LedgerEntry.objects.filter(structure=structures[index]))
                if operation == "commit":
                    fits = expected_committed + amount <= ceiling
                    assert outcome == ("done" if fits else "refused")
                if operation == "pay":
                    assert (outcome == "done") == (amount <= before.unpaid)
                expected_committed += after.committed - before.committed
                _check_invariants(structures)
            assert Envelope.objects.get(code="test").committed_cents == expected_committed
            assert LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT).count() <= len(steps)
            raise Rollback
    except Rollback:
        pass
