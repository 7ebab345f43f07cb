"""Who sees which CRA: a conseiller their own; a structure manager its conseillers' records."""

from django.shortcuts import get_object_or_404

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.activity.models import Beneficiary, Cra
from cnum.places.models import Place
from cnum.structures.models import Structure

conseiller_required = require_role(Role.CONSEILLER)
reader_required = require_role(Role.CONSEILLER, Role.GESTIONNAIRE_STRUCTURE)


def readable_cras(user):
    """Live records `user` may read (own ones, and those of the structures they manage)."""
    if not user.is_authenticated:
        return Cra.objects.none()
    managed = Structure.objects.managed_by(user).values("pk")
    return Cra.objects.alive().filter(conseiller=user) | Cra.objects.alive().filter(
        structure__in=managed
    )


def readable_cra(user, pk):
    """A record `user` may read, with what its page shows; anything else is a 404."""
    records = readable_cras(user).select_related(
        "place", "commune", "conseiller", "beneficiary", "orientation_place__commune"
    )
    return get_object_or_404(records, pk=pk)


def own_cra(user, pk):
    """A record `user` may edit or delete: only their own; anything else is a 404."""
    return get_object_or_404(Cra.objects.alive().filter(conseiller=user), pk=pk)


def own_beneficiaries(user):
    return Beneficiary.objects.filter(conseiller=user, deleted_at__isnull=True)


def own_beneficiary(user, pk):
    return get_object_or_404(own_beneficiaries(user), pk=pk)


def conseiller_places(user):
    """The conseiller's places, main place first."""
    return Place.objects.filter(conseiller_links__conseiller=user).order_by(
        "-conseiller_links__is_main", "nom", "pk"
    )


def conseiller_structure(user):
    return (
        Structure.objects.filter(
            memberships__user=user, memberships__role=Role.CONSEILLER, memberships__is_active=True
        )
        .order_by("pk")
        .first()
    )
