import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.structures.models import CallForInterest, CommitteeSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR))


def test_create_a_call_then_open_and_close_it(client, admin):
    response = client.post(
        reverse("structures:calls"),
        {
            "name": "AMI acteurs privés",
            "audience": "PRIVATE",
            "opens_at": "01/09/2030 09:00",
            "closes_at": "30/09/2030 18:00",
            "text": "Texte",
        },
    )
    assert response.status_code == 302
    call = CallForInterest.objects.get()
    assert not CallForInterest.objects.open_at(timezone.now()).exists()
    # The public form announces it.
    client.logout()
    assert "AMI acteurs privés" in client.get(reverse("structures:apply")).content.decode()
    login(client, admin)
    client.post(reverse("structures:call_toggle", args=[call.pk]), {"action": "open"})
    assert CallForInterest.objects.open_at(timezone.now()).get() == call
    client.post(reverse("structures:call_toggle", args=[call.pk]), {"action": "close"})
    assert not CallForInterest.objects.open_at(timezone.now() + datetime.timedelta(seconds=1))


def test_call_closing_before_opening_is_refused(client, admin):
    response = client.post(
        reverse("structures:calls"),
        {
            "name": "AMI",
            "audience": "BOTH",
            "opens_at": "01/09/2030 09:00",
            "closes_at": "01/08/2030 09:00",
        },
    )
    assert response.status_code == 400
    assert "La clôture doit suivre l&#x27;ouverture" in response.content.decode()
    assert not CallForInterest.objects.exists()


def test_sessions_have_unique_numbers(client, admin):
    url = reverse("structures:sessions")
    assert client.post(url, {"number": "12", "date": "01/03/2026"}).status_code == 302
    response = client.post(url, {"number": "12", "date": "02/03/2026"})
    assert response.status_code == 400
    assert "Une séance porte déjà ce numéro" in response.content.decode()
    assert CommitteeSession.objects.count() == 1


@pytest.mark.parametrize("role", [Role.PREFET, Role.GESTIONNAIRE_STRUCTURE])
def test_only_the_administration_manages_calls_and_sessions(client, role):
    login(client, make_user(role))
    data = {"name": "AMI", "audience": "BOTH", "opens_at": "01/09/2030 09:00"}
    assert client.post(reverse("structures:calls"), data).status_code == 403
    assert client.post(reverse("structures:sessions"), {"number": 1}).status_code == 403
    assert not CallForInterest.objects.exists() and not CommitteeSession.objects.exists()
