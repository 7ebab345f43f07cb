"""Reset of a lost second factor: by the administration, or by the référent for aidants."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.models import AccountEvent, AccountLog, User
from cnum.accounts.roles import OrganisationKind, Role
from cnum.accounts.testing import PASSWORD, login, make_organisation, make_user

pytestmark = pytest.mark.django_db
SETUP = reverse("accounts:two_factor_setup")


def reset(client, person, reason="Téléphone perdu"):
    url = reverse("accounts:second_factor_reset", args=[person.pk])
    return client.post(url, {"confirm": "1", "reason": reason})


def test_administration_reset_forces_enrolment_at_next_login(client, mailoutbox, send_emails):
    admin = login(client, make_user(Role.ADMINISTRATEUR))
    # A conseiller who chose 2FA: after the reset, still held to enrol a new one.
    person = make_user(Role.CONSEILLER)
    TOTPDevice.objects.create(user=person, name="Téléphone", confirmed=True)
    StaticDevice.objects.create(user=person, name="Codes de secours", confirmed=True)
    assert (
        client.post(
            reverse("accounts:second_factor_reset", args=[person.pk]), {"confirm": "1"}
        ).status_code
        == 400
    )  # the reason is required
    assert TOTPDevice.objects.filter(user=person).exists()

    with send_emails():
        reset(client, person)
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    entry = AccountLog.objects.get(user=person, event=AccountEvent.SECOND_FACTOR_RESET)
    assert entry.actor == admin and entry.reason == "Téléphone perdu"
    assert "réinitialisé la double authentification" in mailoutbox[0].body

    other = type(client)()
    response = other.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.url.startswith(SETUP)
    assert other.get(reverse("accounts:dashboard")).url.startswith(SETUP)
    login(client, admin)
    page = client.get(reverse("accounts:admin_account", args=[person.pk])).content.decode()
    assert "Double authentification réinitialisée" in page and "À réactiver" in page


def test_enrolling_again_clears_the_obligation(client):
    person = make_user(Role.CONSEILLER)
    User.objects.filter(pk=person.pk).update(must_enrol_2fa=True)
    from cnum.accounts import services

    person.refresh_from_db()
    device = services.pending_totp_device(person)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    assert services.confirm_totp_device(person, device, code)
    assert not User.objects.get(pk=person.pk).must_enrol_2fa


def test_referent_resets_an_aidant_of_their_structure_only(client):
    from cnum.mandates.tests.factories import validated_aidant

    structure = make_organisation(OrganisationKind.STRUCTURE)
    referent = validated_aidant(structure, referent=True)
    aidant = validated_aidant(structure)
    elsewhere = validated_aidant(make_organisation(OrganisationKind.STRUCTURE))
    prefet_aidant = validated_aidant(structure)
    make_user(Role.PREFET)  # unrelated
    from cnum.accounts import grants

    grants.grant(prefet_aidant, Role.PREFET, make_organisation(OrganisationKind.PREFECTURE))
    for person in (aidant, elsewhere, prefet_aidant):
        TOTPDevice.objects.create(user=person, name="Téléphone", confirmed=True)
    login(client, referent)

    assert reset(client, aidant).status_code == 302
    assert not TOTPDevice.objects.filter(user=aidant).exists()
    assert AccountLog.objects.get(event=AccountEvent.SECOND_FACTOR_RESET).actor == referent
    for person in (elsewhere, prefet_aidant):
        assert reset(client, person).status_code == 403
        assert TOTPDevice.objects.filter(user=person).exists()


def test_a_plain_aidant_cannot_reset(client):
    from cnum.mandates.tests.factories import validated_aidant

    structure = make_organisation(OrganisationKind.STRUCTURE)
    aidant = validated_aidant(structure)
    other = validated_aidant(structure)
    TOTPDevice.objects.create(user=other, name="Téléphone", confirmed=True)
    login(client, aidant)
    assert reset(client, other).status_code == 403
    assert TOTPDevice.objects.filter(user=other, confirmed=True).exists()
