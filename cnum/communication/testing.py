"""Factories for the tests: mailings, documents, files of each accepted format."""

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.communication.models import Mailing, Resource
from cnum.communication.resources import add_version

_sequence = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(data=PDF, name="document.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_admin():
    return make_user(Role.ADMINISTRATEUR)


def make_mailing(*, roles=(Role.PREFET,), departements=(), regions=(), **fields):
    fields.setdefault("subject", "Point d'étape du dispositif")
    fields.setdefault("body", "Bonjour,\n\nVoici les nouvelles du mois.")
    mailing = Mailing.objects.create(
        roles=list(roles), created_by=fields.pop("created_by", None) or make_admin(), **fields
    )
    mailing.departements.set(departements)
    mailing.regions.set(regions)
    return mailing


def make_resource(*, roles=(Role.CONSEILLER,), slug=None, data=PDF, **fields):
    fields.setdefault("title", "Modèle de convention")
    fields.setdefault("category", "convention")
    resource = Resource.objects.create(
        slug=slug or f"document-{next(_sequence)}", roles=list(roles), **fields
    )
    add_version(resource, upload(data), make_admin())
    return resource
