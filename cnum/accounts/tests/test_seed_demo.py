import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY
from cnum.accounts.management.commands.seed_demo import DEMO_ACCOUNTS
from cnum.accounts.models import Membership, Organisation, User
from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (User, Organisation, Membership, TOTPDevice)]


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="développement"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_creates_one_confirmed_account_per_role_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    assert "Demo-cnum-2026!" in capsys.readouterr().out
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.email_confirmed_at is not None
        assert user.roles == {account.role}
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY)
        assert has_device.exists() == (account.role in ROLES_REQUIRING_2FA)
    before = counts()
    passwords = dict(User.objects.values_list("email", "password"))
    call_command("seed_demo")
    assert counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords


def test_demo_organisations_have_their_territory(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    prefet = User.objects.get(email="prefet@demo.conseiller-numerique.fr")
    prefecture = prefet.memberships.get().organisation
    assert prefecture.departement_id == "69" and prefecture.region_id == "84"
    structure = User.objects.get(email="structure@demo.conseiller-numerique.fr")
    assert structure.memberships.get().organisation.departement_id == "69"


def test_demo_secret_is_the_documented_one_and_logs_in(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert DEMO_TOTP_KEY == "48656c6c6f21deadbeef"  # base32 JBSWY3DPEHPK3PXP
    email = "admin@demo.conseiller-numerique.fr"
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
    )
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.get(reverse("api_tokens:list")).status_code == 200


def test_missing_reference_data_is_explained(settings, monkeypatch):
    from cnum.accounts import demo

    settings.DEBUG = True
    structure = demo.DEMO_ORGANISATIONS["structure"]
    monkeypatch.setitem(demo.DEMO_ORGANISATIONS, "structure", (*structure[:2], "999"))
    with pytest.raises(CommandError, match="load_territories"):
        call_command("seed_demo")
    assert not User.objects.exists()
