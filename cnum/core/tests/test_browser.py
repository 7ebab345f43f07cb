"""Journeys in a real browser (Playwright driving Debian's Chromium), with an axe check per page."""

from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from cnum.accounts.models import User
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST


def test_home_and_commune_autocomplete(page, live_server):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conseiller numérique")
    assert_accessible(page)

    page.get_by_role("link", name="Trouver une commune").click()
    assert_accessible(page)
    combobox = page.get_by_role("combobox")
    combobox.press_sequentially("ajacc", delay=50)
    option = page.get_by_role("option", name="Ajaccio")
    expect(option.first).to_be_visible()
    assert_accessible(page)
    combobox.press("ArrowDown")
    combobox.press("Enter")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("2A004").first).to_be_visible()
    assert_accessible(page)


def test_each_demo_role_logs_in(page, live_server, settings):
    settings.DEBUG = True  # demo accounts are a local-demo feature
    call_command("seed_demo", verbosity=0)
    for email, _role, label in DEMO_ACCOUNTS:
        page.goto(f"{live_server.url}/compte/connexion/")
        assert_accessible(page)
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        if User.objects.get(email=email).requires_2fa:
            assert_accessible(page)
            device = TOTPDevice.objects.get(user__email=email, confirmed=True)
            code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
            page.get_by_label("Code de vérification").fill(code)
            page.get_by_role("button", name="Vérifier").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
        expect(page.get_by_text(label).first).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
