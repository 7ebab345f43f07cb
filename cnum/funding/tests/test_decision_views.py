"""A committee decision the envelope cannot fund: the decider reads why, nothing is recorded."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding.models import Envelope, LedgerEntry
from cnum.structures.enums import Status
from cnum.structures.models import CommitteeSession
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def nearly_empty_envelope():
    # Room for one post of a public mainland structure (50 000 €), not two.
    Envelope.objects.filter(code="conseillers-2020").update(ceiling_cents=7_000_000)


@pytest.fixture
def admin_client(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    return client


def test_a_single_decision_beyond_the_envelope_is_refused_with_its_reason(
    admin_client, nearly_empty_envelope
):
    session = CommitteeSession.objects.create(number=71, date=datetime.date(2026, 3, 1))
    structure = make_structure()
    response = admin_client.post(
        reverse("structures:decision", args=[structure.pk]),
        {"session": session.pk, "opinion": "POSITIF", "posts_granted": 2},
        follow=True,
    )
    assert response.status_code == 200
    assert "il n&#x27;y reste que" in response.content.decode()
    structure.refresh_from_db()
    assert structure.status == Status.CREEE
    assert not structure.decisions.exists()
    assert not LedgerEntry.objects.exists()


def test_a_batch_records_what_the_envelope_funds_and_names_the_rest(
    admin_client, nearly_empty_envelope
):
    session = CommitteeSession.objects.create(number=72, date=datetime.date(2026, 3, 1))
    first = make_structure(posts_wanted=1, name="Mairie A")
    second = make_structure(posts_wanted=1, name="Mairie B")
    response = admin_client.post(
        reverse("structures:session", args=[session.pk]),
        {"opinion": "POSITIF", "structures": [first.pk, second.pk]},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 décision(s) enregistrée(s)" in page
    # Structures are decided in name order: the second one no longer fits in the envelope.
    assert "Mairie B :" in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.VALIDATION_COSELEC, Status.CREEE)
    assert not second.decisions.exists()
