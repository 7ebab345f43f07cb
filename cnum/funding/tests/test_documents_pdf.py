"""Funding documents as PDF: the notice of a payment made and the convention summary."""

import pytest
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.documents.testing import read_pdf
from cnum.funding import services
from cnum.funding.testing import funded_structure, validated_convention

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid():
    """A structure with two posts, its convention validated and the first instalment paid."""
    structure, manager = funded_structure(posts=2)
    operator = validated_convention(structure, manager)
    today = timezone.localdate()
    request = services.request_payment(structure, manager, today)
    services.decide_payment(request, operator, approve=True)
    services.record_payment(request, operator, today, "VIR-2026-0042")
    return structure, manager, operator, request


def test_a_manager_downloads_the_notice_of_a_payment_made(client, paid):
    structure, manager, _, request = paid
    login(client, manager)
    assert (
        f"/financement/versements/{request.pk}/avis.pdf"
        in client.get(f"/financement/ma-structure/{structure.pk}/").content.decode()
    )
    pdf = read_pdf(client.get(f"/financement/versements/{request.pk}/avis.pdf"))
    assert (pdf.lang, pdf.title) == ("fr", "Avis de versement — Premier versement")
    assert structure.siret in pdf.text and "VIR-2026-0042" in pdf.text
    assert "50 000,00 €" in pdf.text.replace("\u202f", " ").replace("\xa0", " ")
    page = client.get("/documents/verifier/", {"code": pdf.code}).content.decode()
    assert "Avis de versement" in page and "Document authentique" in page
    # Another structure's manager: the notice does not exist for them.
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    assert client.get(f"/financement/versements/{request.pk}/avis.pdf").status_code == 404


def test_the_operator_downloads_the_convention_summary(client, paid):
    structure, manager, operator, _ = paid
    login(client, operator)
    pdf = read_pdf(client.get(f"/financement/structures/{structure.pk}/convention.pdf"))
    assert pdf.title == f"Synthèse de la convention — {structure.name}"
    text = pdf.text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Conventionnement validé" in text
    assert "Engagé Versé Reste à verser 100 000,00 € 50 000,00 € 50 000,00 €" in text
    assert "Premier versement 50 000,00 €" in text and "Solde" in text
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    assert client.get(f"/financement/structures/{structure.pk}/convention.pdf").status_code == 404
