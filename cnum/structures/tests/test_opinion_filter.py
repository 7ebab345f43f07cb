"""The préfet's opinion as a column, and a "sans avis" filter, in the préfet's list and in the
committee's batch table."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.enums import PrefetOpinionValue
from cnum.structures.models import CommitteeSession, PrefetOpinion
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def structures():
    with_opinion = make_structure(name="Avec avis")
    PrefetOpinion.objects.create(
        structure=with_opinion,
        opinion=PrefetOpinionValue.DEFAVORABLE,
        comment="Pas de besoin identifié sur ce territoire.",
        author=make_user(),
    )
    without = make_structure(name="Sans avis encore", departement="75")
    return with_opinion, without


def shown(response, key="page"):
    return [s.name for s in response.context[key]]


def test_prefet_list_column_and_filters(client, structures):
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:decider_list")
    html = client.get(url).content.decode()
    assert (
        "Avis du préfet" in html and "<td>Défavorable</td>" in html and "<td>Sans avis</td>" in html
    )
    assert shown(client.get(url, {"avis": "sans"})) == ["Sans avis encore"]
    assert shown(client.get(url, {"avis": "DEFAVORABLE"})) == ["Avec avis"]
    assert shown(client.get(url, {"departement": "75"})) == ["Sans avis encore"]
    assert shown(client.get(url, {"attente": "on", "avis": "sans"})) == ["Sans avis encore"]


def test_committee_batch_table(client, structures):
    session = CommitteeSession.objects.create(number=7, date=datetime.date(2026, 3, 2))
    login(client, make_user(Role.ADMINISTRATEUR))
    url = reverse("structures:session", args=[session.pk])
    html = client.get(url).content.decode()
    assert "<td>Défavorable</td>" in html
    assert shown(client.get(url), "awaiting") == ["Avec avis", "Sans avis encore"]
    assert shown(client.get(url, {"avis": "sans"}), "awaiting") == ["Sans avis encore"]
