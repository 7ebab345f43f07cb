"""An account whose recovery codes are all used is told so, and offered new ones."""

from html import unescape

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user

pytestmark = pytest.mark.django_db


def test_no_recovery_code_left_prompts_to_generate_new_ones(client):
    user = make_user(Role.CANDIDAT)
    device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    client.force_login(user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    client.post(reverse("accounts:two_factor_verify"), {"code": code})
    page = unescape(client.get(reverse("accounts:dashboard")).content.decode())
    assert "Il vous reste 0" not in page
    assert "Vous n'avez plus aucun code de secours" in page
    assert "Générer de nouveaux codes de secours" in page
    page = client.get(reverse("accounts:two_factor_recovery_codes")).content.decode()
    assert "générez-en une nouvelle série maintenant" in page
