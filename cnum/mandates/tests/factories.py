"""Helpers for the mandates tests: habilitated structures, validated aidants, fresh 2FA."""

import datetime

from django.utils import timezone

from cnum.accounts.models import Membership
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.mandates.domains import Domain, IdentityMethod
from cnum.mandates.models import AidantProfile, Habilitation, HabilitationStatus, Usager
from cnum.mandates.policies import touch_activity


def habilitated_structure(domains=None, **kwargs):
    organisation = make_organisation(OrganisationKind.STRUCTURE, **kwargs)
    Habilitation.objects.create(
        organisation=organisation,
        status=HabilitationStatus.ACCEPTEE,
        siret="12345678901234",
        structure_type="association",
        referent=make_user(Role.GESTIONNAIRE_STRUCTURE, organisation=organisation),
        aidants_to_train="Camille Martin",
        commitments_accepted_at=timezone.now(),
        domains=list(domains or Domain.values),
    )
    return organisation


def validated_aidant(organisation, *, validated=True, referent=False, **fields):
    user = make_user(Role.AIDANT, organisation=organisation, **fields)
    membership = Membership.objects.get(user=user, role=Role.AIDANT)
    AidantProfile.objects.create(
        membership=membership,
        is_referent=referent,
        training_date=timezone.localdate(),
        pix_validated=True,
        validated_at=timezone.now() if validated else None,
        attendance_recorded_at=timezone.now() if validated else None,
    )
    return user


def join_as_aidant(user, organisation):
    """A second structure for an existing aidant, validated there too."""
    membership = Membership.objects.create(user=user, role=Role.AIDANT, organisation=organisation)
    AidantProfile.objects.create(
        membership=membership,
        training_date=timezone.localdate(),
        pix_validated=True,
        validated_at=timezone.now(),
        attendance_recorded_at=timezone.now(),
    )
    return user


def fresh_login(client, user):
    """Logged in with a second factor checked just now."""
    login(client, user)
    session = client.session

    class _Request:
        pass

    request = _Request()
    request.session = session
    touch_activity(request)
    session.save()
    return user


def make_usager(organisation, aidant, **fields):
    fields.setdefault("given_names", "Dominique")
    fields.setdefault("family_name", "Lefèvre")
    fields.setdefault("birth_date", datetime.date(1950, 4, 2))
    fields.setdefault("birth_place", "Lyon")
    return Usager.objects.create(
        organisation=organisation,
        identity_method=IdentityMethod.VERIFICATION_MANUELLE,
        identity_checked_by=aidant,
        identity_checked_at=timezone.now(),
        **fields,
    )


def training_session(*, days_from_today=0, seats=2, organisation=None):
    """A session of a training organisation (starting today by default)."""
    from cnum.mandates.models import AidantTrainingSession

    start = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return AidantTrainingSession.objects.create(
        organisation=organisation or make_organisation(OrganisationKind.ORGANISME_FORMATION),
        start_date=start,
        end_date=start,
        place="Lyon",
        seats=seats,
        created_by=make_user(Role.ADMINISTRATEUR),
    )


def attend_training(profile, *, actor):
    """The aidant attended a session today, as recorded by `actor` (an administrator)."""
    from cnum.mandates import aidant_training
    from cnum.mandates.models import AidantTrainingRegistration

    registration = AidantTrainingRegistration.objects.create(
        session=training_session(), aidant_profile=profile, registered_by=actor
    )
    return aidant_training.record_attendance(registration, actor=actor)
