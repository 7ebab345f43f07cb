"""Each role, logged in through the login form, reaches every one of its tools from the home page
by clicking links only: a link of the header (opening its menu first), or one on "Mon espace".

The tools come from cnum.navigation.menu.TOOLS, so a tool declared there is walked here too.
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from cnum.accounts import grants
from cnum.accounts.browser_testing import log_in as log_in_with_form
from cnum.accounts.roles import ROLES_REQUIRING_2FA, Role
from cnum.accounts.testing import make_user
from cnum.candidates.testing import make_profile
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.mandates.tests.factories import habilitated_structure, validated_aidant
from cnum.navigation.menu import TOOLS
from cnum.navigation.testing import reveal_header_link
from cnum.structures.testing import make_structure
from cnum.training.testing import make_conseiller
from cnum.training.testing import make_organisation as make_training_organisation

pytestmark = BROWSER_TEST

# Tools of the account itself, offered on "Mon espace" rather than in the header.
ACCOUNT_TOOLS = {
    None: ["profiles:account", "accounts:password_change"],
    Role.CONSEILLER: ["profiles:my_job"],
}


def member_of_structure(role):
    user = make_user()
    grants.grant(user, role, make_structure())
    return user


def training_member():
    user = make_user()
    make_training_organisation(member=user)
    return user


# The account of each role as it exists in real use: a candidate has a profile, a conseiller a
# structure, an aidant a validated place in a habilitated structure…
ACCOUNTS = {
    Role.CANDIDAT: lambda: make_profile().user,
    Role.GESTIONNAIRE_STRUCTURE: lambda: member_of_structure(Role.GESTIONNAIRE_STRUCTURE),
    Role.COORDINATEUR: lambda: member_of_structure(Role.COORDINATEUR),
    Role.CONSEILLER: make_conseiller,
    Role.ORGANISME_FORMATION: training_member,
    Role.AIDANT: lambda: validated_aidant(habilitated_structure()),
}


def tool_urls(role):
    names = [tool.url_name for tool in TOOLS if role in tool.roles]
    names += ACCOUNT_TOOLS[None] + ACCOUNT_TOOLS.get(role, [])
    return [reverse(name) for name in names]


def log_in(page, live_server, user):
    log_in_with_form(page, live_server, user.email)


def header_link(page, url):
    """The header's link to `url`, its menu opened if it sits in one (first click), or None."""
    navigation = page.get_by_role("navigation", name="Menu principal")
    link = navigation.locator(f'a[href="{url}"]')
    if link.count() == 0:
        return None
    return reveal_header_link(page, link)


def dashboard_link(page, url):
    """The link to `url` on "Mon espace", reached by the header's "Mon espace" (first click)."""
    navigation = page.get_by_role("navigation", name="Menu principal")
    navigation.get_by_role("link", name="Mon espace", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    link = page.locator(f'main a[href="{url}"]').first
    assert link.count() == 1 and link.is_visible(), f"{url} : aucun lien visible sur Mon espace"
    return link


def reach(page, live_server, url):
    """From the home page, click through to `url`; the tool's page answers with its heading."""
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conseiller numérique")
    link = header_link(page, url) or dashboard_link(page, url)
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response.status == 200, f"{url} : réponse {response.status}"
    # A tool may send a person with one structure or organisation straight to its page.
    first = response.request
    while first.redirected_from:
        first = first.redirected_from
    assert first.url == f"{live_server.url}{url}", f"{url} : lien suivi vers {first.url}"
    assert reverse("accounts:login") not in page.url, f"{url} : renvoyé vers la connexion"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    assert heading.inner_text().strip(), f"{url} : titre vide"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_every_tool_from_the_home_page_by_links(page, live_server, role):
    user = ACCOUNTS.get(role, lambda: make_user(role))()
    if role in ROLES_REQUIRING_2FA:
        TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    page.set_default_timeout(5_000)
    log_in(page, live_server, user)
    assert_accessible(page)
    unreachable = []
    for url in tool_urls(role):
        try:
            reach(page, live_server, url)
        except (AssertionError, PlaywrightError) as error:
            unreachable.append(str(error).splitlines()[0])
    assert not unreachable, unreachable
