"""Revoking a mandate or an authorisation and deactivating an aidant ask for confirmation first:
the first request (GET, or the old one-click POST) only shows what will happen."""

from html import unescape

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.models import Membership
from cnum.accounts.testing import login
from cnum.mandates import services
from cnum.mandates.models import AidantProfile
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    make_usager,
    validated_aidant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    return habilitated_structure()


@pytest.fixture
def aidant(structure):
    user = validated_aidant(structure)
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    return user


@pytest.fixture
def mandate(structure, aidant):
    usager = make_usager(structure, aidant)
    return services.create_mandate(
        aidant=aidant, usager=usager, domains=["papiers", "social"], duration_days=182, consent=True
    )


def test_mandate_revocation_needs_the_confirmation_step(client, aidant, mandate):
    fresh_login(client, aidant)
    url = reverse("mandates:mandate_revoke", args=[mandate.pk])
    page = unescape(client.get(url).content.decode())
    assert "Toutes les autorisations encore actives de ce mandat sont révoquées." in page
    assert 'name="confirm" value="1"' in page
    assert client.post(url).status_code == 200  # the old one-click button
    mandate.refresh_from_db()
    assert mandate.is_active
    client.post(url, {"confirm": "1"})
    mandate.refresh_from_db()
    assert mandate.status == "revoque"


def test_authorisation_revocation_needs_the_confirmation_step(client, aidant, mandate):
    fresh_login(client, aidant)
    authorisation = mandate.authorisations.get(domain="social")
    url = reverse("mandates:authorisation_revoke", args=[authorisation.pk])
    assert "Révoquer l'autorisation" in unescape(client.get(url).content.decode())
    client.post(url)
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is None
    client.post(url, {"confirm": "1"})
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None


def test_aidant_deactivation_needs_the_confirmation_step(client, structure, aidant):
    profile = AidantProfile.objects.get(membership__user=aidant)
    login(client, structure.habilitation.referent)
    url = reverse("mandates:aidant_deactivate", args=[profile.pk])
    page = unescape(client.get(url).content.decode())
    assert "ne pourra plus créer ni utiliser de mandats" in page
    client.post(url)
    assert Membership.objects.get(pk=profile.membership_id).is_active
    client.post(url, {"confirm": "1"})
    assert not Membership.objects.get(pk=profile.membership_id).is_active
