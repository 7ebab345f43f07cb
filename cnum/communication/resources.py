"""The resource centre: documents checked by their content, each upload a new version
(docs/communication.md#ressources).

Only PDF, ODT and DOCX are accepted, recognised by their bytes, never by the name or the
declared type: a PDF starts with `%PDF-` and ends with `%%EOF`; ODT and DOCX are ZIP archives,
an ODT's first entry being `mimetype` naming the OpenDocument text type, a DOCX holding
`[Content_Types].xml` and `word/document.xml`. Like every file at rest (CVs, dossier pieces),
they are stored encrypted (cnum.core.encryption): a copy of the media directory or a backup
reveals nothing, whatever a document holds.
"""

import hashlib
import io
import re
import unicodedata
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse

from cnum.communication.models import Resource, ResourceVersion
from cnum.core import encryption

MAX_BYTES = 20 * 1024 * 1024
PDF, ODT, DOCX = "pdf", "odt", "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    ODT: "application/vnd.oasis.opendocument.text",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class InvalidResource(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_upload(uploaded):
    """(bytes, kind) of an uploaded document; InvalidResource if too large or not accepted."""
    if uploaded is None:
        raise InvalidResource("Choisissez un fichier à déposer (PDF, ODT ou DOCX).")
    too_large = InvalidResource("Le fichier dépasse 20 Mo : déposez une version plus légère.")
    if uploaded.size > MAX_BYTES:
        raise too_large
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large
    return data, kind_of(data)


def kind_of(data):
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise InvalidResource("Le fichier PDF est incomplet ou endommagé.")
        return PDF
    if data.startswith(b"PK\x03\x04"):
        kind = _office_kind(data)
        if kind:
            return kind
    raise InvalidResource(
        "Ce fichier n'est ni un PDF, ni un document ODT, ni un document DOCX : "
        "seuls ces trois formats sont acceptés."
    )


def _office_kind(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            odt_type = CONTENT_TYPES[ODT].encode()
            if names and names[0] == "mimetype" and archive.read("mimetype").strip() == odt_type:
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise InvalidResource("Le document est illisible ou endommagé.") from None
    return None


def display_name(filename, kind):
    """A harmless file name (letters, digits, - _ .) with the extension of its real kind."""
    base = unicodedata.normalize("NFKD", filename or "").encode("ascii", "ignore").decode()
    base = base.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:100] or "document"
    return f"{base}.{kind}"


def add_version(resource, uploaded, actor, note=""):
    """Store a checked upload as the resource's next version (older ones are kept)."""
    data, kind = read_upload(uploaded)
    with transaction.atomic():
        # The resource row carries the numbering: two uploads at once get two numbers.
        Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
        last = resource.versions.aggregate(last=Max("number"))["last"] or 0
        version = ResourceVersion(
            resource=resource,
            number=last + 1,
            original_name=display_name(getattr(uploaded, "name", ""), kind),
            content_type=CONTENT_TYPES[kind],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            note=note,
            uploaded_by=actor,
        )
        stored = ContentFile(encryption.encrypt(data))
        version.file.save(f"{resource.slug}-v{last + 1}.{kind}.bin", stored, save=False)
        version.save()
    return version


def create(form, uploaded, actor, note=""):
    """A new resource and its first version; nothing is created if the file is refused."""
    read_upload(uploaded)  # refuse before writing anything
    uploaded.seek(0)
    with transaction.atomic():
        resource = form.save()
        add_version(resource, uploaded, actor, note)
    return resource


def download_response(version):
    with version.file.open("rb") as file:
        data = encryption.decrypt(file.read())
    response = HttpResponse(data, content_type=version.content_type)
    response["Content-Disposition"] = f'attachment; filename="{version.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def for_roles(roles):
    """Resources of the given roles (all of them for the administration), with their latest
    version, in one query each."""
    from cnum.accounts.roles import Role

    resources = Resource.objects.prefetch_related("versions")
    if Role.ADMINISTRATEUR in roles:
        return list(resources)
    return [r for r in resources if set(r.roles) & set(roles)]
