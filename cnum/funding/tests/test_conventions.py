"""Conventions and their dossiers: statuses, documents (PDF only), examination by the operator."""

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding import services
from cnum.funding.documents import MAX_DOCUMENT_BYTES
from cnum.funding.enums import ConventionStatus as C
from cnum.funding.enums import DossierStatus as D
from cnum.funding.models import Convention, Document, Dossier
from cnum.funding.testing import PDF, funded_structure, pdf_upload
from cnum.structures.testing import make_structure
from cnum.workflow.engine import apply_transition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (C.NON_INTERESSE, C.CONVENTIONNEMENT_EN_COURS, {"manager"}),
        (C.CONVENTIONNEMENT_EN_COURS, C.NON_INTERESSE, {"manager"}),
        (C.CONVENTIONNEMENT_EN_COURS, C.CONVENTIONNEMENT_VALIDE, {Role.OPERATEUR_FINANCIER}),
        (C.CONVENTIONNEMENT_VALIDE, C.RECONVENTIONNEMENT_INITIE, {"manager"}),
        (C.RECONVENTIONNEMENT_INITIE, C.RECONVENTIONNEMENT_VALIDE, {Role.OPERATEUR_FINANCIER}),
        (C.RECONVENTIONNEMENT_VALIDE, C.RECONVENTIONNEMENT_INITIE, {"manager"}),
    ],
)
@pytest.mark.parametrize(
    "actor_kind",
    [Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR, "manager", "other_manager", Role.PREFET],
)
def test_each_convention_transition_per_role(start, to, allowed, actor_kind):
    manager = make_user()
    structure = make_structure(manager=manager)
    validated_on = None if start == C.NON_INTERESSE or "EN_COURS" in start else "2026-01-05"
    convention = Convention.objects.create(
        structure=structure, status=start, validated_on=validated_on
    )
    if actor_kind == "manager":
        actor = manager
    elif actor_kind == "other_manager":
        actor = make_user()
        make_structure(manager=actor)
    else:
        actor = make_user(actor_kind)
    if actor_kind in allowed:
        apply_transition(convention, to, actor)
        assert Convention.objects.get(pk=convention.pk).status == to
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(convention, to, actor)
        assert Convention.objects.get(pk=convention.pk).status == start


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (D.BROUILLON, D.DEPOSE, {"manager"}),
        (D.A_COMPLETER, D.DEPOSE, {"manager"}),
        (D.DEPOSE, D.A_COMPLETER, {Role.OPERATEUR_FINANCIER}),
        (D.DEPOSE, D.REFUSE, {Role.OPERATEUR_FINANCIER}),
        (D.DEPOSE, D.VALIDE, {Role.OPERATEUR_FINANCIER}),
    ],
)
@pytest.mark.parametrize("actor_kind", [Role.OPERATEUR_FINANCIER, Role.ADMINISTRATEUR, "manager"])
def test_each_dossier_transition_per_role(start, to, allowed, actor_kind):
    manager = make_user()
    structure = make_structure(manager=manager)
    convention = Convention.objects.create(structure=structure, status=C.CONVENTIONNEMENT_EN_COURS)
    dossier = Dossier.objects.create(convention=convention, phase="INITIAL", status=start)
    actor = manager if actor_kind == "manager" else make_user(actor_kind)
    if actor_kind in allowed:
        apply_transition(dossier, to, actor, "Motif")
        assert Dossier.objects.get(pk=dossier.pk).status == to
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(dossier, to, actor)
        assert Dossier.objects.get(pk=dossier.pk).status == start


def test_the_full_convention_then_renewal(send_emails, mailoutbox):
    structure, manager = funded_structure()
    operator = make_user(Role.OPERATEUR_FINANCIER)
    dossier = services.start_convention(structure, manager)
    with pytest.raises(services.FundingError, match="au moins une pièce"):
        services.submit_dossier(dossier, manager)
    services.add_document(dossier, manager, pdf_upload())
    services.submit_dossier(dossier, manager)
    with pytest.raises(services.FundingError, match="en cours d'examen"):
        services.add_document(dossier, manager, pdf_upload())
    with send_emails():
        services.examine_dossier(dossier, operator, "completer", "Il manque la délibération.")
    assert "Il manque la délibération." in mailoutbox[-1].body
    assert manager.email in mailoutbox[-1].to
    services.add_document(dossier, manager, pdf_upload("deliberation.pdf"))
    services.submit_dossier(dossier, manager)
    with send_emails():
        services.examine_dossier(dossier, operator, "valider")
    convention = Convention.objects.get(structure=structure)
    assert convention.status == C.CONVENTIONNEMENT_VALIDE
    assert convention.validated_on is not None
    assert "validé" in mailoutbox[-1].subject
    renewal = services.start_renewal(structure, manager)
    services.add_document(renewal, manager, pdf_upload())
    services.submit_dossier(renewal, manager)
    services.examine_dossier(renewal, operator, "valider")
    assert Convention.objects.get(pk=convention.pk).status == C.RECONVENTIONNEMENT_VALIDE


def test_a_refused_dossier_can_be_replaced_by_a_new_one():
    structure, manager = funded_structure()
    operator = make_user(Role.OPERATEUR_FINANCIER)
    dossier = services.start_convention(structure, manager)
    with pytest.raises(services.FundingError, match="déjà ouvert"):
        services.new_dossier(structure, manager)
    services.add_document(dossier, manager, pdf_upload())
    services.submit_dossier(dossier, manager)
    with pytest.raises(services.FundingError, match="Expliquez"):
        services.examine_dossier(dossier, operator, "refuser", "  ")
    services.examine_dossier(dossier, operator, "refuser", "Convention non signée.")
    fresh = services.new_dossier(structure, manager)
    assert fresh.status == D.BROUILLON and fresh.pk != dossier.pk


def test_only_a_validated_structure_may_start_a_convention():
    manager = make_user()
    structure = make_structure(manager=manager)
    with pytest.raises(services.FundingError, match="validée par le comité"):
        services.start_convention(structure, manager)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "est pas un PDF"),
        (b"%PDF-x.y\n%%EOF", "illisible"),
        (b"%PDF-1.7\n1 0 obj\n", "incomplet"),
        (b"MZ\x90\x00" + PDF, "est pas un PDF"),
    ],
)
def test_anything_but_a_pdf_is_refused_and_nothing_is_stored(client, data, message):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    url = reverse("funding:document_upload", args=[structure.pk])
    response = client.post(url, {"file": pdf_upload("convention.pdf", data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_too_large_is_refused(client):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    big = PDF[:-6] + b" " * MAX_DOCUMENT_BYTES + b"%%EOF\n"
    response = client.post(
        reverse("funding:document_upload", args=[structure.pk]),
        {"file": pdf_upload("big.pdf", big)},
    )
    assert response.status_code == 400 and "10 Mo" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_are_stored_under_a_random_name_and_only_downloaded(client):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    client.post(
        reverse("funding:document_upload", args=[structure.pk]),
        {"file": pdf_upload("../../Convention signée <x>.pdf")},
    )
    document = Document.objects.get()
    assert document.original_name == "Convention-signee-x-.pdf"
    assert "Convention" not in document.file.name and document.file.name.endswith(".bin")
    response = client.get(reverse("funding:document_download", args=[document.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The operator may read it; another structure's manager gets a 404.
    login(client, make_user(Role.OPERATEUR_FINANCIER))
    assert client.get(reverse("funding:document_download", args=[document.pk])).status_code == 200
    other = make_user()
    make_structure(manager=other)
    login(client, other)
    assert client.get(reverse("funding:document_download", args=[document.pk])).status_code == 404


def test_a_manager_removes_a_document_while_the_dossier_is_in_preparation(client):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    client.post(reverse("funding:document_upload", args=[structure.pk]), {"file": pdf_upload()})
    document = Document.objects.get()
    response = client.post(reverse("funding:document_delete", args=[document.pk]))
    assert response.status_code == 302 and not Document.objects.exists()


def test_the_operator_examines_through_the_page(client):
    structure, manager = funded_structure()
    dossier = services.start_convention(structure, manager)
    services.add_document(dossier, manager, pdf_upload())
    services.submit_dossier(dossier, manager)
    operator = login(client, make_user(Role.OPERATEUR_FINANCIER))
    url = reverse("funding:dossier", args=[dossier.pk])
    page = unescape(client.get(url).content.decode())
    assert "convention.pdf" in page
    # The history names the move in words, never "BROUILLON → DEPOSE".
    assert "BROUILLON" not in page and "DEPOSE" not in page
    assert "Déposé, en attente d'examen" in page
    response = client.post(url, {"decision": "completer", "message": ""})
    assert response.status_code == 400
    assert "Expliquez à la structure" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == D.DEPOSE
    response = client.post(url, {"decision": "valider"})
    assert response.status_code == 302
    assert Convention.objects.get(structure=structure).status == C.CONVENTIONNEMENT_VALIDE
    # A second decision on a stale page changes nothing.
    response = client.post(url, {"decision": "refuser", "message": "Non"}, follow=True)
    assert "déjà été traitée" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == D.VALIDE
    assert operator.has_role(Role.OPERATEUR_FINANCIER)


def test_a_manager_cannot_examine_nor_act_on_another_structure(client):
    structure, manager = funded_structure()
    dossier = services.start_convention(structure, manager)
    login(client, manager)
    assert (
        client.post(
            reverse("funding:dossier", args=[dossier.pk]), {"decision": "valider"}
        ).status_code
        == 403
    )
    other = make_user()
    make_structure(manager=other)
    login(client, other)
    response = client.post(reverse("funding:dossier_submit", args=[structure.pk]))
    assert response.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == D.BROUILLON


def test_the_structure_page_walks_the_manager_through(client):
    structure, manager = funded_structure()
    login(client, manager)
    page = client.get(reverse("funding:structure", args=[structure.pk])).content.decode()
    assert "Engager le conventionnement" in page
    client.post(reverse("funding:convention_start", args=[structure.pk]))
    client.post(reverse("funding:document_upload", args=[structure.pk]), {"file": pdf_upload()})
    response = client.post(reverse("funding:dossier_submit", args=[structure.pk]), follow=True)
    assert "Votre dossier est déposé" in response.content.decode()
