"""Scoped lookups: an id outside the user's scope is a 404; a forbidden role is a 403 (views)."""

from django.shortcuts import get_object_or_404

from cnum.accounts.roles import Role
from cnum.funding.models import Document, Dossier, KitRequest, PaymentRequest
from cnum.structures.models import Structure

NATIONAL = (Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR)


def managed_structure(user, pk):
    return get_object_or_404(Structure.objects.managed_by(user), pk=pk)


def _scoped(queryset, user, structure_path):
    """National funding roles see everything; managers only their structures' objects."""
    if user.has_role(*NATIONAL):
        return queryset
    return queryset.filter(**{f"{structure_path}__in": Structure.objects.managed_by(user)})


def visible_document(user, pk):
    documents = Document.objects.select_related("dossier__convention")
    return get_object_or_404(_scoped(documents, user, "dossier__convention__structure"), pk=pk)


def managed_document(user, pk):
    documents = Document.objects.select_related("dossier__convention__structure")
    managed = documents.filter(
        dossier__convention__structure__in=Structure.objects.managed_by(user)
    )
    return get_object_or_404(managed, pk=pk)


def visible_payment(user, pk):
    payments = PaymentRequest.objects.select_related("structure__commune", "requested_by")
    return get_object_or_404(_scoped(payments, user, "structure"), pk=pk)


def visible_structure(user, pk):
    """A structure whose funding `user` follows: any for the national roles, else managed."""
    structures = Structure.objects.submitted().select_related("commune")
    if not user.has_role(*NATIONAL):
        structures = structures.filter(pk__in=Structure.objects.managed_by(user))
    return get_object_or_404(structures, pk=pk)


def managed_payment(user, pk):
    return get_object_or_404(
        PaymentRequest.objects.filter(structure__in=Structure.objects.managed_by(user)), pk=pk
    )


def managed_kit(user, pk):
    return get_object_or_404(
        KitRequest.objects.filter(structure__in=Structure.objects.managed_by(user)), pk=pk
    )


def dossier(pk):
    return get_object_or_404(
        Dossier.objects.select_related("convention__structure__commune"), pk=pk
    )


def payment(pk):
    return get_object_or_404(PaymentRequest.objects.select_related("structure"), pk=pk)


def kit(pk):
    return get_object_or_404(
        KitRequest.objects.select_related("structure", "kit_type", "commune"), pk=pk
    )


def structure(pk):
    return get_object_or_404(Structure.objects.submitted(), pk=pk)
