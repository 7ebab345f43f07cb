"""The administration's header at 1024 px: grouped in menus, no page scrolls sideways, and the
menus open from the keyboard."""

import re

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in as log_in_with_form
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.core.browser_testing import BROWSER_TEST
from cnum.navigation.menu import TOOLS
from cnum.navigation.testing import wait_for_design_system

pytestmark = BROWSER_TEST

# One pixel of rounding is not a scroll bar.
FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
# What sticks out on the right, to say why a page is too wide.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-3)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def log_in(page, live_server, user):
    log_in_with_form(page, live_server, user.email)


def test_no_page_of_the_administration_scrolls_sideways_at_1024_px(page, live_server):
    admin = make_user(Role.ADMINISTRATEUR)
    TOTPDevice.objects.create(user=admin, name="Application", confirmed=True)
    page.set_viewport_size({"width": 1024, "height": 800})
    log_in(page, live_server, admin)
    assert page.evaluate(FITS)
    header = page.locator("#navigation-principale")
    # Every tool of the administration is in a menu of the header.
    for tool in TOOLS:
        if Role.ADMINISTRATEUR in tool.roles:
            assert header.locator(f'a[href="{reverse(tool.url_name)}"]').count() == 1
    too_wide = {}
    for tool in TOOLS:
        if Role.ADMINISTRATEUR in tool.roles:
            page.goto(f"{live_server.url}{reverse(tool.url_name)}")
            # Measured once the page's scripts have laid the header out (menus collapsed).
            page.wait_for_load_state("networkidle")
            if not page.evaluate(FITS):
                too_wide[tool.url_name] = page.evaluate(WIDEST)
    assert too_wide == {}, "Ces pages défilent horizontalement à 1024 px"


def test_a_menu_of_the_header_opens_from_the_keyboard(page, live_server):
    admin = make_user(Role.ADMINISTRATEUR)
    TOTPDevice.objects.create(user=admin, name="Application", confirmed=True)
    page.set_viewport_size({"width": 1024, "height": 800})
    log_in(page, live_server, admin)
    wait_for_design_system(page)
    button = page.locator('button[aria-controls="menu-recrutements"]')
    menu = page.locator("#menu-recrutements")
    expect(menu).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    # The opening transition ends first: no timer of the design system's script is left
    # running when the page closes.
    expect(menu).not_to_have_class(re.compile(r"\bfr-collapsing\b"))
    page.keyboard.press("Tab")
    first = menu.get_by_role("link").first
    expect(first).to_be_focused()
    # Where Enter leads; following it is the browser's own behaviour. Leaving the page while
    # the script closes the menu made it fail on a node already gone (a race of the design
    # system, not of this header).
    expect(first).to_have_attribute("href", reverse("recruitment:list"))
