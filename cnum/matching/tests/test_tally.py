"""The tally of eligible candidates per commune and distance (kept by database triggers) gives the
screen the same counts as counting the candidates, after any kind of candidate write; the daily
check finds a drifted tally and --fix rebuilds it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates import services as candidate_services
from cnum.candidates.models import CandidateProfile
from cnum.candidates.testing import make_profile
from cnum.matching import screen, tally
from cnum.matching.eligibility import Eligibility
from cnum.matching.models import EligibleDepartementTally, EligibleTally
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.territories.models import Commune

pytestmark = pytest.mark.django_db


def shown_and_live(structure):
    """(count shown on the screen, read from the tally; eligible candidates counted live)."""
    shown = screen.build(structure).counts[screen.NEW]
    return shown, Eligibility(structure).candidates().count()


def test_counts_equal_a_live_count_after_every_kind_of_write(structure):
    lyon, villeurbanne, marseille = "69123", "69266", "13055"
    near = make_profile(commune=lyon)
    everywhere = make_profile(commune=marseille, max_distance_km=2000)
    neighbour = make_profile(commune=villeurbanne, max_distance_km=15)
    make_profile(commune=lyon, active=False)
    assert shown_and_live(structure) == (3, 3)

    # Through the service: the candidate moves out of reach, then back.
    data = {field: getattr(near, field) for field in candidate_services.PROFILE_FIELDS}
    candidate_services.update_profile(near, {**data, "commune": Commune.objects.get(pk=marseille)})
    assert shown_and_live(structure) == (2, 2)
    candidate_services.update_profile(near, {**data, "commune": Commune.objects.get(pk=lyon)})
    assert shown_and_live(structure) == (3, 3)

    # Bulk writes that no signal sees.
    CandidateProfile.objects.filter(pk=everywhere.pk).update(max_distance_km=20)
    assert shown_and_live(structure) == (2, 2)
    CandidateProfile.objects.filter(activated_at__isnull=True).update(activated_at=F("created_at"))
    assert shown_and_live(structure) == (3, 3)
    CandidateProfile.objects.filter(pk=near.pk).update(is_available=False)
    assert shown_and_live(structure) == (2, 2)
    CandidateProfile.objects.bulk_create(
        CandidateProfile(**data, user=make_user(Role.CANDIDAT), activated_at=near.activated_at)
        for _ in range(3)
    )
    assert shown_and_live(structure) == (5, 5)
    neighbour.user.delete()  # the profile goes with the account
    assert shown_and_live(structure) == (4, 4)
    CandidateProfile.objects.filter(commune_id=lyon).delete()
    assert shown_and_live(structure) == (0, 0)
    assert tally.differences() == []


def test_check_reports_a_drifted_tally_and_fix_rebuilds_it(structure):
    make_profile()
    make_profile(commune="69266", max_distance_km=2000)
    # Writes that went around the triggers.
    EligibleTally.objects.update(n=F("n") + 4)
    EligibleDepartementTally.objects.filter(max_distance_km=2000).update(n=F("n") + 4)
    assert screen.build(structure).counts[screen.NEW] == 10

    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("rebuild_matches", "--check", stdout=out)
    assert error.value.returncode == 1
    assert "3 incohérence(s)" in str(error.value)
    assert "commune 69123, 20 km : 5 enregistré(s) pour 1 en réalité" in out.getvalue()

    call_command("rebuild_matches", "--fix", stdout=io.StringIO())
    call_command("rebuild_matches", "--check", stdout=io.StringIO())  # clean: no exception
    assert screen.build(structure).counts[screen.NEW] == 2


def test_a_structure_not_validated_sees_no_count(structure):
    make_profile()
    pending = make_structure(departement="69", status=Status.CREEE)
    assert screen.build(pending).counts[screen.NEW] == 0
    assert screen.build(structure).counts[screen.NEW] == 1
