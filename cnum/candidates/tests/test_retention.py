"""30 months without activity: warned one month before, then deleted (anonymised archive kept)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cnum.accounts.models import User
from cnum.candidates import retention
from cnum.candidates.models import CandidateArchive, CandidateProfile
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus
from cnum.matching.models import Match
from cnum.recruitment.models import Contract
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 26, 3, 0))


def inactive_since(**delta):
    profile = make_profile()
    CandidateProfile.objects.filter(pk=profile.pk).update(
        last_activity_at=NOW - datetime.timedelta(**delta)
    )
    return profile


def test_inactive_for_30_months_is_deleted_and_archived_the_active_are_kept():
    old = inactive_since(days=30 * 31)
    recent = inactive_since(days=29 * 30)
    never_logged_in = make_profile()
    CandidateProfile.objects.filter(pk=never_logged_in.pk).update(
        last_activity_at=None, created_at=NOW - datetime.timedelta(days=40 * 30)
    )
    assert retention.purge_inactive(NOW) == (2, 0)
    assert list(CandidateProfile.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not User.objects.filter(pk__in=[old.user_id, never_logged_in.user_id]).exists()
    assert CandidateArchive.objects.count() == 2


def test_a_recruitment_history_is_kept_and_reported():
    profile = inactive_since(days=31 * 31)
    match = Match.objects.create(
        candidate=profile, structure=make_structure(), status=MatchStatus.FINALISEE_RUPTURE
    )
    Contract.objects.create(
        match=match,
        type="CDI",
        start_date=datetime.date(2023, 1, 2),
        created_by=profile.user,
    )
    assert retention.purge_inactive(NOW) == (0, 1)
    assert CandidateProfile.objects.filter(pk=profile.pk).exists()


def test_warned_once_on_the_day_they_reach_29_months(send_emails, mailoutbox):
    local_now = NOW.astimezone(retention.PARIS)
    reached_today = make_profile()
    reached_today_at = datetime.datetime.combine(
        retention.months_ago(local_now.date(), 29), local_now.timetz()
    ) - datetime.timedelta(hours=2)
    CandidateProfile.objects.filter(pk=reached_today.pk).update(last_activity_at=reached_today_at)
    inactive_since(days=29 * 31 + 3)  # warned on an earlier day
    inactive_since(days=20)
    with send_emails():
        assert retention.warn_inactive(NOW) == 1
    assert [m.to for m in mailoutbox] == [[reached_today.user.email]]
    assert "sera supprimée dans un mois" in mailoutbox[0].subject


def test_command_reports_what_it_did():
    inactive_since(days=31 * 31)
    out = StringIO()
    call_command("purge_inactive_candidates", stdout=out)
    assert "1 supprimé(s)" in out.getvalue()
