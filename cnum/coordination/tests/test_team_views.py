"""Building the team, "Mon équipe" with its filters and exports, and a member's page."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cnum.accounts import grants
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.activity import services as activity
from cnum.activity.testing import individual_values
from cnum.candidates.testing import make_profile
from cnum.coordination import services, team
from cnum.coordination.testing import conseiller_in, make_coordinator, make_structure_in
from cnum.stats.models import Coordination, CoordinationTerritory
from cnum.stats.teams import team_ids
from cnum.territories.models import Departement
from cnum.training.testing import make_enrolment
from cnum.workshops.testing import make_workshop

pytestmark = pytest.mark.django_db

EDIT = reverse("coordination:team_edit")
TEAM = reverse("coordination:team")


@pytest.fixture
def coordinator(client):
    return login(client, make_coordinator())


def test_the_coordinator_builds_a_team_by_departement(client, coordinator):
    lyon, grenoble = conseiller_in("69"), conseiller_in("38")
    page = client.get(EDIT).content.decode()
    assert "Départements de l&#x27;équipe" in page and "Isère (38)" in page
    assert "Paris (75)" not in page  # outside the région of their structure

    response = client.post(EDIT, {"action": "territoire", "departements": ["38"]})
    assert response.status_code == 302
    assert team_ids(coordinator) == {grenoble.pk}
    assert lyon.get_full_name() not in client.get(TEAM).content.decode()
    assert grenoble.get_full_name() in client.get(TEAM).content.decode()


def test_choosing_a_region_and_departements_together_is_refused(client, coordinator):
    services.set_territory(coordinator, departements=[Departement.objects.get(code="69")])
    response = client.post(EDIT, {"action": "territoire", "departements": ["38"], "region": "84"})
    assert response.status_code == 400
    assert "pas les deux" in response.content.decode()
    assert list(
        CoordinationTerritory.objects.filter(coordinator=coordinator).values_list(
            "departement_id", flat=True
        )
    ) == ["69"]


def test_a_territory_outside_the_list_is_refused_and_nothing_changes(client, coordinator):
    response = client.post(EDIT, {"action": "territoire", "departements": ["75"]})
    assert response.status_code == 400
    assert not CoordinationTerritory.objects.filter(coordinator=coordinator).exists()


def test_naming_conseillers_found_by_name_within_the_region(client, coordinator):
    near = conseiller_in("38", first_name="Inès", last_name="Bertrand")
    far = conseiller_in("75", first_name="Inès", last_name="Bertaux")
    page = client.get(EDIT, {"q": "bert"}).content.decode()
    assert "Inès Bertrand" in page and "Inès Bertaux" not in page
    assert "Ajouter à l'équipe" in page

    client.post(EDIT, {"action": "ajouter", "conseiller": near.pk})
    assert team_ids(coordinator) == {near.pk}
    # Someone outside the reach, even posted by hand, is refused with a French message.
    response = client.post(EDIT, {"action": "ajouter", "conseiller": far.pk}, follow=True)
    assert "n&#x27;est pas en poste dans la région" in response.content.decode()
    assert team_ids(coordinator) == {near.pk}

    client.post(EDIT, {"action": "retirer", "conseiller": near.pk})
    assert not Coordination.objects.filter(coordinator=coordinator).exists()


def test_my_team_shows_contacts_structure_training_and_workshops(client, coordinator):
    profile = make_profile(phone="0611223344")
    member = profile.user
    other = conseiller_in("69", first_name="Zoé", last_name="Zeller")
    structure = make_structure_in("69")
    grants.grant(member, Role.CONSEILLER, structure)
    make_enrolment(conseiller=member)
    make_workshop(conseiller=member)
    make_workshop(conseiller=member, starts_in=datetime.timedelta(days=10))
    make_workshop(conseiller=member, starts_in=-datetime.timedelta(days=10))  # past
    services.set_territory(coordinator, departements=[Departement.objects.get(code="69")])

    page = client.get(TEAM).content.decode()
    assert member.email in page and "0611223344" in page and structure.name in page
    assert "En formation" in page and other.get_full_name() in page
    [row] = [m for m in team.members(coordinator) if m.user == member]
    assert row.upcoming_workshops == 2
    assert "Statistiques de l'équipe" in page

    filtered = client.get(TEAM, {"formation": "en_formation"}).content.decode()
    assert member.email in filtered and other.email not in filtered
    by_structure = client.get(TEAM, {"structure": structure.pk}).content.decode()
    assert member.email in by_structure and other.email not in by_structure


def test_my_team_exports_in_csv_and_xlsx(client, coordinator):
    member = conseiller_in("69", first_name="Léa", last_name="Arnaud")
    services.set_territory(coordinator, departements=[Departement.objects.get(code="69")])
    response = client.get(reverse("coordination:team_export"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "Adresse électronique"]
    assert rows[1][:3] == ["Arnaud", "Léa", member.email]

    response = client.get(reverse("coordination:team_export"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.skipif(not team.last_activity_available(), reason="dates de dernière activité")
def test_last_activity_and_the_silent_filter(client, coordinator):
    today = timezone.localdate()
    active, silent = conseiller_in("69"), conseiller_in("69")
    activity.save_record(active, individual_values(date=today - datetime.timedelta(days=3)))
    activity.save_record(silent, individual_values(date=today - datetime.timedelta(days=40)))
    services.set_territory(coordinator, departements=[Departement.objects.get(code="69")])

    page = client.get(TEAM).content.decode()
    assert (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y") in page
    silent_only = client.get(TEAM, {"sans_activite": "on"}).content.decode()
    assert silent.email in silent_only and active.email not in silent_only


def test_a_members_page_and_someone_elses(client, coordinator):
    member, outsider = conseiller_in("69"), conseiller_in("69")
    services.add_conseiller(coordinator, member.pk)
    make_workshop(conseiller=member, title="Découvrir les démarches en ligne")
    page = client.get(reverse("coordination:member", args=[member.pk]))
    assert page.status_code == 200
    assert member.email in page.content.decode()
    assert "Découvrir les démarches en ligne" in page.content.decode()
    assert client.get(reverse("coordination:member", args=[outsider.pk])).status_code == 404


def test_another_coordinators_member_is_a_404(client, coordinator):
    other = make_coordinator()
    member = conseiller_in("69")
    services.add_conseiller(other, member.pk)
    response = client.get(reverse("coordination:member", args=[member.pk]))
    assert response.status_code == 404
    assert member.email not in response.content.decode()


def test_the_administration_sets_a_coordinators_territory_anywhere(client):
    admin = login(client, make_user(Role.ADMINISTRATEUR))
    coordinator = make_coordinator()
    paris = conseiller_in("75")
    listing = client.get(reverse("coordination:admin_list")).content.decode()
    assert coordinator.email in listing

    url = reverse("coordination:admin_team", args=[coordinator.pk])
    assert "Paris (75)" in client.get(url).content.decode()  # national: beyond their région
    assert client.post(url, {"departements": ["75"]}).status_code == 302
    assert team_ids(coordinator) == {paris.pk}
    assert admin.pk not in team_ids(coordinator)
    # Someone who is not a coordinator has no team to set.
    assert client.get(reverse("coordination:admin_team", args=[paris.pk])).status_code == 404


def test_my_team_reads_a_fixed_number_of_queries(client, coordinator):
    services.set_territory(coordinator, departements=[Departement.objects.get(code="69")])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TEAM).status_code == 200
        return len(captured)

    queries()  # the first request of the session reads more (session, roles)
    for _ in range(2):
        make_workshop(conseiller=conseiller_in("69"))
    few = queries()
    for _ in range(4):
        make_enrolment(conseiller=conseiller_in("69"))
    assert queries() == few
