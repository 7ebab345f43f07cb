"""How a new structure or candidate finds their application, from any page they start on."""

import re
from html import unescape

import pytest
from django.urls import reverse

from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


STRUCTURE_APPLY = reverse("structures:apply")


def test_home_card_accueillir_un_conseiller_leads_to_the_structure_application(client):
    html = text(client.get(reverse("core:home")))
    assert f'<a href="{STRUCTURE_APPLY}">Accueillir un conseiller</a>' in html


def test_the_header_offers_both_applications_to_visitors(client):
    html = text(client.get(reverse("core:home")))
    header = re.search(r'<header role="banner".*?</header>', html, re.S)[0]
    assert STRUCTURE_APPLY in header and reverse("candidates:apply") in header


def test_login_page_links_to_both_applications(client):
    html = text(client.get(reverse("accounts:login")))
    assert STRUCTURE_APPLY in html and reverse("candidates:apply") in html


def test_an_account_without_role_is_shown_both_applications(client):
    login(client, make_user())
    html = text(client.get(reverse("accounts:dashboard")))
    assert "Que faire maintenant" in html
    assert STRUCTURE_APPLY in html and reverse("candidates:apply") in html
    assert reverse("profiles:account") in html
