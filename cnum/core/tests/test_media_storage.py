"""Media files in an S3-compatible bucket (django-storages) stay encrypted, and local files remain
the default. The bucket is a real S3 server running here (moto's server mode), never the
internet."""

import socket
import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from cnum.accounts.testing import login
from cnum.candidates.testing import SMALL_PDF, make_profile
from cnum.core.storage import media_storage
from cnum.funding import documents
from cnum.funding import services as funding
from cnum.funding.testing import PDF, funded_structure, pdf_upload

REGION = "eu-west-3"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_environment(monkeypatch):
    """The variables an operator sets for a bucket, pointing to a local S3 server."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    environ = {
        # moto keeps its buckets for the whole test process: a new one for each test.
        "AWS_STORAGE_BUCKET_NAME": f"cnum-media-{uuid.uuid4().hex[:12]}",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_S3_REGION_NAME": REGION,
    }
    # Read by boto3 itself, as in production (they are not settings).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "cle-essai")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-essai")
    bucket_client(environ).create_bucket(
        Bucket=environ["AWS_STORAGE_BUCKET_NAME"],
        CreateBucketConfiguration={"LocationConstraint": REGION},
    )
    yield environ
    server.stop()


def bucket_client(environ):
    return boto3.client(
        "s3", endpoint_url=environ["AWS_S3_ENDPOINT_URL"], region_name=environ["AWS_S3_REGION_NAME"]
    )


def test_without_a_bucket_media_stay_local_files():
    assert media_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.django_db
def test_cv_in_the_bucket_is_ciphertext_and_downloads_in_clear(client, settings, s3_environment):
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(s3_environment)}
    profile = make_profile()
    login(client, profile.user)

    response = client.post(
        reverse("candidates:cv_upload"),
        {"cv": SimpleUploadedFile("Mon CV.pdf", SMALL_PDF, "application/pdf")},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    stored = bucket_client(s3_environment).get_object(
        Bucket=s3_environment["AWS_STORAGE_BUCKET_NAME"], Key=profile.cv_file.name
    )
    raw = stored["Body"].read()
    assert raw and b"%PDF" not in raw and b"Catalog" not in raw
    assert not (settings.MEDIA_ROOT / profile.cv_file.name).exists()
    download = client.get(reverse("candidates:cv_download", kwargs={"pk": profile.pk}))
    assert download.status_code == 200
    assert download.content == SMALL_PDF


@pytest.mark.django_db
def test_funding_piece_in_the_bucket_is_ciphertext(settings, s3_environment):
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(s3_environment)}
    structure, manager = funded_structure()
    dossier = funding.start_convention(structure, manager)

    document = funding.add_document(dossier, manager, pdf_upload())

    stored = bucket_client(s3_environment).get_object(
        Bucket=s3_environment["AWS_STORAGE_BUCKET_NAME"], Key=document.file.name
    )
    raw = stored["Body"].read()
    assert raw and b"%PDF" not in raw
    assert documents.read(document) == PDF
