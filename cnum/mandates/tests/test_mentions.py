"""Mentions of the mandate in the usager's language, stored with it and used on the
attestation (Arabic right to left)."""

from html import unescape

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.mandates.models import Mandate
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    make_usager,
    validated_aidant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def usager(client):
    structure = habilitated_structure(name="Maison France services de Bron")
    aidant = validated_aidant(structure)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    fresh_login(client, aidant)
    return make_usager(structure, aidant)


def text(response):
    return unescape(response.content.decode())


def test_mentions_shown_in_the_chosen_language(client, usager):
    url = reverse("mandates:mandate_create", args=[usager.pk])
    page = text(client.get(f"{url}?langue=es"))
    assert 'lang="es" dir="ltr"' in page
    assert "Al firmar este mandato, usted autoriza a la estructura Maison France services" in page
    page = text(client.get(f"{url}?langue=ar"))
    assert 'lang="ar" dir="rtl"' in page and "بنود التفويض" in page
    page = text(client.get(f"{url}?langue=xx"))  # unknown: the French reference text
    assert "En signant ce mandat, vous autorisez la structure" in page
    response = client.post(url, {"domains": ["papiers"], "duration_days": 31, "consent": "on",
                                 "language": "de"})  # fmt: skip
    assert "Cette langue n'est pas proposée." in text(response)
    assert not Mandate.objects.exists()


def test_language_stored_and_used_on_the_attestation(client, usager):
    url = reverse("mandates:mandate_create", args=[usager.pk])
    client.post(url, {"domains": ["logement"], "duration_days": 31, "consent": "on",
                      "language": "ar"})  # fmt: skip
    mandate = Mandate.objects.get()
    assert mandate.language == "ar"
    page = text(client.get(reverse("mandates:attestation", args=[mandate.pk])))
    assert 'lang="ar" dir="rtl"' in page
    assert f"شهادة التفويض رقم {mandate.pk}" in page and "السكن" in page
    assert "أمنح تفويضًا للمؤسسة" in page and "Dominique Lefèvre" in page
