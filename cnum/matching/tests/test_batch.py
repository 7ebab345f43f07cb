"""Batch actions of the candidates screen: refuse or postpone several candidates at once."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login, make_user
from cnum.candidates.testing import make_profile
from cnum.matching import screen, staleness
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def screen_url(structure, tab="nouvelles"):
    return f"{reverse('matching:candidates', kwargs={'pk': structure.pk})}?onglet={tab}"


def batch_url(structure):
    return reverse("matching:batch", kwargs={"pk": structure.pk})


def post(client, structure, action, profiles, **extra):
    data = {"action": action, "candidats": [p.pk for p in profiles], "onglet": "nouvelles"}
    return client.post(batch_url(structure), {**data, **extra})


def statuses(structure):
    return dict(Match.objects.filter(structure=structure).values_list("candidate_id", "status"))


def test_the_screen_offers_checkboxes_and_both_actions(manager_client, structure):
    profile = make_profile()
    page = html.unescape(manager_client.get(screen_url(structure)).content.decode())
    assert f'name="candidats" value="{profile.pk}"' in page
    assert "Ne pas retenir les candidats cochés" in page
    assert "Reporter les candidats cochés" in page


def test_refusal_asks_confirmation_then_tells_the_reason_only_when_chosen(
    manager_client, structure, send_emails, mailoutbox
):
    told, silent = make_profile(), make_profile()
    response = post(manager_client, structure, "refuser", [told, silent])
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ne pas retenir 2 candidat(s) ?" in page
    assert "Motif communiqué aux candidats (facultatif)" in page
    assert told.user.get_full_name() in page
    assert not Match.objects.exists()  # nothing before the confirmation

    with send_emails():
        response = post(manager_client, structure, "refuser", [told], confirm="1", motif="pourvu")
    assert response.status_code == 302 and response.url == screen_url(structure)
    with send_emails():
        post(manager_client, structure, "refuser", [silent], confirm="1", motif="")
    assert statuses(structure) == {told.pk: S.NON_INTERESSEE, silent.pk: S.NON_INTERESSEE}
    assert [m.to for m in mailoutbox] == [[told.user.email]]
    assert "Motif indiqué par la structure : Le poste est déjà pourvu." in mailoutbox[0].body
    log = TransitionLog.objects.for_object(Match.objects.get(candidate=told)).get()
    assert "Le poste est déjà pourvu" in log.comment


def test_unknown_reason_is_explained_and_nothing_changes(manager_client, structure):
    profile = make_profile()
    response = post(manager_client, structure, "refuser", [profile], confirm="1", motif="nul")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in html.unescape(response.content.decode())
    assert not Match.objects.exists()


def test_postponed_candidates_leave_their_tab_until_the_date(
    monkeypatch, manager_client, structure
):
    waiting, preselected = make_profile(), make_profile()
    Match.objects.create(structure=structure, candidate=preselected, status=S.INTERESSEE)
    before = screen.build(structure).counts
    response = post(manager_client, structure, "reporter", [waiting, preselected])
    assert "Reporter pendant" in html.unescape(response.content.decode())
    assert not Match.objects.filter(postponed_until__isnull=False).exists()

    response = post(
        manager_client, structure, "reporter", [waiting, preselected], confirm="1", delai="30"
    )
    assert response.status_code == 302
    counts = screen.build(structure).counts
    assert counts["nouvelles"] == before["nouvelles"] - 1
    assert counts["preselectionnees"] == 0
    assert counts["reportees"] == 2
    assert statuses(structure) == {waiting.pk: S.NOUVELLE, preselected.pk: S.INTERESSEE}
    page = html.unescape(manager_client.get(screen_url(structure, "reportees")).content.decode())
    assert "reportée jusqu'au" in page and waiting.user.last_name in page

    # Not closed as stale while postponed, even far past the delay…
    later = timezone.now() + datetime.timedelta(days=29)
    monkeypatch.setattr(timezone, "now", lambda: later)
    Match.objects.update(created_at=later - datetime.timedelta(days=300))
    assert staleness.close_stale() == (0, 0)
    # …and back in their tabs once the date has passed.
    later = later + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    counts = screen.build(structure).counts
    assert counts["reportees"] == 0 and counts["preselectionnees"] == 1


def test_a_candidate_of_another_structure_refuses_the_whole_batch(manager_client, structure):
    mine = make_profile()
    far = make_profile(commune="13055")  # Marseille: not in this structure's list
    other = make_structure(departement="13", manager=make_user(), status=Status.VALIDATION_COSELEC)
    Match.objects.create(structure=other, candidate=far, status=S.INTERESSEE)
    for confirm in ("", "1"):
        response = post(manager_client, structure, "refuser", [mine, far], confirm=confirm)
        assert response.status_code == 403
    assert statuses(structure) == {}
    assert statuses(other) == {far.pk: S.INTERESSEE}


def test_another_structure_s_batch_url_changes_nothing(client, structure):
    profile = make_profile()
    intruder = make_user()
    make_structure(departement="69", manager=intruder, status=Status.VALIDATION_COSELEC)
    login(client, intruder)
    response = post(client, structure, "refuser", [profile], confirm="1")
    assert response.status_code == 404  # not their structure: it "does not exist" for them
    assert not Match.objects.exists()


def test_an_empty_selection_is_explained(manager_client, structure):
    response = post(manager_client, structure, "refuser", [])
    assert response.status_code == 302
    page = manager_client.get(response.url).content.decode()
    assert "Cochez au moins un candidat." in html.unescape(page)
