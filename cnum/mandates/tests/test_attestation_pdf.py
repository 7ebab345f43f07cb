"""Mandate attestations as PDF, beside the HTML version: same content hash, verifiable code."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.documents.models import IssuedDocument
from cnum.documents.testing import read_pdf
from cnum.mandates import services
from cnum.mandates.models import JournalEntry, Kind
from cnum.mandates.tests.factories import (
    fresh_login,
    habilitated_structure,
    make_usager,
    validated_aidant,
)

pytestmark = pytest.mark.django_db


def test_an_aidant_downloads_the_mandate_and_revocation_attestations(client):
    structure = habilitated_structure()
    aidant = validated_aidant(structure)
    usager = make_usager(structure, aidant)
    TOTPDevice.objects.create(user=aidant, name="Application", confirmed=True)
    mandate = services.create_mandate(
        aidant=aidant, usager=usager, domains=["papiers"], duration_days=182, consent=True
    )
    fresh_login(client, aidant)
    url = f"/aidants-connect/mandats/{mandate.pk}/attestation.pdf"
    assert client.get(url, {"type": "revocation"}).status_code == 404  # not revoked yet
    pdf = read_pdf(client.get(url))
    assert (pdf.lang, pdf.title) == ("fr", f"Attestation de mandat n° {mandate.pk}")
    content_hash = JournalEntry.objects.get(kind=Kind.ATTESTATION).data["empreinte"]
    assert content_hash in pdf.text.replace(" ", "")
    assert usager.family_name in pdf.text and structure.name in pdf.text
    # The public check page names the mandate and its structure, never the usager.
    document = IssuedDocument.objects.get()
    assert document.subject == f"Mandat n° {mandate.pk} — {structure.name}"
    page = client.get(f"/documents/verifier/{pdf.code}/").content.decode()
    assert "Attestation de mandat" in page and usager.family_name not in page
    services.revoke_mandate(mandate, aidant=aidant)
    revocation = read_pdf(client.get(url, {"type": "revocation"}))
    assert revocation.title == f"Attestation de révocation de mandat n° {mandate.pk}"
