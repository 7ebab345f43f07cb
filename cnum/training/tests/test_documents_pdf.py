"""Training documents as PDF: attestation of training and certification record."""

import datetime

import pytest

from cnum.accounts.testing import login
from cnum.documents.testing import read_pdf
from cnum.training.enums import CertificationResult, CertificationType, EnrolmentStatus
from cnum.training.testing import make_conseiller, make_enrolment

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def certified():
    conseiller = make_conseiller(first_name="Inès", last_name="Martin")
    return make_enrolment(
        conseiller=conseiller,
        status=EnrolmentStatus.TERMINEE,
        started_on=DAY,
        ended_on=DAY + datetime.timedelta(days=120),
        attendance_percent=96,
        pix_level=2,
        pix_score=412,
        certification_type=CertificationType.CCP1,
        certification_result=CertificationResult.ADMIS,
        certified_on=DAY + datetime.timedelta(days=130),
    )


def test_a_conseiller_downloads_their_attestation_and_certification_record(client, certified):
    login(client, certified.conseiller)
    page = client.get("/formation/ma-formation/").content.decode()
    assert "Attestation de formation (PDF)" in page and "Relevé de certification (PDF)" in page
    attestation = read_pdf(client.get(f"/formation/stagiaires/{certified.pk}/attestation.pdf"))
    assert attestation.lang == "fr"
    assert attestation.title == "Attestation de formation — Inès Martin"
    assert "a suivi la formation initiale" in attestation.text
    assert certified.organisation.name in attestation.text
    assert "2 mars 2026" in attestation.text and "Assiduité 96 %" in attestation.text
    record = read_pdf(client.get(f"/formation/stagiaires/{certified.pk}/certification.pdf"))
    assert record.title == "Relevé de certification — Inès Martin"
    assert "Admis" in record.text and "Niveau 2, score 412" in record.text
    assert record.code != attestation.code
    page = client.get("/documents/verifier/", {"code": record.code}).content.decode()
    assert "Relevé de certification" in page and "Conseiller numérique — " in page


def test_no_attestation_for_someone_else_or_before_the_training_starts(client, certified):
    other = make_conseiller()
    login(client, other)
    assert client.get(f"/formation/stagiaires/{certified.pk}/attestation.pdf").status_code == 404
    planned = make_enrolment(conseiller=other)
    assert client.get(f"/formation/stagiaires/{planned.pk}/attestation.pdf").status_code == 404
    assert client.get(f"/formation/stagiaires/{planned.pk}/certification.pdf").status_code == 404
