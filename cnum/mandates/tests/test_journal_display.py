"""The journal page speaks French: labels, French dates and sentences, never codes; its wide
table scrolls from the keyboard."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.mandates import services
from cnum.mandates.models import JournalEntry
from cnum.mandates.tests.factories import habilitated_structure, make_usager, validated_aidant

pytestmark = pytest.mark.django_db


def test_journal_details_are_labels_dates_and_sentences(client):
    structure = habilitated_structure()
    aidant = validated_aidant(structure)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    mandate = services.create_mandate(
        aidant=aidant,
        usager=make_usager(structure, aidant),
        domains=["papiers", "logement"],
        duration_days=182,
        consent=True,
    )
    JournalEntry.log_totp_check(aidant, success=True)
    login(client, make_user(Role.ADMINISTRATEUR))
    page = unescape(client.get(reverse("mandates:journal")).content.decode())
    expires = timezone.localtime(mandate.expires_at).strftime("%d/%m/%Y à %H:%M")
    assert "Domaines : Logement, Papiers – Citoyenneté – Élections" in page
    assert f"Expire le : {expires}" in page and "Durée : 182 jours" in page
    assert "Résultat : code accepté" in page
    for raw in ("succes", "True", "['", "duree_jours", "manage.py"):
        assert raw not in page, raw
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", page)  # no ISO timestamp
    assert re.search(
        r'<div class="fr-table__wrapper" tabindex="0" role="region" aria-label="[^"]+"', page
    )
