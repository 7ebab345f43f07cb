"""Who may use the coordination screens, and how far a coordinator may reach."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cnum.accounts.models import User
from cnum.accounts.roles import Role
from cnum.stats import teams
from cnum.structures.models import Structure
from cnum.territories.models import Departement, Region


def coordinator_required(user):
    """The user, if they are a coordinator; PermissionDenied otherwise."""
    if not user.is_authenticated or not user.has_role(Role.COORDINATEUR):
        raise PermissionDenied
    return user


def reach_regions(coordinator):
    """Régions of the structures where the user is coordinator: what their team may cover."""
    rows = coordinator.memberships.filter(is_active=True, role=Role.COORDINATEUR).values_list(
        "organisation__departement__region_id", "organisation__region_id"
    )
    codes = {by_departement or own for by_departement, own in rows} - {None}
    return Region.objects.filter(code__in=codes).order_by("nom")


def reach_departements(coordinator):
    return Departement.objects.filter(region__in=reach_regions(coordinator)).order_by("code")


def reach_structures(coordinator):
    return Structure.objects.submitted().filter(departement__in=reach_departements(coordinator))


def reachable_conseillers(coordinator):
    """Conseillers in post in the coordinator's régions: those they may name in their team."""
    departements = reach_departements(coordinator).values("code")
    in_reach = teams.in_post_memberships().filter(organisation__departement__in=departements)
    return User.objects.filter(pk__in=in_reach.values("user_id")).exclude(pk=coordinator.pk)


def team_member(coordinator, pk):
    """A conseiller of the coordinator's team; 404 for anyone else (never their data)."""
    member = teams.team_members(coordinator).filter(pk=pk).first()
    if member is None:
        raise Http404
    return member
