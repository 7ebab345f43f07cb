"""A coordinator's team, resolved live (docs/coordination.md#equipe).

A team is the conseillers named by the coordinator (`Coordination`) and every conseiller of a
structure in the coordinator's territories (`CoordinationTerritory`: départements or a région),
always restricted to conseillers **in post**. A conseiller is in post while they hold an active
conseiller role in a structure: recruitment grants it when the administration validates, a
rupture or the end of the contract withdraws it (cnum.recruitment.effects). Nothing is copied,
so the team follows recruitments and ruptures without any upkeep.
"""

from django.db.models import Exists, OuterRef, Q

from cnum.accounts.models import Membership, User
from cnum.accounts.roles import Role
from cnum.stats.models import Coordination, CoordinationTerritory


def in_post_memberships():
    """Active conseiller roles: one per structure where a conseiller is in post."""
    return Membership.objects.filter(role=Role.CONSEILLER, is_active=True)


def territory_condition(territories, prefix="organisation__"):
    """Condition on structures (through `prefix`) lying in `territories` (a queryset)."""
    departements = territories.filter(departement__isnull=False).values("departement_id")
    regions = territories.filter(region__isnull=False).values("region_id")
    return Q(**{f"{prefix}departement_id__in": departements}) | Q(
        **{f"{prefix}departement__region_id__in": regions}
    )


def team_members(coordinator):
    """The users in `coordinator`'s team, as one query (the coordinator themself excluded)."""
    in_post = in_post_memberships().filter(user=OuterRef("pk"))
    territories = CoordinationTerritory.objects.filter(coordinator=coordinator)
    named = Coordination.objects.filter(coordinator=coordinator, conseiller=OuterRef("pk"))
    in_territory = in_post.filter(territory_condition(territories))
    return (
        User.objects.filter(Exists(in_post))
        .filter(Exists(named) | Exists(in_territory))
        .exclude(pk=coordinator.pk)
    )


def team_ids(coordinator):
    return set(team_members(coordinator).values_list("pk", flat=True))


def coordinators_of(conseiller):
    """The coordinators whose team holds `conseiller` today (the converse of team_members)."""
    in_post = in_post_memberships().filter(user=conseiller)
    if not in_post.exists():
        return User.objects.none()
    named = Coordination.objects.filter(coordinator=OuterRef("pk"), conseiller=conseiller)
    departements = in_post.values("organisation__departement_id")
    regions = in_post.values("organisation__departement__region_id")
    covering = CoordinationTerritory.objects.filter(coordinator=OuterRef("pk")).filter(
        Q(departement_id__in=departements) | Q(region_id__in=regions)
    )
    return (
        User.objects.filter(memberships__role=Role.COORDINATEUR, memberships__is_active=True)
        .filter(Exists(named) | Exists(covering))
        .exclude(pk=conseiller.pk)
        .distinct()
    )
