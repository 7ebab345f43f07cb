"""Dossier documents: PDF checked by its content, stored encrypted under a random name (see
cnum.core.encryption), served decrypted as a download."""

import hashlib
import re
import unicodedata

from django.core.files.base import ContentFile
from django.http import HttpResponse

from cnum.core import encryption
from cnum.funding.ledger import FundingError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class InvalidDocument(FundingError):
    pass


def read_upload(uploaded):
    """The bytes of an uploaded PDF; refused (before reading it all) if too large or not a PDF."""
    if uploaded is None:
        raise InvalidDocument("Choisissez un fichier PDF à déposer.")
    if uploaded.size > MAX_DOCUMENT_BYTES:
        raise InvalidDocument("Le fichier dépasse 10 Mo : déposez une version PDF plus légère.")
    data = uploaded.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument("Le fichier dépasse 10 Mo : déposez une version PDF plus légère.")
    check_pdf(data)
    return data


def check_pdf(data):
    # The content decides, never the name or the declared type.
    if not data.startswith(PDF_MAGIC):
        raise InvalidDocument("Le fichier n'est pas un PDF : seuls les PDF sont acceptés.")
    version = data[len(PDF_MAGIC) : len(PDF_MAGIC) + 3]
    if not (version[:1].isdigit() and version[1:2] == b"." and version[2:3].isdigit()):
        raise InvalidDocument("Le fichier PDF est illisible ou endommagé.")
    if b"%%EOF" not in data[-2048:]:
        raise InvalidDocument("Le fichier PDF est incomplet ou endommagé.")


def display_name(filename):
    """A harmless name to show and to offer on download (letters, digits, - _ . only)."""
    base = unicodedata.normalize("NFKD", filename or "").encode("ascii", "ignore").decode()
    base = base.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-")[:100]
    if not base.lower().endswith(".pdf"):
        base = f"{base or 'document'}.pdf"
    return base


def content(data):
    """The file to store (ciphertext only) and the digest of the PDF itself."""
    stored = ContentFile(encryption.encrypt(data), name="document.bin")
    return stored, hashlib.sha256(data).hexdigest()


def read(document):
    """The PDF bytes of a stored document."""
    with document.file.open("rb") as file:
        return encryption.decrypt(file.read())


def download_response(document):
    """Always an attachment, never rendered inline; the browser may not guess another type."""
    response = HttpResponse(read(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
