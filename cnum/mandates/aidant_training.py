"""Aidant training use cases (docs/aidants-connect.md#formation): sessions, registration by
the structure under a lock of the session row (seats are never oversold), attendance."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.core.mail import send_templated_email
from cnum.mandates.models import (
    AidantProfile,
    AidantTrainingRegistration,
    AidantTrainingSession,
    JournalEntry,
)
from cnum.mandates.policies import managed_structure_ids


class TrainingRefused(Exception):
    """A refused training act; str() is the French message shown."""


def organiser_ids(user):
    """Training organisations the user acts for."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(
            user=user,
            role=Role.ORGANISME_FORMATION,
            is_active=True,
            organisation__kind=OrganisationKind.ORGANISME_FORMATION,
        ).values_list("organisation_id", flat=True)
    )


def organises(user, session):
    return user.has_role(Role.ADMINISTRATEUR) or session.organisation_id in organiser_ids(user)


def may_use_training(user):
    """Administration, training organisations, and those who manage a structure's aidants."""
    return bool(
        user.has_role(Role.ADMINISTRATEUR) or organiser_ids(user) or managed_structure_ids(user)
    )


def sessions_visible_to(user):
    """Every session for the administration and managers (to register aidants), their own for
    training organisations; none for anyone else."""
    sessions = AidantTrainingSession.objects.select_related("organisation")
    if user.has_role(Role.ADMINISTRATEUR) or managed_structure_ids(user):
        return sessions.all()
    return sessions.filter(organisation_id__in=organiser_ids(user))


def with_seats(sessions):
    return sessions.annotate(taken=Count("registrations"))


def registrations_visible_to(user):
    """The aidant's own, their structures' for managers, the organiser's, all for the admin."""
    registrations = AidantTrainingRegistration.objects.select_related(
        "session__organisation", "aidant_profile__membership__user"
    )
    if user.has_role(Role.ADMINISTRATEUR):
        return registrations.all()
    return registrations.filter(
        Q(aidant_profile__membership__user=user)
        | Q(aidant_profile__membership__organisation_id__in=managed_structure_ids(user))
        | Q(session__organisation_id__in=organiser_ids(user))
    )


def create_session(*, actor, organisation, title, start_date, end_date, place, seats):
    if organisation.kind != OrganisationKind.ORGANISME_FORMATION:
        raise TrainingRefused("Choisissez un organisme de formation.")
    if not (actor.has_role(Role.ADMINISTRATEUR) or organisation.pk in organiser_ids(actor)):
        raise PermissionDenied
    if end_date < start_date:
        raise TrainingRefused("Le dernier jour ne peut pas précéder le premier.")
    return AidantTrainingSession.objects.create(
        organisation=organisation,
        title=title,
        start_date=start_date,
        end_date=end_date,
        place=place,
        seats=seats,
        created_by=actor,
    )


def register(session, profile, *, actor):
    """Register an aidant of a structure the actor manages; one seat each, never more."""
    if profile.membership.organisation_id not in managed_structure_ids(actor):
        raise PermissionDenied
    if not profile.membership.is_active:
        raise TrainingRefused("Cet aidant est désactivé.")
    with transaction.atomic():
        # The session row carries the rule: locking it serialises registrations to it.
        locked = AidantTrainingSession.objects.select_for_update(of=("self",), no_key=True).get(
            pk=session.pk
        )
        if locked.start_date < timezone.localdate():
            raise TrainingRefused("Cette session a commencé : elle n'accepte plus d'inscription.")
        if locked.registrations.filter(aidant_profile=profile).exists():
            raise TrainingRefused(f"{profile} est déjà inscrit(e) à cette session.")
        if locked.registrations.count() >= locked.seats:
            raise TrainingRefused("Cette session est complète : choisissez-en une autre.")
        try:
            with transaction.atomic():
                registration = AidantTrainingRegistration.objects.create(
                    session=locked, aidant_profile=profile, registered_by=actor
                )
        except IntegrityError as error:  # the same aidant registered at the same moment
            raise TrainingRefused(f"{profile} est déjà inscrit(e) à cette session.") from error
        JournalEntry.log_aidant_changed(actor, profile, action="inscription_formation")
        send_templated_email(
            "mandates/emails/training_registered",
            {"session": locked, "profile": profile},
            [profile.membership.user.email],
        )
    return registration


def record_attendance(registration, *, actor):
    """The organisation (or the administration) records that the aidant attended: the aidant
    is then trained, and habilitated once validated."""
    session = registration.session
    if not organises(actor, session):
        raise PermissionDenied
    today = timezone.localdate()
    if session.start_date > today:
        raise TrainingRefused("La présence se constate une fois la session commencée.")
    if registration.attended_at:
        raise TrainingRefused("La présence de cet aidant est déjà enregistrée.")
    now = timezone.now()
    with transaction.atomic():
        registration.attended_at, registration.attendance_recorded_by = now, actor
        registration.save(update_fields=["attended_at", "attendance_recorded_by"])
        profile = AidantProfile.objects.select_for_update(of=("self",)).get(
            pk=registration.aidant_profile_id
        )
        profile.attendance_recorded_at = profile.attendance_recorded_at or now
        profile.training_date = min(session.end_date, today)
        profile.save(update_fields=["attendance_recorded_at", "training_date"])
        JournalEntry.log_aidant_changed(actor, profile, action="presence_formation")
    return registration
