"""Who manages which places: managers and conseillers of a structure, for its places only."""

from django.shortcuts import get_object_or_404

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.places.models import Place
from cnum.structures.models import Structure

MANAGING_ROLES = (Role.GESTIONNAIRE_STRUCTURE, Role.CONSEILLER)
place_manager_required = require_role(*MANAGING_ROLES)
conseiller_required = require_role(Role.CONSEILLER)
moderator_required = require_role(Role.ADMINISTRATEUR)


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


def visible_places(user):
    """Public places; their own places for managers; every place for the administration."""
    if user.is_authenticated and user.has_role(Role.ADMINISTRATEUR):
        return Place.objects.all()
    public = Place.objects.public()
    if not user.is_authenticated:
        return public
    return public | Place.objects.filter(pk__in=manageable_places(user).values("pk"))


def visible_place(user, pk):
    """The place page: a place not public is a 404 for anyone but its managers and admins."""
    places = visible_places(user).with_publication().select_related("commune", "structure")
    return get_object_or_404(places, pk=pk)


def moderated_place(pk):
    return get_object_or_404(Place.objects.select_related("structure"), pk=pk)
