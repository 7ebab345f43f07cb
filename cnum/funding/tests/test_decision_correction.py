"""A committee decision corrected or cancelled: logged, with the commitment adjusted at once."""

from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding import ledger
from cnum.funding.testing import funded_structure
from cnum.structures.enums import CommitteeOpinion, Status
from cnum.structures.models import CommitteeDecision, DecisionCorrection

pytestmark = pytest.mark.django_db


def committed(structure):
    return ledger.structure_balance(structure).committed


@pytest.fixture
def admin(client):
    user = make_user(Role.ADMINISTRATEUR)
    login(client, user)
    return user


def test_correction_needs_reason_and_confirmation_then_adjusts_the_ledger(client, admin):
    structure, _ = funded_structure(posts=2)
    decision = CommitteeDecision.objects.get(structure=structure)
    per_post = committed(structure) // 2
    url = reverse("structures:decision_correct", args=[decision.pk])
    page = unescape(client.get(url).content.decode())
    assert "Le budget engagé pour la structure est ajusté" in page
    # Without the confirmation field, or without a reason: nothing changes.
    client.post(url, {"opinion": "POSITIF", "posts_granted": 1, "reason": "Erreur de saisie"})
    response = client.post(url, {"opinion": "POSITIF", "posts_granted": 1, "confirm": "1"})
    assert "Indiquez le motif de la correction." in unescape(response.content.decode())
    assert committed(structure) == 2 * per_post and not DecisionCorrection.objects.exists()

    data = {"opinion": "POSITIF", "posts_granted": 1, "reason": "Erreur de saisie", "confirm": "1"}
    client.post(url, data)
    decision.refresh_from_db()
    assert decision.posts_granted == 1
    assert committed(structure) == per_post
    correction = DecisionCorrection.objects.get()
    assert (correction.previous_posts, correction.posts_granted) == (2, 1)
    assert correction.reason == "Erreur de saisie" and correction.corrected_by == admin
    assert not ledger.verify()
    detail = client.get(reverse("structures:decider_detail", args=[structure.pk]))
    assert "Erreur de saisie" in unescape(detail.content.decode())


def test_cancelling_a_decision_releases_the_commitment_and_reopens_the_file(client, admin):
    structure, _ = funded_structure(posts=2)
    decision = CommitteeDecision.objects.get(structure=structure)
    url = reverse("structures:decision_correct", args=[decision.pk])
    client.post(url, {"opinion": "ANNULEE", "reason": "Séance invalidée", "confirm": "1"})
    structure.refresh_from_db()
    assert structure.status == Status.CREEE
    assert structure.current_posts() == 0 and committed(structure) == 0
    assert not ledger.verify()


def test_more_posts_than_requested_need_an_explicit_confirmation(client, admin):
    structure, _ = funded_structure(posts=2)  # the structure asked for 2
    decision = CommitteeDecision.objects.get(structure=structure)
    url = reverse("structures:decision_correct", args=[decision.pk])
    data = {"opinion": "POSITIF", "posts_granted": 20, "reason": "Extension", "confirm": "1"}
    response = client.post(url, data)
    assert "cochez la case pour en attribuer 20" in unescape(response.content.decode())
    decision.refresh_from_db()
    assert decision.posts_granted == 2
    client.post(url, {**data, "confirm_more_posts": "on"})
    decision.refresh_from_db()
    assert decision.posts_granted == 20
    assert not ledger.verify()


def test_a_new_decision_above_the_request_needs_the_box_ticked(client, admin):
    from cnum.structures.models import CommitteeSession
    from cnum.structures.testing import make_structure

    structure = make_structure()  # 2 posts wanted
    session = CommitteeSession.objects.create(number=77, date="2026-03-01")
    url = reverse("structures:decision", args=[structure.pk])
    data = {"session": session.pk, "opinion": CommitteeOpinion.POSITIF, "posts_granted": 5}
    response = client.post(url, data)
    assert response.status_code == 400
    assert not CommitteeDecision.objects.filter(structure=structure).exists()
    client.post(url, {**data, "confirm_more_posts": "on"})
    assert CommitteeDecision.objects.get(structure=structure).posts_granted == 5
