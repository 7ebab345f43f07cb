"""The commune combobox in a real browser: keyboard, ARIA states, live region; and without JS."""

from playwright.sync_api import expect

from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST


def test_keyboard(page, live_server):
    page.goto(f"{live_server.url}/territoires/communes/")
    combobox = page.get_by_role("combobox", name="Commune")
    listbox = page.get_by_role("listbox")
    status = page.locator("[data-combobox-status]")

    combobox.press_sequentially("saint den", delay=30)
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option")).to_have_count(10)
    expect(status).to_have_text(
        "10 communes proposées. Flèches haut et bas pour parcourir, Entrée pour choisir."
    )

    assert_accessible(page)

    combobox.press("ArrowDown")
    combobox.press("ArrowDown")
    second = page.get_by_role("option").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    combobox.press("ArrowUp")
    combobox.press("ArrowUp")  # wraps around to the last option
    expect(page.get_by_role("option").last).to_have_attribute("aria-selected", "true")

    combobox.press("Escape")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    expect(combobox).not_to_have_attribute("aria-activedescendant", "x")

    combobox.press("ArrowDown")  # reopens on the first option
    expect(combobox).to_have_attribute("aria-expanded", "true")
    first_label = page.get_by_role("option").first.get_attribute("data-label")
    combobox.press("Enter")
    expect(combobox).to_have_value(first_label)
    expect(combobox).to_have_attribute("aria-expanded", "false")

    combobox.press("Enter")  # listbox closed: Enter submits the search
    expect(page.get_by_role("heading", name="Communes à moins de 10 km")).to_be_visible()
    assert_accessible(page)

    combobox.fill("")
    combobox.press_sequentially("zzzqx", delay=30)
    expect(status).to_have_text("Aucune commune trouvée.")
    expect(combobox).to_have_attribute("aria-expanded", "false")

    combobox.fill("")
    combobox.press_sequentially("bastia", delay=30)
    page.get_by_role("option", name="Bastia").click()
    expect(combobox).to_have_value("Bastia (2B)")

    page.goto(f"{live_server.url}/territoires/communes/?commune=Saint-Denis&rayon=abc")
    expect(page.get_by_text("Choisissez un rayon de 5, 10, 20 ou 30 km.")).to_be_visible()
    assert_accessible(page)  # error state
    page.goto(f"{live_server.url}/territoires/communes/75101/")
    assert_accessible(page)


def test_without_javascript(page_without_js, live_server):
    page = page_without_js
    page.goto(f"{live_server.url}/territoires/communes/")
    page.get_by_role("combobox", name="Commune").fill("Saint-Denis")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Plusieurs communes s'appellent « Saint-Denis »")).to_be_visible()
    page.get_by_role("combobox", name="Commune").fill("Saint-Denis (93)")
    page.get_by_text("20 km").click()
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("93066")).to_be_visible()
    expect(page.get_by_role("heading", name="Communes à moins de 20 km")).to_be_visible()
