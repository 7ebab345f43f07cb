"""Aidant training: registration by the structure within the seats, attendance by the training
organisation, and no mandate before it; no attestation before attendance (the PDF itself is
checked in the browser journey: WeasyPrint's first render is slow)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.mandates.models import AidantProfile, AidantTrainingRegistration
from cnum.mandates.policies import can_create_mandates
from cnum.mandates.tests.factories import habilitated_structure, training_session, validated_aidant

pytestmark = pytest.mark.django_db


def untrained_aidant(structure, **fields):
    """Validated by the administration, second factor set, attendance not yet recorded."""
    user = validated_aidant(structure, **fields)
    AidantProfile.objects.filter(membership__user=user).update(attendance_recorded_at=None)
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


def test_registration_within_seats_then_attendance_habilitates(client, send_emails, mailoutbox):
    structure = habilitated_structure()
    first = untrained_aidant(structure, first_name="Alex")
    second = untrained_aidant(structure, first_name="Sam")
    session = training_session(seats=1)
    organiser = make_user(Role.ORGANISME_FORMATION, organisation=session.organisation)
    assert not can_create_mandates(first, structure)

    login(client, structure.habilitation.referent)
    register = reverse("mandates:training_register", args=[session.pk])
    first_profile, second_profile = (
        AidantProfile.objects.get(membership__user=u) for u in (first, second)
    )
    with send_emails():
        client.post(register, {"aidant": first_profile.pk})
    [mail] = mailoutbox
    assert mail.to == [first.email] and "Inscription à la formation" in mail.subject
    response = client.post(register, {"aidant": second_profile.pk}, follow=True)
    assert "Cette session est complète" in response.content.decode()
    registration = AidantTrainingRegistration.objects.get()
    assert registration.aidant_profile == first_profile
    # The structure does not record attendance.
    attendance = reverse("mandates:training_attendance", args=[registration.pk])
    assert client.post(attendance).status_code == 403

    # Another training organisation does not see the registration at all.
    login(client, make_user(Role.ORGANISME_FORMATION))
    assert client.post(attendance).status_code == 404

    login(client, organiser)
    page = client.get(reverse("mandates:training_session", args=[session.pk])).content.decode()
    assert "Enregistrer la présence" in page
    client.post(attendance)
    registration.refresh_from_db()
    assert registration.attended_at and registration.attendance_recorded_by == organiser
    assert can_create_mandates(first, structure)
    assert AidantProfile.objects.get(pk=first_profile.pk).training_date == timezone.localdate()
    assert not can_create_mandates(second, structure)


def test_no_training_attestation_before_attendance(client):
    structure = habilitated_structure()
    aidant = untrained_aidant(structure)
    profile = AidantProfile.objects.get(membership__user=aidant)
    registration = AidantTrainingRegistration.objects.create(
        session=training_session(), aidant_profile=profile, registered_by=aidant
    )
    login(client, aidant)
    url = reverse("mandates:training_attestation", args=[registration.pk])
    assert client.get(url).status_code == 404
