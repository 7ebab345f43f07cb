"""Verification codes: 12 random characters of Crockford's base32, shown as XXXX-XXXX-XXXX.

The alphabet has no I, L, O or U, so a code read aloud or typed from paper is unambiguous;
what a person may type instead (o for 0, i or l for 1, lower case, spaces, dashes) is folded
back by `normalize` (docs/documents.md#code).
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12  # 60 random bits: guessing one among millions of documents stays hopeless
GROUP = 4
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text):
    """The stored form of a typed code, or None when it cannot be one."""
    value = _SEPARATORS.sub("", str(text or "")).upper().translate(_FOLD)
    if len(value) != LENGTH or any(char not in ALPHABET for char in value):
        return None
    return value


def grouped(code):
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
