"""Media files (CVs, funding dossier pieces) in a tar archive, read and written through the
configured storage (local folder or S3-compatible bucket).

The files are ciphertext at rest and are archived as they are: the archive holds no document in
clear, and the keys (CV_ENCRYPTION_KEY) are not in it.
"""

import io
import tarfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cnum.backups.manifest import BackupError


def _walk(storage, directory=""):
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:  # local storage whose folder was never created: no media yet
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _walk(storage, f"{directory}/{folder}" if directory else folder)


def archive(path):
    """Write every stored file into a tar.gz at path; returns the number of files."""
    count = 0
    with tarfile.open(path, "w:gz") as tar:
        for name in _walk(default_storage):
            with default_storage.open(name, "rb") as stream:
                data = stream.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            count += 1
    return count


def existing_files():
    return next(iter(_walk(default_storage)), None) is not None


def extract(path):
    """Put every archived file back under its own name; returns the number of files."""
    count = 0
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if not member.isfile() or _unsafe(member.name):
                continue
            if default_storage.exists(member.name):  # restore --force: the archived copy wins
                default_storage.delete(member.name)
            data = tar.extractfile(member).read()
            saved = default_storage.save(member.name, ContentFile(data))
            if saved != member.name:
                raise BackupError(f"{member.name} a été enregistré sous un autre nom ({saved}).")
            count += 1
    return count


def _unsafe(name):
    return name.startswith("/") or ".." in name.split("/")
