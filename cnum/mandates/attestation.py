"""Printable attestations: canonical content, its SHA-256 and the QR code carrying it."""

import hashlib
import json

from cnum.accounts.services import qr_code_data_uri

TEMPLATE_VERSION = "2026-12-v2"  # v2: the mentions in the usager's language


def attestation_content(mandate, kind):
    """What the usager signs: everything that matters, in a stable order."""
    usager = mandate.usager
    content = {
        "type": kind,
        "mandat": mandate.pk,
        "structure": mandate.organisation.name,
        "usager": {
            "prenoms": usager.given_names,
            "nom": usager.family_name,
            "naissance": usager.birth_date.isoformat(),
            "lieu_naissance": usager.birth_place,
        },
        "aidant": mandate.created_by.get_full_name(),
        "domaines": sorted(a.domain for a in mandate.authorisations.all()),
        "cree_le": mandate.created_at.isoformat(),
        "expire_le": mandate.expires_at.isoformat(),
        "version_modele": TEMPLATE_VERSION,
        "langue": mandate.language,
    }
    if kind == "revocation":
        content["revoque_le"] = mandate.revoked_at.isoformat() if mandate.revoked_at else None
    return content


def attestation_hash(content):
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def attestation_qr(mandate, content_hash):
    return qr_code_data_uri(f"cnum-mandat:{mandate.pk}:{content_hash}")
