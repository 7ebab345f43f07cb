"""manage.py rebuild_matches: --check reports and fails, --fix repairs through transitions."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates.models import CandidateProfile
from cnum.candidates.testing import make_profile
from cnum.matching import services
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.models import Structure
from cnum.structures.testing import make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def force(match, status):
    """Simulate a write that bypassed the platform (an old import, a crash)."""
    Match.objects.filter(pk=match.pk).update(status=status)


def force_profile(profile, **fields):
    CandidateProfile.objects.filter(pk=profile.pk).update(**fields)


def check():
    """Runs --check, expects exit code 1; returns what it printed."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("rebuild_matches", "--check", stdout=out)
    assert error.value.returncode == 1
    assert "1 incohérence(s)" in str(error.value)
    return out.getvalue()


def fix_then_status(match):
    call_command("rebuild_matches", "--fix")
    match.refresh_from_db()
    call_command("rebuild_matches", "--check")  # clean afterwards: no exception
    log = TransitionLog.objects.for_object(match).last()
    assert log.actor is None and log.comment.startswith("Réparation")
    return match.status


def test_clean_database_passes(structure, manager, capsys):
    services.preselect(structure, make_profile(), manager)
    call_command("rebuild_matches", "--check")
    assert "Aucune incohérence" in capsys.readouterr().out


def test_open_match_of_an_unavailable_candidate(structure, manager):
    profile = make_profile()
    match = services.preselect(structure, profile, manager)
    force_profile(profile, is_available=False)
    assert "le candidat n'est plus disponible" in check()
    assert fix_then_status(match) == S.NON_DISPONIBLE


def test_non_disponible_of_an_available_candidate(structure, manager):
    match = services.preselect(structure, make_profile(), manager)
    force(match, S.NON_DISPONIBLE)
    check()
    assert fix_then_status(match) == S.NOUVELLE


def test_open_match_of_a_candidate_employed_elsewhere(structure, manager):
    profile = make_profile()
    match = services.preselect(structure, profile, manager)
    other = make_structure(departement="69", status=Status.VALIDATION_COSELEC)
    Match.objects.create(structure=other, candidate=profile, status=S.FINALISEE)
    assert "en poste dans une autre structure" in check()
    assert fix_then_status(match) == S.FINALISEE_NON_DISPONIBLE


def test_open_match_of_a_structure_no_longer_validated(structure, manager):
    match = services.preselect(structure, make_profile(), manager)
    Structure.objects.filter(pk=structure.pk).update(status=Status.ABANDON)
    assert "la structure n'est plus validée" in check()
    assert fix_then_status(match) == S.NON_DISPONIBLE


def test_recruited_elsewhere_then_free_again(structure, manager):
    match = services.preselect(structure, make_profile(), manager)
    force(match, S.FINALISEE_NON_DISPONIBLE)
    check()
    assert fix_then_status(match) == S.NOUVELLE


def test_check_and_fix_are_mutually_exclusive_and_required():
    with pytest.raises(CommandError):
        call_command("rebuild_matches")
    admin = make_user(Role.ADMINISTRATEUR)
    assert admin.pk  # the database is usable after the refused call
