"""Sentences the structures' managers read, checked word for word."""

import pytest

from cnum.accounts.testing import make_user
from cnum.structures import services
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db


def test_manager_added_mail_reads_as_a_sentence(send_emails, mailoutbox):
    structure = make_structure()
    with send_emails():
        services.add_manager(structure, email="nadia@exemple.fr")
        services.add_manager(structure, email="yves@exemple.fr", invited_by=make_user())
    alone, invited = mailoutbox[-2].body, mailoutbox[-1].body
    assert "Vous êtes comme" not in alone
    assert f"Vous êtes désormais gestionnaire de « {structure.name} »" in alone
    assert f"vous a ajouté comme gestionnaire de « {structure.name} »" in invited
