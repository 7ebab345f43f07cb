"""The convention step of a structure just granted posts: its state named for what it is, the
documents to join listed, and the models offered for download."""

from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from cnum.accounts.testing import login
from cnum.funding import services
from cnum.funding.testing import funded_structure

pytestmark = pytest.mark.django_db


def test_a_structure_just_granted_posts_sees_what_to_join_and_the_models(client):
    structure, manager = funded_structure()
    login(client, manager)
    url = reverse("funding:structure", args=[structure.pk])
    page = unescape(client.get(url).content.decode())
    assert "Non intéressée" not in page
    assert "Statut : Conventionnement à engager" in " ".join(page.split()).replace(
        "<strong>", ""
    ).replace("</strong>", "")
    assert "La convention de subvention, datée et signée" in page
    assert "relevé d'identité bancaire" in page
    for model in ("convention-de-subvention.html", "decision-autorisant-la-signature.html"):
        assert f"/static/funding/modeles/{model}" in page
        assert finders.find(f"funding/modeles/{model}")
    services.start_convention(structure, manager)
    page = unescape(client.get(url).content.decode())
    assert "Pièces à joindre au dossier" in page  # still listed while the dossier is prepared
