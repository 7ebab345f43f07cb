"""CVs: PDF checked by content, stored encrypted (Fernet) with a key from the environment.

CV_ENCRYPTION_KEY holds one Fernet key, or several separated by commas for a rotation (the
first encrypts, all decrypt). Without it a key is derived from SECRET_KEY, in DEBUG only.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CV_MAX_BYTES = 5 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class InvalidCv(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _keys():
    raw = os.environ.get("CV_ENCRYPTION_KEY", "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if keys:
        return keys
    if settings.DEBUG:
        digest = hashlib.sha256(f"cnum-cv-dev:{settings.SECRET_KEY}".encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    raise ImproperlyConfigured(
        "La variable d'environnement CV_ENCRYPTION_KEY (clé Fernet) est obligatoire pour "
        "chiffrer les CV."
    )


def fernet():
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "CV_ENCRYPTION_KEY n'est pas une clé Fernet valide (32 octets en base64 URL)."
        ) from error


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Le CV ne peut pas être déchiffré avec les clés fournies."
        ) from error


def check_pdf(data: bytes):
    """Refuse anything that is not plausibly a PDF, whatever its name or declared type."""
    if len(data) > CV_MAX_BYTES:
        raise InvalidCv("Le fichier dépasse 5 Mo : réduisez sa taille (export PDF compressé).")
    if not data.startswith(PDF_MAGIC):
        raise InvalidCv("Le fichier n'est pas un PDF. Déposez votre CV au format PDF.")
    # Sanity parse: a version number, at least one object, and the end-of-file marker that
    # every PDF writer emits (tolerating trailing bytes some tools append).
    version = data[len(PDF_MAGIC) : len(PDF_MAGIC) + 3]
    if not (len(version) == 3 and version[:1].isdigit() and version[1:2] == b"."):
        raise InvalidCv("Le fichier PDF est illisible ou endommagé.")
    if b" obj" not in data or b"%%EOF" not in data[-2048:]:
        raise InvalidCv("Le fichier PDF est illisible ou endommagé.")
