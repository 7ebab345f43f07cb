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


def test_a_decision_corrected_while_its_last_post_is_taken_never_leaves_a_recruit_unfunded():
    """The correction and the recruitment lock the same structure row: one of them sees the
    other and refuses, so the posts granted (and the commitment) always cover the recruits."""
    from cnum.core.concurrency_testing import race
    from cnum.funding.testing import funded_structure
    from cnum.matching.models import Match
    from cnum.recruitment import services as recruitment
    from cnum.recruitment.effects import RecruitmentRefused
    from cnum.recruitment.testing import contract_data, make_match, recruited
    from cnum.structures import services as structures
    from cnum.structures.enums import CommitteeOpinion
    from cnum.structures.models import CommitteeDecision

    structure, manager = funded_structure(posts=2)
    recruited(structure, manager)  # one of the two posts is taken
    match = make_match(structure)
    decision = CommitteeDecision.objects.get(structure=structure)
    admin = make_user(Role.ADMINISTRATEUR)
    per_post = ledger.structure_balance(structure).committed // 2

    outcomes = race(
        [
            lambda: recruitment.request_recruitment(
                Match.objects.get(pk=match.pk), manager, contract_data()
            ),
            lambda: structures.correct_decision(
                CommitteeDecision.objects.get(pk=decision.pk),
                admin,
                opinion=CommitteeOpinion.POSITIF,
                posts_granted=1,
                reason="Erreur de saisie",
            ),
        ],
        refused=(RecruitmentRefused, structures.DecisionNotCorrectable),
    )

    assert outcomes in (["DecisionNotCorrectable", "ok"], ["RecruitmentRefused", "ok"])
    decision.refresh_from_db()
    structure.refresh_from_db()
    assert structure.filled_posts() <= decision.posts_granted
    assert ledger.structure_balance(structure).committed == decision.posts_granted * per_post
    assert not ledger.verify()
