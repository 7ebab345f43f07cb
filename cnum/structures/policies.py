"""Scoped lookups: an id outside the user's scope is a 404, a forbidden role a 403."""

from django.shortcuts import get_object_or_404

from cnum.structures.models import PostAmendment, Structure


def managed_structure(user, pk):
    return get_object_or_404(Structure.objects.managed_by(user), pk=pk)


def visible_structure(user, pk):
    return get_object_or_404(Structure.objects.visible_to(user), pk=pk)


def visible_amendment(user, pk):
    return get_object_or_404(
        PostAmendment.objects.select_related("structure").filter(
            structure__in=Structure.objects.visible_to(user)
        ),
        pk=pk,
    )
