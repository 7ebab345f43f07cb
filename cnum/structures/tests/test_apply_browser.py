"""The commune autocomplete of the structures' application form, in a real browser."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from cnum.core.browser_testing import BROWSER_TEST, assert_accessible
from cnum.structures.enums import Audience
from cnum.structures.models import CallForInterest

pytestmark = BROWSER_TEST


def test_commune_autocomplete_works_on_the_structure_application(page, live_server):
    from django.core.cache import cache

    cache.clear()  # no application limit left over from another test on this address
    now = timezone.now()
    CallForInterest.objects.create(  # the form shows while a call for interest is open
        name="AMI 2026",
        audience=Audience.BOTH,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    page.goto(f"{live_server.url}/structures/candidater/")
    commune = page.get_by_role("combobox", name="Commune")
    commune.press_sequentially("villeurb", delay=30)
    option = page.get_by_role("option", name="Villeurbanne")
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    expect(commune).to_have_value(re.compile("Villeurbanne"))
