"""seed_demo's refusals; what it seeds is checked in cnum/core/tests/test_demo.py."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (User, Organisation, Membership, TOTPDevice)]


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="développement"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_missing_reference_data_is_explained(settings, monkeypatch):
    from cnum.accounts import demo

    settings.DEBUG = True
    structure = demo.DEMO_ORGANISATIONS["structure"]
    monkeypatch.setitem(demo.DEMO_ORGANISATIONS, "structure", (*structure[:2], "999"))
    with pytest.raises(CommandError, match="load_territories"):
        call_command("seed_demo")
    assert not User.objects.exists()
