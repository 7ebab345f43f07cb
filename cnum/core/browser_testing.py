"""Pytest plugin for journeys in a real browser: Playwright driving Debian's Chromium, with axe.

Browser tests run against `live_server`, so their database writes are committed and every table
is flushed afterwards; cnum.territories.testing then reloads the reference data.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

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
# Marks for a module of browser tests.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls stay synchronous.
    # Scoped to the module: `check --deploy` (another test) rejects this variable.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


def _page(browser, javascript):
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    assert not errors, f"Erreurs JavaScript ou de politique de sécurité : {errors}"


@pytest.fixture
def page(browser):
    """A fresh browser tab; any JavaScript or CSP error during the test fails it."""
    yield from _page(browser, javascript=True)


@pytest.fixture
def page_without_js(browser):
    yield from _page(browser, javascript=False)


def assert_accessible(page):
    """No serious or critical axe-core violation on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{page.url} : {serious}"
