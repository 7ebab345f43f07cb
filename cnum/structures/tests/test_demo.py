import pytest
from django.core.management import call_command

from cnum.accounts.models import User
from cnum.structures.enums import Status
from cnum.structures.models import CallForInterest, CommitteeDecision, Structure
from cnum.structures.services import open_call_for

pytestmark = pytest.mark.django_db


def test_seed_gives_the_demo_manager_a_real_structure_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    manager = User.objects.get(email="structure@demo.conseiller-numerique.fr")
    own = Structure.objects.managed_by(manager).get()
    assert own.status == Status.VALIDATION_COSELEC and own.current_posts() == 3
    assert own.departement_id == "69"
    departements = set(Structure.objects.values_list("departement_id", flat=True))
    assert {"69", "75", "971", "974"} <= departements
    assert set(Structure.objects.values_list("status", flat=True)) == set(Status) - {Status.DOUBLON}
    assert open_call_for("PRIVATE") is not None
    before = (Structure.objects.count(), CommitteeDecision.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Structure.objects.count(), CommitteeDecision.objects.count()) == before
    assert CallForInterest.objects.count() == 1
