"""The RSA key that signs ID tokens.

Production reads it from the environment (OIDC_RSA_PRIVATE_KEY, PEM). Elsewhere a key is
generated once and kept under var/ so that tokens survive a restart; a deploy check refuses
that fallback outside DEBUG. Imported by the settings: no Django import here.
"""

import os
from pathlib import Path

DEV_KEY_NAME = "oidc_rsa_private_key.pem"


def generate_pem():
    """A new 2048-bit RSA private key, PEM (PKCS#8)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def development_key(var_dir):
    """The key persisted in `var_dir`, created on first use (safe when processes race)."""
    path = Path(var_dir) / DEV_KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_pem())
        try:
            os.link(temporary, path)  # atomic: the first writer wins, the others read its key
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text()


def signing_key(var_dir):
    """(PEM, from_environment)."""
    pem = os.environ.get("OIDC_RSA_PRIVATE_KEY", "").strip()
    if pem:
        return pem.replace("\\n", "\n"), True
    try:
        return development_key(var_dir), False
    except OSError:  # read-only var/: the site still starts, the deploy check reports it
        return "", False
