"""Dossier documents are encrypted on disk, downloaded in clear, and old files get encrypted."""

import hashlib
import importlib
import os

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.funding import services
from cnum.funding.models import Document
from cnum.funding.testing import PDF, funded_structure, pdf_upload

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cnum.funding.migrations.0004_encrypt_documents")


def on_disk(settings, document):
    return (settings.MEDIA_ROOT / document.file.name).read_bytes()


def downloaded(client, document):
    login(client, make_user(Role.OPERATEUR_FINANCIER))
    return client.get(reverse("funding:document_download", args=[document.pk]))


def test_an_uploaded_document_is_stored_encrypted_and_downloaded_in_clear(client, settings):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    client.post(reverse("funding:document_upload", args=[structure.pk]), {"file": pdf_upload()})
    document = Document.objects.get()
    stored = on_disk(settings, document)
    assert PDF not in stored and b"%PDF" not in stored and b"Catalog" not in stored
    key = os.environ["CV_ENCRYPTION_KEY"].split(",")[0]
    assert Fernet(key.encode()).decrypt(stored) == PDF
    assert document.size == len(PDF) and document.sha256 == hashlib.sha256(PDF).hexdigest()
    response = downloaded(client, document)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"


def legacy_document():
    """A document as stored before encryption at rest: the PDF in clear."""
    structure, manager = funded_structure()
    dossier = services.start_convention(structure, manager)
    return Document.objects.create(
        dossier=dossier,
        file=ContentFile(PDF, name="old.pdf"),
        original_name="convention.pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=manager,
    )


def test_the_migration_encrypts_documents_stored_in_clear(
    client, settings, django_capture_on_commit_callbacks
):
    document = legacy_document()
    old_path = settings.MEDIA_ROOT / document.file.name
    assert old_path.read_bytes() == PDF
    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_documents(apps, None)
    document.refresh_from_db()
    assert not old_path.exists()  # no plaintext copy left behind
    assert not on_disk(settings, document).startswith(b"%PDF")
    response = downloaded(client, document)
    assert response.status_code == 200 and response.content == PDF
    # Running it again leaves encrypted documents as they are.
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_documents(apps, None)
    document.refresh_from_db()
    assert document.file.name == name


def test_the_migration_reverses_to_documents_in_clear(settings, django_capture_on_commit_callbacks):
    document = legacy_document()
    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_documents(apps, None)
        migration.decrypt_documents(apps, None)
    document.refresh_from_db()
    assert on_disk(settings, document) == PDF


def test_the_migration_skips_a_document_whose_file_is_missing(
    settings, django_capture_on_commit_callbacks
):
    document = legacy_document()
    (settings.MEDIA_ROOT / document.file.name).unlink()
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        migration.encrypt_documents(apps, None)
    document.refresh_from_db()
    assert document.file.name == name


def test_a_40_mb_upload_is_refused_before_anything_is_written(client, settings):
    structure, manager = funded_structure()
    services.start_convention(structure, manager)
    login(client, manager)
    huge = PDF[:-6] + b" " * (40 * 1024 * 1024) + b"%%EOF\n"
    response = client.post(
        reverse("funding:document_upload", args=[structure.pk]),
        {"file": pdf_upload("enorme.pdf", huge)},
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not Document.objects.exists()
    assert not list(settings.MEDIA_ROOT.rglob("*.*"))
