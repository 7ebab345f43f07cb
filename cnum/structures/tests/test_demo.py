import pytest
from django.core.management import call_command

from cnum.accounts.models import User
from cnum.structures.enums import Status
from cnum.structures.models import (
    CallForInterest,
    CommitteeDecision,
    CommitteeSession,
    PrefetOpinion,
    Structure,
)
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
    assert {"69", "75", "13", "59", "33", "2A", "971", "974"} <= departements
    assert set(Structure.objects.values_list("status", flat=True)) == set(Status)
    assert Structure.objects.count() >= 140
    duplicate = Structure.objects.filter(status=Status.DOUBLON).first()
    assert duplicate.duplicate_of.departement_id == duplicate.departement_id
    # Every generated structure has a manager; the Rhône préfet sees the Rhône's files.
    assert not Structure.objects.filter(memberships__isnull=True).exists()
    prefet = User.objects.get(email="prefet@demo.conseiller-numerique.fr")
    visible = Structure.objects.visible_to(prefet)
    assert visible.count() >= 10 and set(visible.values_list("departement", flat=True)) == {"69"}
    assert PrefetOpinion.objects.filter(structure__in=visible).exists()
    assert CommitteeSession.objects.count() == 4
    assert open_call_for("PRIVATE") is not None
    before = (
        Structure.objects.count(),
        CommitteeDecision.objects.count(),
        PrefetOpinion.objects.count(),
        User.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    assert (
        Structure.objects.count(),
        CommitteeDecision.objects.count(),
        PrefetOpinion.objects.count(),
        User.objects.count(),
    ) == before
    assert CallForInterest.objects.count() == 1
