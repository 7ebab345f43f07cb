"""Browser-test helper: follow a link of the header, opening its menu first when it is in one."""


def follow_header_link(page, name):
    navigation = page.get_by_role("navigation", name="Menu principal")
    link = navigation.get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.is_visible():
        menu_id = link.locator("xpath=ancestor::div[contains(@class, 'fr-menu')]").get_attribute(
            "id"
        )
        navigation.locator(f'button[aria-controls="{menu_id}"]').click()
    link.click()
