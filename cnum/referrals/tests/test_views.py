"""The pages: sending from an activity record (prefilled, with a PDF), « Mes orientations »
with close and resend, and the managers' « Orientations reçues »."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity.testing import make_conseiller, make_cra
from cnum.candidates.testing import SMALL_PDF
from cnum.places.testing import make_place
from cnum.referrals.enums import Status
from cnum.referrals.models import Referral
from cnum.referrals.testing import make_referral

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_send_from_a_record_then_close(client, send_emails, mailoutbox):
    conseiller = make_conseiller()
    place = make_place(nom="Maison des solidarités", courriels=["accueil@solidarites.fr"])
    cra = make_cra(
        conseiller,
        thematiques=["sante"],
        oriente=True,
        orientation_kind="aide_sociale",
        orientation_place=place,
    )
    login(client, conseiller)
    record = text(client.get(reverse("activity:detail", kwargs={"pk": cra.pk})))
    create = f"{reverse('referrals:create')}?cra={cra.pk}"
    assert create.replace("&", "&amp;") in record or create in record
    form = text(client.get(create))
    assert re.search(rf'value="lieu-{place.pk}"[^>]*checked', form)
    assert re.search(r'value="sante"[^>]*checked', form)
    assert re.search(r'value="aide_sociale"[^>]*selected', form)
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    data = {
        "destinataire": f"lieu-{place.pk}",
        "receiver_kind": "aide_sociale",
        "themes": ["sante"],
        "consent": "on",
        "contact_name": "Sacha Lefebvre",
        "contact_email": "sacha@exemple.fr",
    }
    response = client.post(create, {**data, "pieces": fake})
    assert "« scan.pdf » n'est pas un PDF" in text(response) and not Referral.objects.exists()
    pdf = SimpleUploadedFile("bilan.pdf", SMALL_PDF, content_type="application/pdf")
    with send_emails():
        response = client.post(create, {**data, "pieces": pdf})
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", kwargs={"pk": referral.pk})
    assert (referral.cra, referral.receiving_place, referral.attachments.count()) == (cra, place, 1)
    assert mailoutbox[-1].to == ["accueil@solidarites.fr"]
    mine = text(client.get(reverse("referrals:mine")))
    assert "Maison des solidarités" in mine and "Envoyée, en attente de réponse" in mine
    close = reverse("referrals:close", kwargs={"pk": referral.pk})
    assert "Cette action est définitive" in text(client.get(close))
    client.post(close, {"confirm": "1"})
    referral.refresh_from_db()
    assert referral.status == Status.CLOSE
    link = re.search(r"/orientations/reponse/\S+/", mailoutbox[-1].body).group(0)
    assert "Le conseiller a clos cette orientation" in text(client.get(link))


def test_managers_of_the_receiving_structure_answer_from_their_space(client, send_emails):
    referral = make_referral()
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    manager.memberships.update(organisation=referral.receiving_structure)
    login(client, manager)
    listing = text(client.get(reverse("referrals:received")))
    assert referral.receiving_place.nom in listing
    url = reverse("referrals:received_detail", kwargs={"pk": referral.pk})
    assert "Sacha Lefebvre" in text(client.get(url))
    with send_emails():
        client.post(url, {"answer": "deja_prise_en_charge"})
    referral.refresh_from_db()
    assert referral.status == Status.DEJA_PRISE_EN_CHARGE
    assert referral.reveals.filter(user=manager).exists()
