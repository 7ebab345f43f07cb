"""The "toujours disponible ?" survey: who is asked, when, and what the two links do."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import make_user
from cnum.candidates import survey
from cnum.candidates.testing import make_profile
from cnum.matching.enums import MatchStatus as S
from cnum.matching.models import Match
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 15, 8, 0, tzinfo=datetime.UTC)


def travel(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def profile_at(monkeypatch, moment, **fields):
    travel(monkeypatch, moment)
    profile = make_profile(**fields)
    travel(monkeypatch, NOW)
    return profile


def run():
    out = io.StringIO()
    call_command("send_availability_survey", stdout=out)
    return out.getvalue()


def links(mail):
    return re.findall(r"https?://\S+/toujours-disponible/\S+/", mail.body)


def test_available_candidates_are_asked_once_per_period(monkeypatch, send_emails, mailoutbox):
    old = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    recent = profile_at(monkeypatch, NOW - datetime.timedelta(days=30))
    unavailable = profile_at(monkeypatch, NOW - datetime.timedelta(days=100), is_available=False)
    hired = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    structure = make_structure(manager=make_user(), status=Status.VALIDATION_COSELEC)
    Match.objects.create(structure=structure, candidate=hired, status=S.RECRUTEE)

    with send_emails():
        assert "1 candidat(s) interrogé(s)" in run()
    assert [m.to for m in mailoutbox] == [[old.user.email]]
    assert mailoutbox[0].subject == "Êtes-vous toujours disponible ?"
    assert len(links(mailoutbox[0])) == 2
    del recent, unavailable

    # Not twice within the period…
    travel(monkeypatch, NOW + datetime.timedelta(days=80))
    with send_emails():
        assert "1 candidat(s) interrogé(s)" in run()  # `recent` now, not `old` again
    assert old.user.email not in mailoutbox[-1].to
    # …but again once it has passed.
    mailoutbox.clear()
    travel(monkeypatch, NOW + datetime.timedelta(days=93))
    with send_emails():
        run()
    assert [old.user.email] in [m.to for m in mailoutbox]


def test_settings_set_the_period(monkeypatch, settings):
    profile_at(monkeypatch, NOW - datetime.timedelta(days=40))
    assert survey.send() == 0
    settings.AVAILABILITY_SURVEY_MONTHS = 1
    assert survey.send() == 1


def survey_path(profile, answer):
    return survey.link(profile, answer)


def test_yes_confirms_only_after_the_button(monkeypatch, client):
    profile = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    path = survey_path(profile, "oui")
    page = html.unescape(client.get(path).content.decode())
    assert "Je suis toujours disponible" in page
    profile.refresh_from_db()
    assert profile.availability_confirmed_at is None  # a mail scanner changes nothing

    response = client.post(path)
    assert response.status_code == 200
    assert "votre disponibilité est confirmée" in html.unescape(response.content.decode())
    profile.refresh_from_db()
    assert profile.availability_confirmed_at == NOW and profile.is_available
    assert survey.send() == 0  # the answer restarts the period


def test_no_makes_the_candidate_unavailable_and_closes_matches(monkeypatch, client):
    profile = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    structure = make_structure(manager=make_user(), status=Status.VALIDATION_COSELEC)
    match = Match.objects.create(structure=structure, candidate=profile, status=S.INTERESSEE)
    path = survey_path(profile, "non")
    assert "Je ne suis plus disponible" in html.unescape(client.get(path).content.decode())

    response = client.post(path)
    assert "indiquée comme indisponible" in html.unescape(response.content.decode())
    profile.refresh_from_db()
    match.refresh_from_db()
    assert not profile.is_available
    assert match.status == S.NON_DISPONIBLE


def test_yes_after_no_makes_the_candidate_available_again(monkeypatch, client):
    profile = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    client.post(survey_path(profile, "non"))
    client.post(survey_path(profile, "oui"))
    profile.refresh_from_db()
    assert profile.is_available


def test_bad_links_answer_a_french_page_and_change_nothing(monkeypatch, client):
    profile = profile_at(monkeypatch, NOW - datetime.timedelta(days=100))
    path = survey_path(profile, "non")
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("candidates:survey", kwargs={"answer": "non", "token": token[:-2] + "xx"})
    for response in (client.get(tampered), client.post(tampered)):
        assert response.status_code == 400
        assert "Lien invalide ou expiré" in html.unescape(response.content.decode())
    wrong = reverse("candidates:survey", kwargs={"answer": "peut-etre", "token": token})
    assert client.get(wrong).status_code == 404

    travel(monkeypatch, NOW + datetime.timedelta(days=31))  # past the link's 30 days
    response = client.post(path)
    assert response.status_code == 400
    profile.refresh_from_db()
    assert profile.is_available
