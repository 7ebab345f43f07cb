"""Demo statistics (seed_demo): the demo coordinator's team (named and by département), and
rollups rebuilt from the demo records (the activity demo writes its records in bulk, without the
rollup upkeep). Idempotent. Runs after every seeder that writes activity records."""

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.stats import rebuild
from cnum.stats.models import Coordination, CoordinationTerritory

TEAM_SIZE = 5


def seed(context):
    coordinator = context.get("users", {}).get(Role.COORDINATEUR)
    if coordinator is not None:
        seed_team(coordinator)
    rebuild.rebuild()


def seed_team(coordinator):
    """The coordinator coordinates the first conseillers of their structure."""
    structures = coordinator.memberships.filter(
        role=Role.COORDINATEUR, is_active=True, organisation__isnull=False
    ).values("organisation")
    conseillers = (
        User.objects.filter(
            memberships__role=Role.CONSEILLER,
            memberships__is_active=True,
            memberships__organisation__in=structures,
        )
        .distinct()
        .order_by("pk")[:TEAM_SIZE]
    )
    for conseiller in conseillers:
        Coordination.objects.get_or_create(coordinator=coordinator, conseiller=conseiller)
    seed_territory(coordinator)


def seed_territory(coordinator):
    """The coordinator also coordinates every conseiller in post in their structure's
    département (docs/coordination.md#equipe)."""
    departements = coordinator.memberships.filter(
        role=Role.COORDINATEUR, is_active=True, organisation__departement__isnull=False
    ).values_list("organisation__departement_id", flat=True)
    for code in departements:
        CoordinationTerritory.objects.get_or_create(coordinator=coordinator, departement_id=code)
