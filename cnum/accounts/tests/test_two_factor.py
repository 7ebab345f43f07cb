import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role
from cnum.accounts.testing import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
RECOVERY = reverse("accounts:two_factor_recovery_codes")
DASHBOARD = reverse("accounts:dashboard")
KEY = "3132333435363738393031323334353637383930"


def code_for(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def password_login(client, user, next_url=None):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def enrolled(role=Role.ADMINISTRATEUR):
    user = make_user(role)
    device = TOTPDevice.objects.create(user=user, name="Téléphone", key=KEY, confirmed=True)
    return user, device


@pytest.mark.parametrize("role", sorted(ROLES_REQUIRING_2FA))
def test_roles_requiring_2fa_are_sent_to_setup_everywhere(client, role):
    user = make_user(role)
    response = password_login(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    for url in [DASHBOARD, reverse("accounts:password_change"), RECOVERY]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{SETUP}?next={quote(url, safe='')}"
    assert client.get(SETUP).status_code == 200


@pytest.mark.parametrize("role", sorted(ROLES_REQUIRING_2FA))
def test_enrolled_roles_are_sent_to_verify(client, role):
    user, _ = enrolled(role)
    response = password_login(client, user, next_url="/compte/mot-de-passe/modifier/")
    assert response["Location"] == f"{VERIFY}?next=%2Fcompte%2Fmot-de-passe%2Fmodifier%2F"
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


@pytest.mark.parametrize(
    "role",
    [
        Role.CANDIDAT,
        Role.GESTIONNAIRE_STRUCTURE,
        Role.COORDINATEUR,
        Role.CONSEILLER,
        Role.ORGANISME_FORMATION,
        None,
    ],
)
def test_other_roles_are_not_asked_for_a_second_factor(client, role):
    user = make_user(role)
    assert password_login(client, user)["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_public_pages_and_logout_stay_reachable_before_verification(client):
    client.force_login(make_user(Role.PREFET))
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:signup_done")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_testing_login_helper_passes_the_middleware(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    assert client.get(DASHBOARD).status_code == 200


def test_setup_with_a_real_code_then_recovery_codes_shown_once(client):
    user = make_user(Role.PREFET)
    password_login(client, user, next_url="/compte/mot-de-passe/modifier/")
    response = client.get(SETUP + "?next=/compte/mot-de-passe/modifier/")
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="QR code' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The same pending device (and secret) survives a reload.
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html)[1].replace(" ", "")
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    response = client.post(
        SETUP, {"code": "000000" if code_for(device) != "000000" else "111111", "next": "/"}
    )
    assert "Ce code ne correspond pas" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp waits 1 s after a failure
    response = client.post(
        SETUP, {"code": code_for(device), "next": "/compte/mot-de-passe/modifier/"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10
    assert 'href="/compte/mot-de-passe/modifier/"' in html
    device.refresh_from_db()
    assert device.confirmed
    # Verified session: the private pages open.
    assert client.get(DASHBOARD).status_code == 200
    # Shown once: the recovery page only says how many remain.
    html = client.get(RECOVERY).content.decode()
    assert "10" in html and codes[0] not in html


def test_setup_rejects_malformed_codes(client):
    client.force_login(make_user(Role.AIDANT))
    client.get(SETUP)
    for code in ["", "abc", "12345", "1234567", "١٢٣٤٥٦", "x" * 5000]:
        response = client.post(SETUP, {"code": code})
        assert response.status_code == 200
        assert "fr-message--error" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_setup_cannot_bypass_an_existing_device(client):
    user, _ = enrolled()
    client.force_login(user)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"code": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_verify_with_a_real_totp_code(client):
    user, device = enrolled(Role.OPERATEUR_FINANCIER)
    password_login(client, user)
    response = client.post(VERIFY, {"code": "12 34 56x"})
    assert response.status_code == 200
    assert "fr-message--error" in response.content.decode()
    response = client.post(
        VERIFY, {"code": code_for(device), "next": "/compte/mot-de-passe/modifier/"}
    )
    assert response["Location"] == "/compte/mot-de-passe/modifier/"
    assert client.get(DASHBOARD).status_code == 200


def test_verify_refuses_a_foreign_next(client):
    user, device = enrolled()
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == DASHBOARD


def test_wrong_code_does_not_verify(client):
    user, device = enrolled()
    client.force_login(user)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert "pas valide ou a déjà été utilisé" in response.content.decode()
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "attendez 1 seconde avant un nouvel essai" in response.content.decode()
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_a_totp_code_cannot_be_replayed(client):
    user, device = enrolled()
    client.force_login(user)
    code = code_for(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.force_login(user)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200


def test_recovery_code_works_once(client):
    user, device = enrolled()
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device)})
    html = client.post(RECOVERY).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(codes) == 10
    client.post(reverse("accounts:logout"))

    client.force_login(user)
    typed = codes[3].upper()[:4] + " " + codes[3].upper()[4:]
    response = client.post(VERIFY, {"code": typed})
    assert response["Location"] == DASHBOARD
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:logout"))

    client.force_login(user)
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200
    assert "déjà été utilisé" in response.content.decode()


def test_regenerating_recovery_codes_replaces_the_old_ones(client):
    user, device = enrolled()
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(device)})
    first = re.findall(r"<code>([a-z2-7]{8})</code>", client.post(RECOVERY).content.decode())
    second = re.findall(r"<code>([a-z2-7]{8})</code>", client.post(RECOVERY).content.decode())
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(second) and not stored & set(first)


def test_recovery_codes_page_requires_a_device(client):
    client.force_login(make_user(Role.CANDIDAT))
    assert client.get(RECOVERY)["Location"] == SETUP


def test_optional_2fa_once_enabled_is_enforced(client):
    user = make_user(Role.CANDIDAT)
    TOTPDevice.objects.create(user=user, key=KEY, confirmed=True)
    assert password_login(client, user)["Location"].startswith(VERIFY)
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_verify_without_device_goes_to_setup_and_verified_goes_on(client):
    client.force_login(make_user(Role.CANDIDAT))
    assert client.get(VERIFY)["Location"] == SETUP
    client.logout()
    login(client, make_user(Role.ADMINISTRATEUR))
    assert client.get(VERIFY)["Location"] == DASHBOARD
    assert client.get(SETUP)["Location"] == DASHBOARD
