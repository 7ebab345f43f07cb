"""The administration launches a national allocation, reads it, then exports: real browser, axe
on each page."""

from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cnum.accounts.browser_testing import log_in as log_in_with_form
from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.allocation.testing import make_validated_structure
from cnum.candidates.testing import make_profile
from cnum.core.browser_testing import BROWSER_TEST, assert_accessible

pytestmark = BROWSER_TEST


def log_in(page, live_server, user):
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    log_in_with_form(page, live_server, user.email)


def test_launch_an_allocation_then_export(page, live_server):
    make_validated_structure(posts=2, departement="69", name="Mairie de Lyon")
    make_validated_structure(posts=1, departement="974", name="Mairie de Saint-Denis")
    candidate = make_profile(commune="69266")
    log_in(page, live_server, make_user(Role.ADMINISTRATEUR))

    page.goto(f"{live_server.url}/repartition/")
    assert_accessible(page)
    page.get_by_text("Toutes les structures validées").click()
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.get_by_text("Le calcul est en cours")).to_be_visible()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.reload()
    expect(page.get_by_role("cell", name="1 / 3").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Rhône (69)").click()
    expect(page.get_by_role("link", name=candidate.user.get_full_name())).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/exports/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#export-structures + form").get_by_role("button").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Mairie de Lyon" in content and "Mairie de Saint-Denis" in content
