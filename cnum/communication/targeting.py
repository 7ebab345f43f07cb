"""Who a target reaches, from the active memberships (docs/communication.md#ciblage).

A membership lies in a territory through its organisation: a structure (conseillers, managers,
coordinators) by its département, a préfecture by the département or the région it covers (a
région targeted reaches the préfets of its départements and the regional préfet). National
roles (administration, operator) have no territory: a territorial target leaves them out.
"""

from django.db.models import Q

from cnum.accounts.models import Membership, User


def territory_condition(departements, regions, prefix="organisation__"):
    """Memberships whose organisation lies in the départements or régions (codes); None when
    the target names no territory (the whole country)."""
    if not departements and not regions:
        return None
    condition = Q(**{f"{prefix}departement_id__in": departements})
    if regions:
        condition |= Q(**{f"{prefix}region_id__in": regions})
        condition |= Q(**{f"{prefix}departement__region_id__in": regions})
    return condition


def network_condition(network_ids):
    """Memberships held in a structure of one of the national networks (structures.Network),
    or in the network itself (the Grand réseau role)."""
    return Q(organisation__structure__network_id__in=network_ids) | Q(
        organisation_id__in=network_ids
    )


def team_members(coordinator):
    from cnum.stats.teams import team_members as members

    return members(coordinator)


def recipients(mailing):
    """The active users the mailing reaches (one per user, whatever their roles)."""
    memberships = Membership.objects.filter(is_active=True, role__in=mailing.roles)
    departements = [d.code for d in mailing.departements.all()]
    regions = [r.code for r in mailing.regions.all()]
    territory = territory_condition(departements, regions)
    if territory is not None:
        memberships = memberships.filter(territory)
    networks = [n.pk for n in mailing.networks.all()]
    if networks:
        memberships = memberships.filter(network_condition(networks))
    users = User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
    if mailing.team_coordinator_id:
        users = users.filter(pk__in=team_members(mailing.team_coordinator).values("pk"))
    if mailing.is_information:
        users = users.exclude(communication_preference__unsubscribed_at__isnull=False)
    return users.order_by("pk")


def user_territories(user):
    """(départements, régions) of the user's active memberships, as codes."""
    departements, regions = set(), set()
    rows = user.memberships.filter(is_active=True).values_list(
        "organisation__departement_id",
        "organisation__departement__region_id",
        "organisation__region_id",
    )
    for departement, departement_region, region in rows:
        if departement:
            departements.add(departement)
        regions.update(code for code in (departement_region, region) if code)
    return departements, regions


def reaches(target_roles, target_departements, target_regions, roles, territories):
    """Whether a banner targeting those roles and territory reaches a user (roles and
    territories as user_territories gives them)."""
    if not set(target_roles) & set(roles):
        return False
    if not target_departements and not target_regions:
        return True
    departements, regions = territories
    if set(target_departements) & departements:
        return True
    return bool(set(target_regions) & regions)
