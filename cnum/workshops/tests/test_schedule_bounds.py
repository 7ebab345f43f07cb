"""Scheduling a workshop: the date is at most two years ahead."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.core.dates import add_years
from cnum.places.testing import make_place
from cnum.workshops.models import Workshop
from cnum.workshops.testing import make_conseiller

pytestmark = pytest.mark.django_db


def schedule(client, day, **extra):
    conseiller = make_conseiller()
    place = make_place(structure=conseiller.memberships.get().organisation.structure)
    login(client, conseiller)
    data = {
        "title": "Sécurité en ligne",
        "thematiques": ["securite_numerique"],
        "niveau": "debutant",
        "place": place.pk,
        "date": day,
        "time": "14:00",
        "duration": "90",
        "capacity": "12",
        **extra,
    }
    return client.post(reverse("workshops:create"), data)


@pytest.mark.parametrize("recurrence", [{}, {"recurrence": "hebdomadaire", "occurrences": "4"}])
@pytest.mark.parametrize("day", ["9999-12-20", "2150-06-01"])
def test_a_date_years_ahead_is_refused_in_french(client, recurrence, day):
    response = schedule(client, day, **recurrence)
    assert response.status_code == 400
    if day.startswith("2150"):
        page = html.unescape(response.content.decode())
        assert "Choisissez une date dans les 2 ans à venir" in page
    assert not Workshop.objects.exists()


def test_a_date_two_years_ahead_is_accepted(client):
    day = add_years(timezone.localdate(), 2)
    assert schedule(client, day.isoformat()).status_code == 302
    assert Workshop.objects.count() == 1
