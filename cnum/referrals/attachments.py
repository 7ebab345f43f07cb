"""Attachments of a referral: PDF only, checked by their content (not their name), capped in
size, stored encrypted like the CVs (cnum.core.encryption)."""

from django.core.files.base import ContentFile
from django.db import transaction

from cnum.core import encryption

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
# Below MAX_REQUEST_BODY_MB (12 Mo by default), so the form can answer in French.
MAX_TOTAL_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class InvalidAttachment(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_pdf(name, data: bytes):
    """Refuse anything that is not plausibly a PDF, whatever its name or declared type."""
    if len(data) > MAX_BYTES:
        raise InvalidAttachment(f"« {name} » dépasse 5 Mo : réduisez sa taille.")
    if not data.startswith(PDF_MAGIC):
        raise InvalidAttachment(f"« {name} » n'est pas un PDF : seuls les PDF sont acceptés.")
    version = data[len(PDF_MAGIC) : len(PDF_MAGIC) + 3]
    well_formed = len(version) == 3 and version[:1].isdigit() and version[1:2] == b"."
    if not well_formed or b" obj" not in data or b"%%EOF" not in data[-2048:]:
        raise InvalidAttachment(f"« {name} » est un PDF illisible ou endommagé.")


def store(referral, name, data):
    check_pdf(name, data)
    attachment = referral.attachments.model(referral=referral, name=name[:200], size=len(data))
    attachment.file.save("piece.bin", ContentFile(encryption.encrypt(data)), save=False)
    attachment.save()
    return attachment


def read(attachment):
    with attachment.file.open("rb") as file:
        return encryption.decrypt(file.read())


def delete(attachment):
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    if name:
        # Only once the row is gone for good: a rollback keeps a readable file.
        transaction.on_commit(lambda: storage.delete(name))
