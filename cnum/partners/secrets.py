"""Client secrets, stored hashed.

The library's default (the password hasher, 1,000,000 PBKDF2 rounds) costs about a second of
CPU per token request: anyone posting to the token endpoint could spend it. Secrets here are
128 random characters, so key stretching adds nothing; 1,000 rounds keep a salted, constant-
time check at about a millisecond.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from oauth2_provider.generators import generate_client_secret


class ClientSecretHasher(PBKDF2PasswordHasher):
    iterations = 1000


_hasher = ClientSecretHasher()


def new_secret():
    """(secret to show once, value to store)."""
    secret = generate_client_secret()
    return secret, hash_secret(secret)


def hash_secret(secret):
    return _hasher.encode(secret, _hasher.salt())


def secret_matches(secret, stored):
    """Never compares in clear: a stored value we did not hash matches nothing."""
    if not secret or not stored.startswith(f"{_hasher.algorithm}$"):
        return False
    return _hasher.verify(secret, stored)
