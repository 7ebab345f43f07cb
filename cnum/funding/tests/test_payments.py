"""Payment requests: the schedule, the request, the operator's approval and recorded payment."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding import ledger, services
from cnum.funding.enums import EntryKind
from cnum.funding.enums import PaymentStatus as P
from cnum.funding.models import Convention, LedgerEntry, PaymentRequest
from cnum.funding.testing import funded_structure, validated_convention
from cnum.workflow.engine import apply_transition

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def _validated(posts=2, **fields):
    structure, manager = funded_structure(posts=posts, **fields)
    operator = validated_convention(structure, manager)
    return structure, manager, operator


def test_the_schedule_splits_the_commitment_into_instalments():
    structure, _, _ = _validated(posts=2)
    validated_on = Convention.objects.get(structure=structure).validated_on
    rows = services.schedule(structure)
    assert [(r.label, r.planned_cents) for r in rows] == [
        ("Premier versement", 5_000_000),
        ("Deuxième versement", 3_000_000),
        ("Solde", 2_000_000),
    ]
    assert rows[0].due_on == validated_on
    assert rows[1].due_on == services.add_months(validated_on, 12)
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_no_payment_before_the_dossier_is_validated():
    structure, manager = funded_structure()
    with pytest.raises(services.FundingError, match="après la validation du dossier"):
        services.request_payment(structure, manager, TODAY)


def test_request_approve_and_record_the_first_payment(send_emails, mailoutbox):
    structure, manager, operator = _validated(posts=2)
    today = timezone.localdate()
    request = services.request_payment(structure, manager, today)
    assert request.amount_cents == 5_000_000 and request.rank == 1
    with pytest.raises(services.FundingError, match="déjà en cours"):
        services.request_payment(structure, manager, today)
    with send_emails():
        services.decide_payment(request, operator, approve=True)
    assert "approuvé" in mailoutbox[-1].subject.lower()
    with send_emails():
        services.record_payment(request, operator, today, "VIR-2026-0001")
    request.refresh_from_db()
    assert request.status == P.VERSEE and request.reference == "VIR-2026-0001"
    entry = LedgerEntry.objects.get(kind=EntryKind.PAYMENT)
    assert entry.subject == request and entry.amount_cents == 5_000_000
    assert entry.author == operator
    assert ledger.structure_balance(structure) == ledger.Balance(10_000_000, 5_000_000)
    # Recording it twice pays once.
    with pytest.raises(services.FundingError, match="pas \\(ou plus\\)"):
        services.record_payment(request, operator, today, "VIR-2026-0002")
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    # The next instalment is due in twelve months.
    with pytest.raises(services.FundingError, match="pourra être demandé à partir du"):
        services.request_payment(structure, manager, today)
    second = services.request_payment(structure, manager, services.add_months(today, 12))
    assert second.amount_cents == 3_000_000


def test_a_payment_above_what_remains_committed_is_refused():
    structure, manager, operator = _validated(posts=1)
    request = services.request_payment(structure, manager, timezone.localdate())
    services.decide_payment(request, operator, approve=True)
    # Meanwhile a rupture releases most of the commitment.
    ledger.release(structure, 4_000_000, author=None, reason="Rupture")
    with pytest.raises(ledger.PaymentExceedsCommitment):
        services.record_payment(request, operator, timezone.localdate(), "VIR-1")
    request.refresh_from_db()
    assert request.status == P.APPROUVEE and request.paid_on is None
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (P.DEMANDEE, P.APPROUVEE, {Role.OPERATEUR_FINANCIER}),
        (P.DEMANDEE, P.REFUSEE, {Role.OPERATEUR_FINANCIER}),
        (P.DEMANDEE, P.ANNULEE, {"manager"}),
    ],
)
@pytest.mark.parametrize("actor_kind", [Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR, "manager"])
def test_each_payment_transition_per_role(start, to, allowed, actor_kind):
    structure, manager = funded_structure()
    request = PaymentRequest.objects.create(
        structure=structure,
        rank=1,
        label="Premier versement",
        amount_cents=100,
        requested_by=manager,
        status=start,
    )
    actor = manager if actor_kind == "manager" else make_user(actor_kind)
    if actor_kind in allowed:
        apply_transition(request, to, actor)
        assert PaymentRequest.objects.get(pk=request.pk).status == to
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(request, to, actor)
        assert PaymentRequest.objects.get(pk=request.pk).status == start


def test_the_pages_of_a_payment(client):
    structure, manager, operator = _validated(posts=2)
    login(client, manager)
    response = client.post(reverse("funding:payment_request", args=[structure.pk]), follow=True)
    assert "Votre demande de versement est envoyée" in response.content.decode()
    request = PaymentRequest.objects.get()
    login(client, operator)
    url = reverse("funding:payment", args=[request.pk])
    response = client.post(url, {"decision": "refuser", "reason": ""})
    assert response.status_code == 400 and "Indiquez le motif du refus" in response.content.decode()
    client.post(url, {"decision": "accorder"})
    record = reverse("funding:payment_record", args=[request.pk])
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(record, {"paid_on": future.strftime("%d/%m/%Y"), "reference": "V1"})
    assert response.status_code == 400 and "dans le futur" in response.content.decode()
    response = client.post(record, {"paid_on": "pas une date", "reference": "V1"})
    assert response.status_code == 400 and "JJ/MM/AAAA" in response.content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert client.post(record, {"paid_on": today, "reference": "V1"}).status_code == 302
    login(client, manager)
    page = client.get(reverse("funding:structure", args=[structure.pk])).content.decode()
    assert "Versé" in page and "V1" in page
    assert "50\u202f000,00\u00a0€" in page  # 100 000 € committed, 50 000 € paid and to pay


def test_a_manager_cancels_a_waiting_request_but_not_someone_elses(client):
    structure, manager, _ = _validated()
    request = services.request_payment(structure, manager, timezone.localdate())
    intruder = make_user()
    funded_structure(manager=intruder)
    login(client, intruder)
    assert client.post(reverse("funding:payment_cancel", args=[request.pk])).status_code == 404
    login(client, manager)
    cancel = reverse("funding:payment_cancel", args=[request.pk])
    assert "l'opérateur ne l'examinera pas" in unescape(client.post(cancel).content.decode())
    assert PaymentRequest.objects.get(pk=request.pk).status == P.DEMANDEE
    client.post(cancel, {"confirm": "1"})
    assert PaymentRequest.objects.get(pk=request.pk).status == P.ANNULEE


def test_the_queue_lists_what_waits_oldest_first(client, django_assert_max_num_queries):
    first, manager, _ = _validated()
    services.request_payment(first, manager, timezone.localdate())
    second, other, _ = _validated()
    services.start_renewal(second, other)
    services.request_payment(second, other, timezone.localdate())
    login(client, make_user(Role.OPERATEUR_FINANCIER))
    client.get(reverse("funding:queue"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("funding:queue")).content.decode()
    assert page.index(first.name) < page.index(second.name)
