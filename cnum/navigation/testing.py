"""Browser-test helpers for the header: wait for the design system's script, then open menus."""

from playwright.sync_api import expect


def wait_for_design_system(page):
    """The DSFR script marks the root element once its menus listen; a click before is lost."""
    page.locator("html[data-fr-js='true']").wait_for(state="attached")


def reveal_header_link(page, link):
    """Open the header menu that holds `link`, if it sits in a closed one."""
    wait_for_design_system(page)
    if not link.is_visible():
        menu_id = link.locator("xpath=ancestor::div[contains(@class, 'fr-menu')]").get_attribute(
            "id"
        )
        navigation = page.get_by_role("navigation", name="Menu principal")
        navigation.locator(f'button[aria-controls="{menu_id}"]').click()
    expect(link).to_be_visible()
    return link


def follow_header_link(page, name):
    navigation = page.get_by_role("navigation", name="Menu principal")
    link = navigation.get_by_role("link", name=name, exact=True, include_hidden=True)
    reveal_header_link(page, link).click()
