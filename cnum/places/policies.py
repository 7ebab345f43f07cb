"""Who manages which places: managers and conseillers of a structure, for its places only."""

from django.shortcuts import get_object_or_404

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.places.models import Place
from cnum.structures.models import Structure

MANAGING_ROLES = (Role.GESTIONNAIRE_STRUCTURE, Role.CONSEILLER)
place_manager_required = require_role(*MANAGING_ROLES)
conseiller_required = require_role(Role.CONSEILLER)


def conseiller_structures(user):
    return (
        Structure.objects.submitted()
        .filter(
            memberships__user=user,
            memberships__role=Role.CONSEILLER,
            memberships__is_active=True,
        )
        .distinct()
    )


def manageable_structures(user):
    """Structures whose places `user` may create and edit."""
    if not user.is_authenticated:
        return Structure.objects.none()
    managed = Structure.objects.managed_by(user).values("pk")
    worked_at = conseiller_structures(user).values("pk")
    return Structure.objects.filter(pk__in=managed) | Structure.objects.filter(pk__in=worked_at)


def manageable_places(user):
    return Place.objects.filter(structure__in=manageable_structures(user).values("pk"))


def manageable_place(user, pk):
    """The place if `user` may edit it; any other id is a 404."""
    return get_object_or_404(manageable_places(user).select_related("commune", "structure"), pk=pk)


def public_place(pk):
    return get_object_or_404(Place.objects.select_related("commune", "structure"), pk=pk)
