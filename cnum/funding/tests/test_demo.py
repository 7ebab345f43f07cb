import pytest

from cnum.accounts import demo as accounts_demo
from cnum.funding import demo, ledger
from cnum.funding.enums import ConventionStatus
from cnum.funding.models import Convention, KitRequest, KitType, LedgerEntry, PaymentRequest
from cnum.structures import demo as structures_demo

pytestmark = pytest.mark.django_db


def _seed():
    context = {}
    accounts_demo.seed(context)
    structures_demo.seed(context)
    demo.seed(context)
    return context


def test_demo_funding_covers_every_convention_status_and_is_idempotent():
    context = _seed()
    assert set(Convention.objects.values_list("status", flat=True)) == set(ConventionStatus)
    own = context["structures"]["demo"]
    assert ledger.structure_balance(own).committed == own.current_posts() * 3_200_000
    assert PaymentRequest.objects.filter(status="VERSEE").exists()
    assert PaymentRequest.objects.filter(status="DEMANDEE").exists()
    assert KitType.objects.count() == 3 and KitRequest.objects.count() == 3
    assert not ledger.verify()
    counts = (LedgerEntry.objects.count(), Convention.objects.count(), KitRequest.objects.count())
    _seed()
    assert counts == (
        LedgerEntry.objects.count(),
        Convention.objects.count(),
        KitRequest.objects.count(),
    )
