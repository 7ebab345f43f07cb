"""Conseillers who record nothing: reminders on a frozen clock, and the "sans activité" list."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.followup.models import Leave
from cnum.followup.tests.conftest import DAY, conseiller_in_post, days, record
from cnum.recruitment.testing import make_validated_structure
from cnum.stats.models import Coordination
from cnum.training.enums import EnrolmentStatus
from cnum.training.testing import make_enrolment

pytestmark = pytest.mark.django_db


def run(send_emails, mailoutbox):
    """Run the daily job; the e-mails it sent, as (recipients, subject)."""
    before = len(mailoutbox)
    with send_emails():
        call_command("send_inactivity_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return [(m.to, m.subject) for m in mailoutbox[before:]]


def test_a_conseiller_silent_for_31_days_gets_exactly_one_reminder(clock, send_emails, mailoutbox):
    match = conseiller_in_post()
    user = match.candidate.user
    record(user, DAY - days(31))
    sent = run(send_emails, mailoutbox)
    assert sent == [([user.email], "Aucune activité enregistrée depuis 31 jours")]
    assert "dernier CRA daté du 15/08/2026" in mailoutbox[-1].body
    # The job runs again, the same day and the next: nothing more for the same silence.
    assert run(send_emails, mailoutbox) == []
    clock.forward(1)
    assert run(send_emails, mailoutbox) == []


def test_the_second_threshold_tells_the_manager_and_the_coordinator(clock, send_emails, mailoutbox):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE, email="direction@exemple.fr")
    structure = make_validated_structure(manager=manager)
    match = conseiller_in_post(structure, manager=manager)
    user = match.candidate.user
    coordinator = make_user(Role.COORDINATEUR, email="coordination@exemple.fr")
    Coordination.objects.create(coordinator=coordinator, conseiller=user)
    record(user, DAY - days(31))
    run(send_emails, mailoutbox)

    clock.forward(12)  # 43 days of silence
    sent = run(send_emails, mailoutbox)
    assert sorted(sent) == [
        (["coordination@exemple.fr"], "Conseillers sans activité depuis 42 jours"),
        (["direction@exemple.fr"], "Conseillers sans activité depuis 42 jours"),
        ([user.email], "Second rappel : aucune activité enregistrée depuis 43 jours"),
    ]
    team_mail = next(m for m in mailoutbox if m.to == ["direction@exemple.fr"])
    assert user.get_full_name() in team_mail.body and "/suivi/sans-activite/" in team_mail.body
    clock.forward(1)
    assert run(send_emails, mailoutbox) == []


def test_a_new_record_starts_a_new_silence(clock, send_emails, mailoutbox):
    user = conseiller_in_post().candidate.user
    record(user, DAY - days(31))
    assert len(run(send_emails, mailoutbox)) == 1
    record(user, DAY)
    clock.forward(30)
    assert run(send_emails, mailoutbox) == [
        ([user.email], "Aucune activité enregistrée depuis 30 jours")
    ]


def test_training_leave_and_ended_contracts_get_no_reminder(clock, send_emails, mailoutbox):
    training = conseiller_in_post().candidate.user
    make_enrolment(conseiller=training, status=EnrolmentStatus.EN_COURS, started_on=DAY - days(60))
    on_leave = conseiller_in_post()
    Leave.objects.create(
        conseiller=on_leave.candidate.user,
        start=DAY - days(5),
        end=DAY + days(20),
        declared_by=on_leave.structure.managers().first().user,
    )
    ended = conseiller_in_post(start=DAY - days(200), end=DAY - days(1))
    # The control: in post for 31 days, never recorded anything.
    silent = conseiller_in_post(start=DAY - days(31)).candidate.user
    sent = run(send_emails, mailoutbox)
    assert sent == [([silent.email], "Aucune activité enregistrée depuis 31 jours")]
    assert ended.candidate.user.email not in str(sent)


def test_back_from_leave_the_silence_counts_from_the_return(clock, send_emails, mailoutbox):
    match = conseiller_in_post()
    user = match.candidate.user
    record(user, DAY - days(90))
    Leave.objects.create(
        conseiller=user,
        start=DAY - days(80),
        end=DAY - days(10),
        declared_by=match.structure.managers().first().user,
    )
    assert run(send_emails, mailoutbox) == []
    clock.forward(21)  # 31 days since the return
    assert run(send_emails, mailoutbox) == [
        ([user.email], "Aucune activité enregistrée depuis 31 jours")
    ]


def test_the_list_shows_the_scope_s_silent_conseillers_and_exports_them(
    clock, client, send_emails, mailoutbox, django_assert_max_num_queries
):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    mine = conseiller_in_post(make_validated_structure(manager=manager), manager=manager)
    user = mine.candidate.user
    record(user, DAY - days(35))
    elsewhere = conseiller_in_post().candidate.user
    active = conseiller_in_post(mine.structure, manager=manager).candidate.user
    record(active, DAY - days(2))
    run(send_emails, mailoutbox)

    login(client, manager)
    page = client.get(reverse("followup:inactive")).content.decode()
    assert user.get_full_name() in page and "11/08/2026" in page
    assert "Premier rappel le 15/09/2026" in page
    assert elsewhere.get_full_name() not in page and active.get_full_name() not in page
    # The second threshold: 35 days is not enough.
    page = client.get(reverse("followup:inactive"), {"seuil": "42"}).content.decode()
    assert user.get_full_name() not in page

    export = client.get(reverse("followup:inactive"), {"format": "csv"})
    content = b"".join(export.streaming_content).decode()
    assert f"{user.email};" in content and ";11/08/2026;35;Premier rappel le 15/09/2026" in content
    assert elsewhere.email not in content
    xlsx = client.get(reverse("followup:inactive"), {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    # The administration sees both silent conseillers, in a bounded number of queries.
    login(client, make_user(Role.ADMINISTRATEUR))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("followup:inactive")).content.decode()
    assert user.get_full_name() in page and elsewhere.get_full_name() in page


def test_a_manager_declares_a_leave_for_their_own_conseillers_only(clock, client):
    manager = make_user(Role.GESTIONNAIRE_STRUCTURE)
    mine = conseiller_in_post(make_validated_structure(manager=manager), manager=manager)
    other = conseiller_in_post()
    login(client, manager)
    url = reverse("followup:leaves")
    response = client.post(
        url, {"conseiller": other.candidate.user.pk, "start": "20/09/2026", "end": "30/09/2026"}
    )
    assert "pas en poste dans votre structure" in response.content.decode()
    response = client.post(
        url, {"conseiller": mine.candidate.user.pk, "start": "30/09/2026", "end": "20/09/2026"}
    )
    assert "doit suivre le premier" in response.content.decode()
    assert not Leave.objects.exists()
    response = client.post(
        url, {"conseiller": mine.candidate.user.pk, "start": "20/09/2026", "end": "30/09/2026"}
    )
    assert response.status_code == 302
    leave = Leave.objects.get()
    assert (leave.conseiller, leave.start, leave.declared_by) == (
        mine.candidate.user,
        datetime.date(2026, 9, 20),
        manager,
    )
    assert "20/09/2026" in client.get(url).content.decode()
