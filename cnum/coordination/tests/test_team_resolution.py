"""A coordinator's team: named conseillers and territories, always conseillers in post, so that
it follows recruitments and ruptures (docs/coordination.md#equipe)."""

import datetime

import pytest

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.coordination import services
from cnum.coordination.testing import conseiller_in, make_coordinator, make_structure_in
from cnum.recruitment import services as recruitment
from cnum.recruitment.enums import RuptureMotif
from cnum.recruitment.models import Contract
from cnum.recruitment.testing import employed, make_validated_structure
from cnum.stats.scopes import viewer_scope
from cnum.stats.teams import team_ids, team_members
from cnum.territories.models import Departement, Region

pytestmark = pytest.mark.django_db


def dep(code):
    return Departement.objects.get(code=code)


def test_a_departement_team_follows_recruitments_and_ruptures():
    coordinator = make_coordinator()
    services.set_territory(coordinator, departements=[dep("69")])
    manager, admin = make_user(Role.GESTIONNAIRE_STRUCTURE), make_user(Role.ADMINISTRATEUR)
    structure = make_validated_structure(manager=manager, departement="69")
    assert team_ids(coordinator) == set()

    match = employed(structure, manager, admin)  # a new recruitment joins the team
    conseiller = match.candidate.user
    elsewhere = employed(make_validated_structure(manager=make_user(), departement="75"))
    assert team_ids(coordinator) == {conseiller.pk}
    assert viewer_scope(coordinator).conseiller_ids == (conseiller.pk,)
    assert elsewhere.candidate.user_id not in team_ids(coordinator)

    end = Contract.objects.get(match=match).end_date
    recruitment.notify_rupture(
        match, manager, motif=RuptureMotif.DEMISSION, date=end - datetime.timedelta(days=30)
    )
    assert team_ids(coordinator) == {conseiller.pk}  # until the rupture is validated
    recruitment.validate_rupture(match, admin)
    assert team_ids(coordinator) == set()
    assert viewer_scope(coordinator).conseiller_ids == ()


def test_a_region_team_covers_every_departement_of_the_region():
    coordinator = make_coordinator()
    services.set_territory(coordinator, region=Region.objects.get(code="84"))
    lyon, grenoble, paris = conseiller_in("69"), conseiller_in("38"), conseiller_in("75")
    assert team_ids(coordinator) == {lyon.pk, grenoble.pk}
    assert paris.pk not in team_ids(coordinator)


def test_named_conseillers_count_only_while_in_post():
    coordinator = make_coordinator()
    named = conseiller_in("69")
    services.add_conseiller(coordinator, named.pk)
    assert team_ids(coordinator) == {named.pk}
    structure = named.memberships.get(role=Role.CONSEILLER).organisation
    grants.revoke_role(named, Role.CONSEILLER, structure)
    assert team_ids(coordinator) == set()


def test_named_and_territory_members_add_up_without_duplicates():
    coordinator = make_coordinator()
    make_structure_in("38")  # a structure without conseillers adds nobody
    a = conseiller_in("69")
    b = conseiller_in("38")
    services.set_territory(coordinator, departements=[dep("38")])
    services.add_conseiller(coordinator, a.pk)
    services.add_conseiller(coordinator, b.pk)  # already in by territory: once only
    assert list(team_members(coordinator).order_by("pk").values_list("pk", flat=True)) == [
        a.pk,
        b.pk,
    ]


def test_the_team_is_resolved_in_one_query(django_assert_num_queries):
    coordinator = make_coordinator()
    services.set_territory(coordinator, departements=[dep("69"), dep("38")])
    for code in ("69", "69", "38"):
        conseiller_in(code)
    with django_assert_num_queries(1):
        assert len(list(team_members(coordinator))) == 3


def test_territories_and_names_outside_the_coordinators_region_are_refused():
    coordinator = make_coordinator()
    with pytest.raises(services.TeamError):
        services.set_territory(coordinator, departements=[dep("75")])
    with pytest.raises(services.TeamError):
        services.set_territory(coordinator, region=Region.objects.get(code="11"))
    with pytest.raises(services.TeamError):
        services.add_conseiller(coordinator, conseiller_in("75").pk)
    with pytest.raises(services.TeamError):
        services.set_territory(
            coordinator, departements=[dep("69")], region=Region.objects.get(code="84")
        )
    assert team_ids(coordinator) == set()
