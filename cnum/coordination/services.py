"""The coordinator's writes: their team (named conseillers, territories) and their activities."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cnum.accounts.roles import Role
from cnum.coordination.models import CoordinatorActivity
from cnum.coordination.policies import (
    coordinator_required,
    reach_departements,
    reach_regions,
    reachable_conseillers,
)
from cnum.stats.models import Coordination, CoordinationTerritory


class TeamError(Exception):
    """A team change refused; the message is a French sentence for the coordinator."""


def set_territory(coordinator, *, departements=(), region=None, by=None):
    """The team covers these départements, or this whole région (or no territory at all).
    Set by the coordinator within their reach, or by the administration (`by`) anywhere."""
    coordinator_required(coordinator)
    by = by or coordinator
    if by != coordinator and not by.has_role(Role.ADMINISTRATEUR):
        raise PermissionDenied
    if departements and region is not None:
        raise TeamError("Choisissez des départements ou une région entière, pas les deux.")
    if by == coordinator:
        _check_reach(coordinator, departements, region)
    with transaction.atomic():
        CoordinationTerritory.objects.filter(coordinator=coordinator).delete()
        rows = [CoordinationTerritory(coordinator=coordinator, departement=d) for d in departements]
        if region is not None:
            rows.append(CoordinationTerritory(coordinator=coordinator, region=region))
        CoordinationTerritory.objects.bulk_create(rows)


def _check_reach(coordinator, departements, region):
    allowed_deps = set(reach_departements(coordinator).values_list("code", flat=True))
    allowed_regions = set(reach_regions(coordinator).values_list("code", flat=True))
    if any(d.code not in allowed_deps for d in departements) or (
        region is not None and region.code not in allowed_regions
    ):
        raise TeamError("Ce territoire est hors de la région de votre structure.")


def add_conseiller(coordinator, conseiller_pk):
    """Name a conseiller in post within the coordinator's reach as a member of the team."""
    coordinator_required(coordinator)
    conseiller = reachable_conseillers(coordinator).filter(pk=conseiller_pk).first()
    if conseiller is None:
        raise TeamError("Ce conseiller n'est pas en poste dans la région de votre structure.")
    Coordination.objects.get_or_create(coordinator=coordinator, conseiller=conseiller)
    return conseiller


def remove_conseiller(coordinator, conseiller_pk):
    """No longer name this conseiller (they stay in the team if its territory covers them)."""
    coordinator_required(coordinator)
    deleted, _ = Coordination.objects.filter(
        coordinator=coordinator, conseiller_id=conseiller_pk
    ).delete()
    if not deleted:
        raise TeamError("Ce conseiller n'est pas nommé dans votre équipe.")


def save_activity(coordinator, form):
    """Create or update one of the coordinator's own activities from a valid form."""
    coordinator_required(coordinator)
    activity = form.save(commit=False)
    if activity.coordinator_id is None:
        activity.coordinator = coordinator
    elif activity.coordinator_id != coordinator.pk:
        raise PermissionDenied  # forms are only built on the coordinator's own rows
    activity.save()
    return activity


def delete_activity(coordinator, activity):
    coordinator_required(coordinator)
    CoordinatorActivity.objects.filter(pk=activity.pk, coordinator=coordinator).delete()
