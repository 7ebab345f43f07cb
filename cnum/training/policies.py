"""Scoped lookups: an id outside the user's scope is a 404, a forbidden role a 403."""

from django.shortcuts import get_object_or_404

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.structures.models import Structure
from cnum.training.models import Enrolment, TrainingOrganisation, TrainingSession


def visible_organisation(user, pk):
    return get_object_or_404(
        TrainingOrganisation.objects.visible_to(user).select_related("commune"), pk=pk
    )


def visible_session(user, pk):
    organisations = TrainingOrganisation.objects.visible_to(user)
    return get_object_or_404(
        TrainingSession.objects.select_related("organisation", "commune").filter(
            organisation__in=organisations
        ),
        pk=pk,
    )


def visible_enrolment(user, pk):
    return get_object_or_404(
        Enrolment.objects.visible_to(user).select_related(
            "conseiller", "structure", "organisation", "session__commune"
        ),
        pk=pk,
    )


def document_enrolment(user, pk):
    """An enrolment whose documents `user` may download: their own (conseiller), or one they
    follow (administration, training organisation, employer)."""
    enrolments = Enrolment.objects.visible_to(user) | Enrolment.objects.filter(conseiller=user)
    return get_object_or_404(
        enrolments.select_related("conseiller", "structure", "organisation", "session"), pk=pk
    )


def enrolling_structure(user, pk):
    """A structure whose conseillers `user` may enrol: any for the administration, else own."""
    if user.has_role(Role.ADMINISTRATEUR):
        return get_object_or_404(Structure.objects.select_related("commune"), pk=pk)
    return get_object_or_404(Structure.objects.managed_by(user).select_related("commune"), pk=pk)


def structure_conseiller(structure, user_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        organisation=structure,
        role=Role.CONSEILLER,
        is_active=True,
        user_id=user_pk,
    )
    return membership.user
