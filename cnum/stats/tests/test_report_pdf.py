"""The statistics report as a PDF: the dashboard's figures, readable and verifiable."""

import pytest

from cnum.accounts.testing import login
from cnum.documents.models import IssuedDocument
from cnum.documents.testing import read_pdf
from cnum.stats.tests.dashboard_data import make_world


@pytest.fixture
def world(db):
    return make_world()


def test_a_conseiller_downloads_their_statistics_as_a_verifiable_pdf(client, world):
    login(client, world.conseillers["c1"])
    assert "/statistiques/rapport.pdf" in client.get("/statistiques/").content.decode()
    response = client.get("/statistiques/rapport.pdf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="statistiques-')
    pdf = read_pdf(response)
    assert (pdf.lang, pdf.title) == ("fr", "Statistiques d'activité — Votre activité")
    # The dashboard's figures: three individual records of an hour, a workshop of 5 people.
    assert "Personnes accompagnées 8 " in pdf.text
    assert "Heures d'accompagnement 5,0 h" in pdf.text
    assert "Individuel 3 75,0 % Collectif 1 25,0 %" in pdf.text
    assert "Féminin 5 62,5 % Non communiqué 3 37,5 %" in pdf.text
    document = IssuedDocument.objects.get()
    assert pdf.code == document.display_code
    assert document.subject.startswith("Période : ")
    page = client.get(f"/documents/verifier/{pdf.code}/").content.decode()
    assert "Document authentique" in page and "Rapport statistique d&#x27;activité" in page


def test_a_prefet_reports_on_their_departement_and_nothing_beyond(client, world):
    login(client, world.prefet_rhone)
    pdf = read_pdf(client.get("/statistiques/rapport.pdf"))
    # Rhône: c1 (8 people) and c2 (1); Paris and Bouches-du-Rhône are not counted.
    assert "Personnes accompagnées 9 " in pdf.text
    assert "Par structure" in pdf.text
    refused = client.get("/statistiques/rapport.pdf", {"departement": "75"})
    assert refused.status_code == 403
    assert IssuedDocument.objects.count() == 1
