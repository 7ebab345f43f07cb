"""The coordinators' own activities: recorded, edited, deleted, exported, summed on "Mon équipe",
and never counted with the conseillers' support figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.coordination.models import ActivityKind, CoordinatorActivity
from cnum.coordination.testing import make_coordinator
from cnum.stats.models import ActivityRollup

pytestmark = pytest.mark.django_db

CREATE = reverse("coordination:activity_create")


@pytest.fixture
def coordinator(client):
    return login(client, make_coordinator())


def values(**overrides):
    return {
        "kind": ActivityKind.ANIMATION,
        "title": "Réunion des conseillers du Rhône",
        "date": timezone.localdate().isoformat(),
        "duration": "120",
        "participants": "14",
        "departement": "69",
        "notes": "",
        **overrides,
    }


def make_activity(coordinator, **fields):
    data = {
        "kind": ActivityKind.PARTENARIAT,
        "title": "Rencontre avec la médiathèque",
        "date": timezone.localdate(),
        "duration": 60,
        **fields,
    }
    return CoordinatorActivity.objects.create(coordinator=coordinator, **data)


def test_recording_an_activity(client, coordinator):
    response = client.post(CREATE, values())
    assert response.status_code == 302
    activity = CoordinatorActivity.objects.get(coordinator=coordinator)
    assert (activity.title, activity.duration, activity.participants) == (
        "Réunion des conseillers du Rhône",
        120,
        14,
    )
    page = client.get(reverse("coordination:activities")).content.decode()
    assert "Réunion des conseillers du Rhône" in page
    assert not ActivityRollup.objects.exists()  # never in the conseillers' figures


def test_bad_input_is_refused_in_french_and_kept(client, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(CREATE, values(date=tomorrow.isoformat(), duration="0"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "ne peut pas être à venir" in page
    assert "Réunion des conseillers du Rhône" in page  # nothing typed is lost
    assert not CoordinatorActivity.objects.exists()


def test_optional_fields_are_marked(client, coordinator):
    page = client.get(CREATE).content.decode()
    assert "Notes (facultatif)" in page
    assert "Structure concernée (facultatif)" in page


def test_editing_and_deleting_ones_own_activity(client, coordinator):
    activity = make_activity(coordinator)
    edit = reverse("coordination:activity_edit", args=[activity.pk])
    client.post(edit, values(title="Comité de pilotage départemental"))
    activity.refresh_from_db()
    assert activity.title == "Comité de pilotage départemental"

    delete = reverse("coordination:activity_delete", args=[activity.pk])
    assert "Supprimer" in client.get(delete).content.decode()
    client.post(delete)
    assert not CoordinatorActivity.objects.exists()


def test_another_coordinators_activity_is_a_404_and_stays(client, coordinator):
    theirs = make_activity(make_coordinator())
    for name in ("coordination:activity_edit", "coordination:activity_delete"):
        url = reverse(name, args=[theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, values(title="Piraté")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Rencontre avec la médiathèque"


def test_csv_export_and_summary_by_kind_and_month(client, coordinator):
    make_activity(coordinator, duration=30, participants=5)
    make_activity(coordinator, duration=45, participants=2)
    make_activity(coordinator, kind=ActivityKind.EVENEMENT, title="Fête du numérique")
    make_activity(make_coordinator(), title="Pas à moi")

    response = client.get(reverse("coordination:activities_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Fête du numérique" in text and "Pas à moi" not in text
    assert text.splitlines()[0].startswith("Date;Type d'activité;Intitulé")

    page = client.get(reverse("coordination:team")).content.decode()
    # Two partnerships this month: 2 activities, 75 minutes, 7 participants.
    assert "<td>Partenariat</td><td>2</td><td>75</td><td>7</td>" in page
    assert "<td>Événement</td><td>1</td>" in page
