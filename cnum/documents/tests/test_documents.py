"""Issuing a PDF, checking its code on the public page, revoking it."""

import hashlib

import pytest
from django.test import RequestFactory

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.documents import codes, services, views
from cnum.documents.enums import DocumentKind
from cnum.documents.models import IssuedDocument
from cnum.documents.testing import read_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    """A PDF of the bare base template, asked for by a structure manager."""
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, first_name="Camille", last_name="Durand")
    response = services.render_pdf(
        "documents/base.html",
        {},
        kind=DocumentKind.SYNTHESE_CONVENTION,
        title="Synthèse de la convention — Médiathèque de Lyon",
        issued_by=manager,
        subject="Médiathèque de Lyon",
    )
    return response, IssuedDocument.objects.get()


def test_codes_are_unambiguous_and_forgive_typing():
    code = codes.new_code()
    assert len(code) == 12 and not set(code) & set("ILOU")
    assert codes.grouped("ABCD2345WXYZ") == "ABCD-2345-WXYZ"
    assert codes.normalize(" abcd-2345 wxyz ") == "ABCD2345WXYZ"
    assert codes.normalize("O1LI-0000-0000") == "0111" + "0" * 8  # what paper confuses
    assert codes.normalize("ABCD-2345") is None
    assert codes.normalize("ABCD-2345-WXYU") is None  # U is not in the alphabet


def test_a_pdf_is_tagged_titled_and_carries_its_verification_code(issued):
    response, document = issued
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="synthese-de-la-convention-mediatheque-de-lyon-'
    )
    pdf = read_pdf(response)
    assert pdf.lang == "fr"
    assert pdf.title == "Synthèse de la convention — Médiathèque de Lyon"
    assert "RÉPUBLIQUE FRANÇAISE" in pdf.text.upper() and "Liberté Égalité Fraternité" in pdf.text
    assert pdf.code == document.display_code
    assert f"/documents/verifier/{document.display_code}/" in pdf.text.replace(" ", "")
    assert document.sha256 == hashlib.sha256(response.content).hexdigest()
    assert document.kind == DocumentKind.SYNTHESE_CONVENTION


def test_the_public_page_describes_a_document_from_its_code(client, issued):
    _, document = issued
    page = client.get("/documents/verifier/", {"code": document.code.lower()}).content.decode()
    assert "Document authentique" in page
    assert "Synthèse de convention" in page and "Médiathèque de Lyon" in page
    # Who asked for it: role and organisation, never the person.
    assert "Gestionnaire de structure — " in page
    assert "Camille" not in page and "Durand" not in page and "@" not in page
    qr_link = client.get(f"/documents/verifier/{document.display_code}/")
    assert "Document authentique" in qr_link.content.decode()


def test_an_unknown_or_malformed_code_is_answered_in_french(client, issued):
    unknown = client.get("/documents/verifier/", {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert unknown.status_code == 200
    assert "Aucun document ne correspond à ce code" in unknown.content.decode()
    malformed = client.get("/documents/verifier/", {"code": "1234"})
    assert malformed.status_code == 400
    assert "Un code de vérification compte 12 lettres et chiffres" in malformed.content.decode()


def test_the_administration_revokes_a_document_and_the_page_says_so(client, issued):
    _, document = issued
    url = f"/documents/verifier/{document.code}/revoquer/"
    login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    assert client.post(url, {"reason": "Erreur"}).status_code == 403
    document.refresh_from_db()
    assert document.revoked_at is None
    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.post(url, {"reason": "Montants corrigés : nouvelle synthèse délivrée."})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Document révoqué" in page and "Montants corrigés" in page
    assert "Révoquer ce document" not in page


def test_checks_are_limited_per_address(issued):
    _, document = issued
    factory = RequestFactory()
    for _ in range(views.CHECK_LIMIT):
        assert views.check(_anonymous(factory, document.code)).status_code == 200
    assert views.check(_anonymous(factory, document.code)).status_code == 429


def _anonymous(factory, code):
    from django.contrib.auth.models import AnonymousUser

    request = factory.get("/documents/verifier/", {"code": code})
    request.user = AnonymousUser()
    return request
