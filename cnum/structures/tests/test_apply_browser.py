"""The commune autocomplete of the structures' application form, in a real browser."""

import re

from playwright.sync_api import expect

from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST


def test_commune_autocomplete_works_on_the_structure_application(page, live_server):
    page.goto(f"{live_server.url}/structures/candidater/")
    commune = page.get_by_role("combobox", name="Commune")
    commune.press_sequentially("villeurb", delay=30)
    option = page.get_by_role("option", name="Villeurbanne")
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    expect(commune).to_have_value(re.compile("Villeurbanne"))
