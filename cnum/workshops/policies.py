"""Who sees which workshops: conseillers their structures' workshops (to manage them), structure
managers their structures' workshops (to read them); the public upcoming ones."""

from django.shortcuts import get_object_or_404

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.places.models import Place
from cnum.places.policies import conseiller_structures
from cnum.structures.models import Structure
from cnum.workshops.models import Workshop

conseiller_required = require_role(Role.CONSEILLER)
manager_required = require_role(Role.GESTIONNAIRE_STRUCTURE)


def my_workshops(user):
    """Workshops of the structures where `user` is an active conseiller."""
    if not user.is_authenticated:
        return Workshop.objects.none()
    return Workshop.objects.filter(structure__in=conseiller_structures(user).values("pk"))


def my_workshop(user, pk):
    """The workshop if `user` may manage it; any other id is a 404."""
    return get_object_or_404(
        my_workshops(user).select_related("place__commune", "structure", "conseiller"), pk=pk
    )


def managed_workshops(user):
    """Workshops of the structures `user` manages (read only)."""
    if not user.is_authenticated:
        return Workshop.objects.none()
    return Workshop.objects.filter(structure__in=Structure.objects.managed_by(user).values("pk"))


def my_places(user):
    """The places a conseiller may hold workshops at: their structures' places that receive
    the public (a place without services, « sans accueil », is not offered)."""
    return Place.objects.filter(structure__in=conseiller_structures(user).values("pk")).exclude(
        services=[]
    )


def public_workshop(pk):
    """Any workshop, cancelled ones included (their page says so)."""
    return get_object_or_404(
        Workshop.objects.with_seats().select_related("place__commune", "structure"), pk=pk
    )
