"""Journeys in a real browser (Playwright driving Debian's Chromium), with an axe check per page."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect, sync_playwright

from cnum.accounts.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from cnum.accounts.models import User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Reference data is loaded once per session: keep it out of the flush after each browser test.
APPS_FLUSHED = [app for app in settings.INSTALLED_APPS if app != "cnum.territories"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=APPS_FLUSHED),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
    # still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: message.type == "error" and errors.append(message.text),
    )
    yield page
    context.close()
    assert not errors, f"Erreurs JavaScript ou de politique de sécurité : {errors}"


def assert_accessible(page):
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page.url} : {serious}"


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
