"""Matches left waiting close by themselves (docs/domaine.md#mises-en-relation-perimees)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.candidates import services as candidate_services
from cnum.candidates.testing import make_profile
from cnum.matching import screen, services, staleness
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.workflow.engine import PLATFORM, apply_transition
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 8, 0, tzinfo=datetime.UTC)


def travel(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


def match_at(monkeypatch, moment, structure, status, **profile):
    travel(monkeypatch, moment)
    match = Match.objects.create(
        structure=structure, candidate=make_profile(**profile), status=status
    )
    travel(monkeypatch, NOW)
    return match


def run():
    out = io.StringIO()
    call_command("close_stale_matches", stdout=out)
    return out.getvalue()


def test_waiting_matches_close_past_their_delay_with_one_mail_per_structure(
    monkeypatch, structure, manager, send_emails, mailoutbox
):
    new_old = match_at(monkeypatch, days_ago(61), structure, S.NOUVELLE)
    new_recent = match_at(monkeypatch, days_ago(59), structure, S.NOUVELLE)
    pre_old = match_at(monkeypatch, days_ago(91), structure, S.INTERESSEE)
    pre_recent = match_at(monkeypatch, days_ago(89), structure, S.INTERESSEE)
    refused_old = match_at(monkeypatch, days_ago(400), structure, S.NON_INTERESSEE)
    other = make_structure(departement="69", manager=make_user(), status=Status.VALIDATION_COSELEC)
    elsewhere = match_at(monkeypatch, days_ago(70), other, S.NOUVELLE)

    with send_emails():
        assert "3 mise(s) en relation close(s), 2 structure(s)" in run()

    for match, status in [
        (new_old, S.EXPIREE),
        (new_recent, S.NOUVELLE),
        (pre_old, S.EXPIREE),
        (pre_recent, S.INTERESSEE),
        (refused_old, S.NON_INTERESSEE),
        (elsewhere, S.EXPIREE),
    ]:
        match.refresh_from_db()
        assert match.status == status
    log = TransitionLog.objects.for_object(pre_old).get()
    assert (log.from_status, log.to_status, log.actor) == (S.INTERESSEE, S.EXPIREE, None)
    assert log.label == "Close sans suite : délai dépassé"

    to_managers = [m for m in mailoutbox if manager.email in m.to]
    assert len(to_managers) == 1  # one summary for both of this structure's matches
    body = to_managers[0].body
    assert new_old.candidate.user.get_full_name() in body
    assert pre_old.candidate.user.get_full_name() in body
    assert new_recent.candidate.user.get_full_name() not in body
    assert "onglet « Sans suite »" in body
    # The pre-selected candidate is told; the one never pre-selected is not.
    assert [m.to for m in mailoutbox if "Présélection sans suite" in m.subject] == [
        [pre_old.candidate.user.email]
    ]
    assert len(mailoutbox) == 3  # two summaries, one candidate

    mailoutbox.clear()
    with send_emails():
        assert "0 mise(s) en relation close(s)" in run()  # idempotent
    assert mailoutbox == []


def test_the_clock_starts_at_the_last_move(monkeypatch, structure, manager):
    match = match_at(monkeypatch, days_ago(200), structure, S.INTERESSEE)
    travel(monkeypatch, days_ago(10))
    services.back_to_new(structure, match.candidate, manager)
    travel(monkeypatch, NOW)
    assert staleness.close_stale() == (0, 0)
    travel(monkeypatch, days_ago(-51))
    assert staleness.close_stale() == (1, 1)


def test_delays_are_settings(monkeypatch, settings, structure):
    match = match_at(monkeypatch, days_ago(20), structure, S.NOUVELLE)
    assert staleness.close_stale() == (0, 0)
    settings.MATCH_STALE_NEW_DAYS = 15
    assert staleness.close_stale() == (1, 1)
    match.refresh_from_db()
    assert match.status == S.EXPIREE


def test_a_closed_match_leaves_the_new_tab_and_can_be_taken_up_again(
    monkeypatch, structure, manager
):
    match = match_at(monkeypatch, days_ago(61), structure, S.NOUVELLE)
    before = screen.build(structure).counts
    staleness.close_stale()
    after = screen.build(structure).counts
    assert after["nouvelles"] == before["nouvelles"] - 1
    assert after["sans-suite"] == 1
    rows = screen.build(structure, tab="sans-suite").rows
    assert [row.profile for row in rows] == [match.candidate]
    assert rows[0].status_label == "Sans suite (délai dépassé)"

    services.preselect(structure, match.candidate, manager)
    match.refresh_from_db()
    assert match.status == S.INTERESSEE


def test_the_platform_still_follows_a_closed_match(monkeypatch, structure):
    match = match_at(monkeypatch, days_ago(61), structure, S.NOUVELLE)
    staleness.close_stale()
    candidate_services.set_availability(match.candidate, False)
    match.refresh_from_db()
    assert match.status == S.NON_DISPONIBLE


def test_only_the_platform_closes_and_the_structure_reopens(monkeypatch, structure, manager):
    match = match_at(monkeypatch, days_ago(1), structure, S.NOUVELLE)
    assert not Match.workflow.can(match, S.EXPIREE, manager)
    assert not Match.workflow.can(match, S.EXPIREE, make_user(Role.ADMINISTRATEUR))
    apply_transition(match, S.EXPIREE, PLATFORM)
    assert Match.workflow.can(match, S.NOUVELLE, manager)
    assert not Match.workflow.can(match, S.NOUVELLE, make_user(Role.ADMINISTRATEUR))
