import pytest
from django.core.management import call_command

from cnum.accounts.demo import DEMO_DOMAIN
from cnum.candidates.demo import GENERATED_COUNT
from cnum.candidates.models import CandidateProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_candidates_profiles_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo = CandidateProfile.objects.get(user__email=f"candidat@{DEMO_DOMAIN}")
    assert demo.commune.nom == "Lyon" and demo.activated_at is not None
    assert CandidateProfile.objects.count() == GENERATED_COUNT + 1
    departements = set(CandidateProfile.objects.values_list("commune__departement", flat=True))
    assert {"69", "2A", "971", "974"} <= departements and len(departements) >= 8
    assert len(set(CandidateProfile.objects.values_list("max_distance_km", flat=True))) >= 5
    assert CandidateProfile.objects.filter(is_available=False).exists()
    before = list(CandidateProfile.objects.order_by("pk").values_list("pk", "commune"))

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = list(CandidateProfile.objects.order_by("pk").values_list("pk", "commune"))
    assert after == before
