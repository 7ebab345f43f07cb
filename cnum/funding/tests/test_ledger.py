"""The ledger through the events that move it: decisions, amendments, payments, ruptures."""

import datetime

import pytest
from django.db import connection
from django.db.utils import DatabaseError

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.testing import make_profile
from cnum.funding import ledger, services
from cnum.funding.enums import EntryKind, EnvelopePurpose, HostCategory
from cnum.funding.ledger import EnvelopeExceeded, PaymentExceedsCommitment
from cnum.funding.models import Envelope, FundedConseiller, ImmutableEntry, LedgerEntry
from cnum.funding.testing import funded_structure, grant_posts
from cnum.matching.models import Match
from cnum.recruitment.signals import contract_ended, recruitment_validated, rupture_validated
from cnum.structures import services as structure_services
from cnum.structures.enums import AmendmentKind, AmendmentMotif, Status, StructureType
from cnum.structures.models import CommitteeDecision, Structure
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def conseillers():
    return Envelope.objects.get(code="conseillers-2020")


@pytest.mark.parametrize(
    ("departement", "kind", "category", "cents"),
    [
        ("69", StructureType.COMMUNE, HostCategory.PUBLIC_MAINLAND, 5_000_000),
        ("75", StructureType.PRIVATE, HostCategory.PRIVATE, 3_200_000),
        ("971", StructureType.PRIVATE, HostCategory.ANTILLES_GUYANE, 7_000_000),
        ("974", StructureType.COMMUNE, HostCategory.REUNION_MAYOTTE, 6_750_000),
    ],
)
def test_a_decision_commits_posts_times_the_grid_amount(departement, kind, category, cents):
    structure = make_structure(departement=departement, type=kind)
    assert ledger.host_category(structure) == category
    grant_posts(structure, 3)
    assert ledger.structure_balance(structure).committed == 3 * cents
    assert conseillers().committed_cents == 3 * cents
    entry = LedgerEntry.objects.get(structure=structure)
    assert entry.kind == EntryKind.COMMITMENT
    assert entry.subject == CommitteeDecision.objects.get(structure=structure)
    assert entry.author.has_role(Role.ADMINISTRATEUR)
    assert "COSELEC" in entry.reason


def test_an_amendment_commits_or_releases_the_difference():
    admin = make_user(Role.ADMINISTRATEUR)
    structure, manager = funded_structure(posts=2)
    more = structure_services.request_amendment(
        structure,
        manager,
        kind=AmendmentKind.AJOUT,
        number=3,
        motif=AmendmentMotif.BESOINS_SUPPLEMENTAIRES,
    )
    structure_services.decide_amendment(more, admin, accept=True)
    assert ledger.structure_balance(structure).committed == 5 * 5_000_000
    fewer = structure_services.request_amendment(
        structure,
        manager,
        kind=AmendmentKind.RETRAIT,
        number=1,
        motif=AmendmentMotif.FIN_DE_SUBVENTIONNEMENT,
    )
    structure_services.decide_amendment(fewer, admin, accept=True)
    assert ledger.structure_balance(structure).committed == 4 * 5_000_000
    kinds = list(LedgerEntry.objects.filter(structure=structure).values_list("kind", flat=True))
    assert kinds == [EntryKind.COMMITMENT, EntryKind.COMMITMENT, EntryKind.DECOMMITMENT]
    assert not ledger.verify()


def test_a_decision_beyond_the_ceiling_is_rolled_back_with_a_french_message():
    envelope = conseillers()
    Envelope.objects.filter(pk=envelope.pk).update(ceiling_cents=12_000_000)
    first = make_structure()
    grant_posts(first, 2)  # 100 000 € of 120 000 €
    second = make_structure()
    with pytest.raises(EnvelopeExceeded, match="il n'y reste que 20\u202f000,00\u00a0€"):
        grant_posts(second, 1)
    second.refresh_from_db()
    assert second.status == Status.CREEE
    assert not second.decisions.exists()
    assert not LedgerEntry.objects.filter(structure=second).exists()
    assert conseillers().committed_cents == 10_000_000
    assert isinstance(EnvelopeExceeded("x"), ValueError)  # the decision views catch ValueError


def test_an_amendment_beyond_the_ceiling_leaves_the_quota_unchanged():
    admin = make_user(Role.ADMINISTRATEUR)
    structure, manager = funded_structure(posts=2)
    Envelope.objects.filter(pk=conseillers().pk).update(ceiling_cents=10_000_000)
    amendment = structure_services.request_amendment(
        structure,
        manager,
        kind=AmendmentKind.AJOUT,
        number=1,
        motif=AmendmentMotif.BESOINS_SUPPLEMENTAIRES,
    )
    with pytest.raises(EnvelopeExceeded):
        structure_services.decide_amendment(amendment, admin, accept=True)
    assert Structure.objects.get(pk=structure.pk).current_posts() == 2
    amendment.refresh_from_db()
    assert amendment.decision is None


def test_new_commitments_go_to_the_latest_open_envelope():
    Envelope.objects.create(
        code="conseillers-2026",
        name="Phase 2",
        purpose=EnvelopePurpose.CONSEILLERS,
        ceiling_cents=100_000_000,
        opens_on=datetime.date(2026, 1, 1),
    )
    structure = make_structure()
    grant_posts(structure, 1)
    assert LedgerEntry.objects.get(structure=structure).envelope.code == "conseillers-2026"


def test_payments_never_exceed_what_is_committed():
    operator = make_user(Role.OPERATEUR_FINANCIER)
    structure, _ = funded_structure(posts=1)
    ledger.pay(structure, 4_000_000, author=operator, reason="Premier versement")
    with pytest.raises(PaymentExceedsCommitment, match="10\u202f000,00"):
        ledger.pay(structure, 1_000_001, author=operator, reason="Trop")
    assert ledger.structure_balance(structure).paid == 4_000_000


def test_a_release_never_takes_back_what_is_paid_and_a_recovery_frees_it():
    operator = make_user(Role.OPERATEUR_FINANCIER)
    structure, _ = funded_structure(posts=1)
    ledger.pay(structure, 4_000_000, author=operator, reason="Premier versement")
    ledger.release(structure, 5_000_000, author=operator, reason="Tout libérer")
    assert ledger.structure_balance(structure) == ledger.Balance(4_000_000, 4_000_000)
    services.record_recovery(structure, operator, 1_000_000, "Titre de recette 12")
    assert ledger.structure_balance(structure) == ledger.Balance(3_000_000, 3_000_000)
    with pytest.raises(ledger.FundingError, match="dépasse ce qui a été versé"):
        services.record_recovery(structure, operator, 3_000_001, "Trop")
    assert not ledger.verify()


def _recruit(structure):
    conseiller = make_user(Role.CANDIDAT)
    match = Match.objects.create(candidate=make_profile(), structure=structure)
    recruitment_validated.send(Match, match=match, conseiller=conseiller, structure=structure)
    return match, conseiller


def test_a_validated_rupture_releases_the_months_that_will_not_be_worked():
    structure, _ = funded_structure(posts=1)
    match, conseiller = _recruit(structure)
    funded = FundedConseiller.objects.get(match=match)
    assert funded.subsidy_cents == 5_000_000
    rupture = services.add_months(funded.started_on, 6)
    rupture_validated.send(
        Match, match=match, conseiller=conseiller, structure=structure, rupture_date=rupture
    )
    # 18 months of 24 can no longer be paid.
    assert ledger.structure_balance(structure).committed == 5_000_000 - 3_750_000
    entry = LedgerEntry.objects.filter(kind=EntryKind.DECOMMITMENT).get()
    assert entry.author is None and entry.subject == match
    # The same rupture notified twice releases nothing more.
    rupture_validated.send(
        Match, match=match, conseiller=conseiller, structure=structure, rupture_date=rupture
    )
    assert LedgerEntry.objects.filter(kind=EntryKind.DECOMMITMENT).count() == 1


def test_a_contract_ending_early_releases_the_months_left():
    structure, _ = funded_structure(posts=1)
    match, conseiller = _recruit(structure)
    funded = FundedConseiller.objects.get(match=match)
    end = services.add_months(funded.started_on, 12)
    contract_ended.send(
        Match, match=match, conseiller=conseiller, structure=structure, end_date=end
    )
    # 12 months of 24 will not be paid.
    assert ledger.structure_balance(structure).committed == 5_000_000 - 2_500_000
    entry = LedgerEntry.objects.filter(kind=EntryKind.DECOMMITMENT).get()
    assert entry.reason.startswith("Fin de contrat")


def test_a_contract_without_end_date_ended_today_releases_nearly_everything():
    structure, _ = funded_structure(posts=1)
    match, conseiller = _recruit(structure)
    contract_ended.send(
        Match, match=match, conseiller=conseiller, structure=structure, end_date=None
    )
    assert ledger.structure_balance(structure).committed == 0


def test_ledger_rows_cannot_be_changed_or_removed_through_the_orm():
    structure, _ = funded_structure(posts=1)
    entry = LedgerEntry.objects.get(structure=structure)
    entry.amount_cents = 1
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(ImmutableEntry):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == 5_000_000


def test_the_database_refuses_an_update_of_a_ledger_row():
    structure, _ = funded_structure(posts=1)
    entry = LedgerEntry.objects.get(structure=structure)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("UPDATE funding_ledgerentry SET amount_cents = 1 WHERE id = %s", [entry.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger on PostgreSQL")
def test_postgresql_refuses_a_delete_of_a_ledger_row():
    structure, _ = funded_structure(posts=1)
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM funding_ledgerentry WHERE structure_id = %s", [structure.pk])


def test_verify_reports_a_cache_that_differs_from_the_rows():
    funded_structure(posts=1)
    assert not ledger.verify()
    Envelope.objects.filter(code="conseillers-2020").update(committed_cents=4_000_000)
    [(envelope, expected)] = ledger.verify()
    assert envelope.code == "conseillers-2020" and expected.committed == 5_000_000


def test_amounts_are_shown_in_french():
    assert ledger.euros(20_000_000_000) == "200\u202f000\u202f000,00\u00a0€"
    assert ledger.euros(29_723) == "297,23\u00a0€"


def test_the_daily_check_command():
    from django.core.management import CommandError, call_command

    funded_structure(posts=1)
    call_command("verify_ledger", verbosity=0)
    Envelope.objects.filter(code="conseillers-2020").update(paid_cents=1)
    with pytest.raises(CommandError, match="1 solde"):
        call_command("verify_ledger", verbosity=0)
