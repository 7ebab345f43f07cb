"""The demo coordinator gets a team by département and a few activities of their own."""

import pytest

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.coordination import demo
from cnum.coordination.models import CoordinatorActivity
from cnum.coordination.testing import conseiller_in
from cnum.stats import demo as stats_demo
from cnum.stats.teams import team_ids
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def test_the_demo_coordinator_coordinates_their_departement():
    structure = make_structure(departement="69")
    coordinator = make_user(Role.COORDINATEUR, organisation=structure)
    lyon, paris = conseiller_in("69"), conseiller_in("75")
    context = {"users": {Role.COORDINATEUR: coordinator}}
    for _ in range(2):  # idempotent
        stats_demo.seed_team(coordinator)
        demo.seed(context)
    assert lyon.pk in team_ids(coordinator) and paris.pk not in team_ids(coordinator)
    assert CoordinatorActivity.objects.filter(coordinator=coordinator).count() == len(
        demo.DEMO_ACTIVITIES
    )
