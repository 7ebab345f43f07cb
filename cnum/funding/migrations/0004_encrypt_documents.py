"""Dossier documents stored before encryption at rest: rewritten as Fernet ciphertext.

Each plaintext PDF gets a new random name holding its ciphertext; the old file is deleted once
the migration's transaction commits (a failed migration leaves every row pointing to a file).
Running it again changes nothing; the reverse writes the PDFs back in clear.
"""

from django.core.files.base import ContentFile
from django.db import migrations, transaction

from cnum.core import encryption

PDF_MAGIC = b"%PDF-"


def _rewrite(apps, convert):
    Document = apps.get_model("funding", "Document")
    replaced = []
    for document in Document.objects.exclude(file="").order_by("pk").iterator():
        try:
            with document.file.open("rb") as file:
                data = file.read()
        except FileNotFoundError:
            continue  # nothing on disk to protect
        converted = convert(data)
        if converted is None:
            continue
        old_name = document.file.name
        document.file.save("document.bin", ContentFile(converted), save=False)
        document.save(update_fields=["file"])
        replaced.append((document.file.storage, old_name))
    transaction.on_commit(lambda: _delete(replaced))


def _delete(files):
    for storage, name in files:
        storage.delete(name)


def _encrypted(data):
    return encryption.encrypt(data) if data.startswith(PDF_MAGIC) else None


def _decrypted(data):
    return None if data.startswith(PDF_MAGIC) else encryption.decrypt(data)


def encrypt_documents(apps, schema_editor):
    _rewrite(apps, _encrypted)


def decrypt_documents(apps, schema_editor):
    _rewrite(apps, _decrypted)


class Migration(migrations.Migration):
    dependencies = [("funding", "0003_structure_balance")]

    operations = [migrations.RunPython(encrypt_documents, decrypt_documents)]
