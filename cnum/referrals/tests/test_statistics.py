"""Referral statistics: counts by outcome, theme and receiver kind at each scope (dashboard),
and in the public figures under statistical secrecy (docs/orientations.md#statistiques)."""

import html
import re

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity.testing import make_conseiller
from cnum.places.testing import make_place
from cnum.referrals import services
from cnum.referrals.enums import Status
from cnum.referrals.figures import figures, referrals_in
from cnum.referrals.testing import make_referral
from cnum.referrals.transitions import RECEIVER_LINK
from cnum.stats import public
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    settings.STATS_PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def place():
    return make_place(courriels=["accueil@lieu.fr"])


def row_text(page, label):
    """The cells of the first table row headed `label`, as text."""
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", page, re.S).group(1)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row.split("</td>")][:-1]


def test_counts_by_outcome_theme_and_kind_within_the_scope(client, place):
    lyon = make_structure(departement="69")
    alice = make_conseiller(structure=lyon)
    bob = make_conseiller(structure=make_structure(departement="75"))
    accepted = make_referral(alice, place=place, themes=["email", "sante"])
    services.answer(accepted, RECEIVER_LINK, Status.ACCEPTEE)
    make_referral(alice, place=place, themes=["email"], receiver_kind="aide_sociale")
    refused = make_referral(bob, place=place)
    services.answer(refused, RECEIVER_LINK, Status.REFUSEE, "complet")

    mine = figures(referrals_in(conseiller_ids=(alice.pk,)))
    assert mine.total.values == [2, 1, 0, 0, 0]
    themes = {row.label: row.values for row in mine.by_theme}
    assert themes == {"E-mail": [2, 1, 0, 0, 0], "Santé": [1, 1, 0, 0, 0]}
    assert {row.label: row.values[0] for row in mine.by_kind} == {
        "Médiation numérique": 1,
        "Aide sociale": 1,
    }
    assert figures(referrals_in(departements=("75",))).total.values == [1, 0, 1, 0, 0]
    assert figures(referrals_in(structure_ids=(lyon.pk,))).total.values == [2, 1, 0, 0, 0]
    assert figures(referrals_in()).total.values == [3, 1, 1, 0, 0]

    login(client, alice)
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert row_text(page, "Toutes les orientations") == ["2", "1", "0", "0", "0"]
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    manager.memberships.update(organisation=lyon)
    login(client, manager)
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert row_text(page, "Toutes les orientations") == ["2", "1", "0", "0", "0"]


def test_public_figures_apply_the_same_secrecy(place):
    structure = make_structure(departement="69")
    conseillers = [make_conseiller(structure=structure) for _ in range(3)]
    for conseiller in conseillers:
        make_referral(conseiller, place=place)
        make_referral(conseiller, place=place)
    first = conseillers[0].referrals_sent.first()
    services.answer(first, RECEIVER_LINK, Status.ACCEPTEE)

    data = public.publication()
    rhone = data.of(public.DEPARTEMENT, "69")
    cells = dict((indicator.code, cell) for indicator, cell in rhone.referrals())
    assert cells["orientations_envoyees"].shown == 6  # 6 people, 3 conseillers: published
    assert cells["orientations_acceptees"].secret  # one person, one conseiller
    assert cells["orientations_refusees"].shown == 0
    france = dict((i.code, c) for i, c in data.of(public.NATIONAL, public.FRANCE).referrals())
    assert france["orientations_envoyees"].shown == 6 and france["orientations_acceptees"].secret
    rows = [row for row in public.csv_rows(data, public.DEPARTEMENT) if row[1] == "69"]
    accepted = next(row for row in rows if row[3] == "orientations_acceptees")
    assert accepted[6:] == ("", "", "true")
