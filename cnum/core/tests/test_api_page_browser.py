"""The French API page passes axe, reached from the home page's footer."""

from playwright.sync_api import expect

from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST


def test_api_page_from_the_footer_is_accessible(page, live_server):
    page.goto(f"{live_server.url}/")
    page.locator("#pied-de-page").get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API Conseiller numérique")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
