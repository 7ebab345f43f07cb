"""The "À faire" block of the landing page, per role: the counts, their links, and the page's
query budget (one query per count, whatever the number of rows behind it)."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.activity.testing import make_cra
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus
from cnum.places.models import PlaceReport, ReportKind
from cnum.places.testing import make_place
from cnum.profiles.todo import SECTIONS
from cnum.recruitment.testing import make_match, make_validated_structure, recruited
from cnum.structures.enums import AmendmentKind, AmendmentMotif, PrefetOpinionValue
from cnum.structures.models import PostAmendment, PrefetOpinion
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


DASHBOARD = reverse("accounts:dashboard")

# Queries of the landing page ("Mon espace"), "À faire" block included, per role; one of them
# reads the live announcements, which a process then keeps for a minute (communication banners).
BUDGETS = {
    Role.PREFET: 10,
    Role.ADMINISTRATEUR: 13,
    Role.OPERATEUR_FINANCIER: 10,
    Role.GESTIONNAIRE_STRUCTURE: 10,
    Role.CONSEILLER: 10,
    Role.CANDIDAT: 8,
    # Roles without a block: the page itself (roles, second factor, tools).
    Role.COORDINATEUR: 7,
    Role.ORGANISME_FORMATION: 7,
    Role.AIDANT: 8,
    Role.HUB: 8,
    Role.GRAND_RESEAU: 8,
}


def todo(html):
    """The block's lines as text: "label : count"."""
    block = re.search(r'<section[^>]*aria-labelledby="a-faire".*?</section>', html, re.S)[0]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def landing(client, user, django_assert_max_num_queries, role):
    login(client, user)
    with django_assert_max_num_queries(BUDGETS[role]):
        response = client.get(DASHBOARD)
    return text(response)


def test_prefet_structures_and_amendments_awaiting_an_opinion(
    client, django_assert_max_num_queries
):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement="69")
    prefet = make_user(Role.PREFET, organisation=prefecture)
    waiting = [make_structure(departement="69") for _ in range(3)]
    PrefetOpinion.objects.create(
        structure=waiting[0],
        opinion=PrefetOpinionValue.FAVORABLE,
        comment="Structure solide et bien implantée.",
        author=prefet,
    )
    make_structure(departement="75")  # another département
    granted = make_validated_structure(departement="69")
    PostAmendment.objects.create(
        structure=granted,
        kind=AmendmentKind.AJOUT,
        number=1,
        motif=AmendmentMotif.NOUVEAU_LIEU,
        requested_by=make_user(),
    )
    html = landing(client, prefet, django_assert_max_num_queries, Role.PREFET)
    assert todo(html) == [
        "Structures en attente de votre avis : 2",
        "Demandes de postes en attente de votre avis : 1",
    ]
    assert f"{reverse('structures:decider_list')}?attente=on&avis=sans" in html


def test_regional_prefet_counts_the_whole_region(client, django_assert_max_num_queries):
    prefecture = make_organisation(OrganisationKind.PREFECTURE, departement=None, region="84")
    make_structure(departement="69")
    make_structure(departement="75")
    html = landing(
        client,
        make_user(Role.PREFET, organisation=prefecture),
        django_assert_max_num_queries,
        Role.PREFET,
    )
    assert todo(html)[0] == "Structures en attente de votre avis : 1"


def test_administration(client, django_assert_max_num_queries):
    recruited()
    recruited()
    make_structure()
    place = make_place()  # its structure is validated: public without moderation
    PlaceReport.objects.create(place=place, kind=ReportKind.values[0], details="Fermé.")
    html = landing(
        client, make_user(Role.ADMINISTRATEUR), django_assert_max_num_queries, Role.ADMINISTRATEUR
    )
    lines = todo(html)
    assert "Recrutements, ruptures et renouvellements à valider : 2" in lines
    # recruited() structures are validated; make_place's too: one application to decide.
    assert "Structures à décider : 1" in lines
    assert "Lieux à modérer : 0" in lines
    assert "Erreurs signalées sur les lieux : 1" in lines
    assert reverse("recruitment:queue") in html and reverse("places:moderation") in html


def test_funding_operator(client, django_assert_max_num_queries):
    html = landing(
        client,
        make_user(Role.OPERATEUR_FINANCIER),
        django_assert_max_num_queries,
        Role.OPERATEUR_FINANCIER,
    )
    assert todo(html) == [
        "Dossiers de conventionnement à examiner : 0",
        "Demandes de versement à traiter : 0",
    ]
    assert reverse("funding:queue") in html


def test_structure_manager(client, django_assert_max_num_queries):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    structure = make_validated_structure(posts=3, manager=manager)
    make_match(structure, status=MatchStatus.NOUVELLE)
    make_match(structure, status=MatchStatus.NOUVELLE)
    recruited(structure, manager)
    make_match(make_validated_structure(), status=MatchStatus.NOUVELLE)  # someone else's
    html = landing(client, manager, django_assert_max_num_queries, Role.GESTIONNAIRE_STRUCTURE)
    assert todo(html) == [
        "Candidats proposés à examiner : 2",
        "Recrutements en attente de validation : 1",
        "Dossiers de convention à compléter ou déposer : 0",
    ]


def test_conseiller_without_activity_this_month(client, django_assert_max_num_queries):
    from cnum.activity.testing import make_conseiller

    conseiller = make_conseiller()
    html = landing(client, conseiller, django_assert_max_num_queries, Role.CONSEILLER)
    lines = todo(html)
    assert lines[0].startswith("Aucune activité enregistrée ce mois-ci")
    assert "Ateliers passés dont les présences sont à noter : 0" in lines
    assert reverse("activity:entry") in html

    make_cra(conseiller, date=timezone.localdate())
    make_cra(conseiller, date=timezone.localdate() - datetime.timedelta(days=40))
    html = landing(client, conseiller, django_assert_max_num_queries, Role.CONSEILLER)
    assert todo(html)[0] == "Activités enregistrées ce mois-ci : 1"


def test_candidate_state_and_what_is_missing(client, django_assert_max_num_queries):
    profile = make_profile()
    html = landing(client, profile.user, django_assert_max_num_queries, Role.CANDIDAT)
    assert todo(html) == [
        "Candidature active : les structures proches de chez vous peuvent vous trouver",
        "Il manque votre CV",
        "Il manque vos résultats Pix",
    ]


def test_budget_does_not_grow_with_the_rows(client, django_assert_max_num_queries):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    for _ in range(3):
        structure = make_validated_structure(posts=5, manager=manager)
        for _ in range(4):
            make_match(structure, status=MatchStatus.NOUVELLE)
    html = landing(client, manager, django_assert_max_num_queries, Role.GESTIONNAIRE_STRUCTURE)
    assert todo(html)[0] == "Candidats proposés à examiner : 12"


@pytest.mark.parametrize("role", [role for role in Role if role not in SECTIONS])
def test_roles_without_a_block_stay_within_their_budget(
    client, django_assert_max_num_queries, role
):
    html = landing(client, make_user(role), django_assert_max_num_queries, role)
    assert "Mon espace" in html and 'aria-labelledby="a-faire"' not in html
