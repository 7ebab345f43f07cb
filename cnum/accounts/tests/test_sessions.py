"""Sessions and headers: nothing cached for a signed-in user, browser features denied, a new
session key after the second factor, and sign-out after inactivity for the 2FA roles."""

import datetime
from html import unescape

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.sessions import LAST_SEEN_KEY
from cnum.accounts.testing import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("accounts:dashboard")
LOGIN = reverse("accounts:login")


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = (timezone.now() - datetime.timedelta(minutes=minutes)).isoformat()
    session.save()


def test_pages_and_exports_of_a_signed_in_user_are_never_stored(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    for url in (DASHBOARD, reverse("mandates:journal_export")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_browser_features_are_denied_on_every_page(client):
    response = client.get(LOGIN)
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    login(client, make_user(Role.CANDIDAT))
    assert client.get(DASHBOARD)["Permissions-Policy"] == policy


def test_second_factor_gives_a_new_session_key(client):
    user = make_user(Role.ADMINISTRATEUR)
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    before = client.session.session_key
    response = client.post(
        reverse("accounts:two_factor_verify"), {"code": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    assert client.session.session_key != before
    # Whoever knew the key from before the check holds nothing.
    assert not SessionStore(session_key=before).exists(before)
    assert client.get(DASHBOARD).status_code == 200


def test_2fa_roles_are_signed_out_after_30_idle_minutes(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    idle_for(client, 29)
    assert client.get(DASHBOARD).status_code == 200
    idle_for(client, 31)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={DASHBOARD}"
    page = unescape(client.get(response.url).content.decode())
    assert "Vous avez été déconnecté après 30 minutes d'inactivité" in page
    # Signed out for good: the next private page asks to log in again.
    assert client.get(DASHBOARD).url.startswith(LOGIN)


def test_idle_timeout_is_configurable(client, settings):
    settings.IDLE_TIMEOUT_MINUTES = 5
    login(client, make_user(Role.AIDANT))
    idle_for(client, 6)
    assert client.get(DASHBOARD).url.startswith(LOGIN)


def test_roles_without_2fa_keep_their_session(client):
    login(client, make_user(Role.CANDIDAT))
    idle_for(client, 120)
    assert client.get(DASHBOARD).status_code == 200
