"""Browser-test helper: log in through the real form, with the second factor when the account
has one."""

from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.testing import PASSWORD


def log_in(page, live_server, email, password=PASSWORD):
    """Log `email` in and land on "Mon espace"."""
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is not None:
        # A code is accepted once: a second log-in within the same 30 s uses the next one,
        # which the device's tolerance accepts.
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
        drift = max(0, device.last_t + 1 - now)
        code = f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):06d}"
        page.get_by_label("Code de vérification").fill(code)
        page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
