"""The key of files at rest: required in production, derived in DEBUG, rotatable."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from cnum.core import encryption


def test_production_requires_the_key(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.delenv("CV_ENCRYPTION_KEY")
    with pytest.raises(ImproperlyConfigured, match="CV_ENCRYPTION_KEY"):
        encryption.encrypt(b"x")


def test_debug_derives_a_stable_key_from_secret_key(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.delenv("CV_ENCRYPTION_KEY")
    token = encryption.encrypt(b"secret")
    assert encryption.decrypt(token) == b"secret"
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    with pytest.raises(ImproperlyConfigured):
        encryption.decrypt(token)


def test_invalid_key_is_reported(monkeypatch):
    monkeypatch.setenv("CV_ENCRYPTION_KEY", "trop-courte")
    with pytest.raises(ImproperlyConfigured, match="clé Fernet valide"):
        encryption.encrypt(b"x")


def test_key_rotation_new_key_first_old_still_decrypts(monkeypatch):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv("CV_ENCRYPTION_KEY", old)
    token = encryption.encrypt(b"ancien")
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("CV_ENCRYPTION_KEY", f"{new},{old}")
    assert encryption.decrypt(token) == b"ancien"
    assert Fernet(new.encode()).decrypt(encryption.encrypt(b"neuf")) == b"neuf"
