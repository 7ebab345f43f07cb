"""People read the moves of a lifecycle in French, as each machine declares them."""

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.structures.testing import make_structure
from cnum.workflow.engine import Workflow, apply_transition

pytestmark = pytest.mark.django_db


def test_the_history_of_a_structure_names_the_committee_decision(client):
    admin = make_user(Role.ADMINISTRATEUR)
    structure = make_structure()
    apply_transition(structure, Status.VALIDATION_COSELEC, admin, "COSELEC 1")
    login(client, admin)
    html = client.get(reverse("structures:decider_detail", kwargs={"pk": structure.pk}))
    page = html.content.decode()
    assert "Validation par le comité de sélection" in page
    assert "VALIDATION_COSELEC" not in page and "CREEE" not in page


def test_a_move_without_a_declared_label_reads_the_labels_of_its_statuses():
    undeclared = Workflow(transitions={})
    label = undeclared.label(Structure, Status.CREEE, Status.REFUS_COSELEC)
    assert label == "Déposée, non encore examinée → Refusée par le comité"
    assert undeclared.label(Structure, "", Status.CREEE) == "Déposée, non encore examinée"
