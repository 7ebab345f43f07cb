"""Files at rest (candidates' CVs, funding dossier pieces): Fernet with keys from the environment.

CV_ENCRYPTION_KEY holds one Fernet key, or several separated by commas for a rotation (the
first encrypts, all decrypt). Without it a key is derived from SECRET_KEY, in DEBUG only.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_VARIABLE = "CV_ENCRYPTION_KEY"


def _keys():
    raw = os.environ.get(KEY_VARIABLE, "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if keys:
        return keys
    if settings.DEBUG:
        # Same derivation as before the helper was shared: development files stay readable.
        digest = hashlib.sha256(f"cnum-cv-dev:{settings.SECRET_KEY}".encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    raise ImproperlyConfigured(
        f"La variable d'environnement {KEY_VARIABLE} (clé Fernet) est obligatoire pour "
        "chiffrer les CV et les pièces des dossiers de financement."
    )


def fernet():
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{KEY_VARIABLE} n'est pas une clé Fernet valide (32 octets en base64 URL)."
        ) from error


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Le fichier ne peut pas être déchiffré avec les clés fournies."
        ) from error
