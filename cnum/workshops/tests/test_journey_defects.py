"""Workshops as conseillers found them: attendance only once the workshop has started, only
places that receive the public, and the CRA's theme names."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import login
from cnum.activity.enums import Thematique as CraThematique
from cnum.places.testing import make_place
from cnum.workshops.enums import Thematique
from cnum.workshops.testing import make_conseiller, make_registration, make_workshop

pytestmark = pytest.mark.django_db


def test_attendance_cannot_be_marked_before_the_workshop(client):
    workshop = make_workshop(starts_in=datetime.timedelta(days=2))
    registration = make_registration(workshop)
    login(client, workshop.conseiller)
    url = reverse("workshops:manage", args=[workshop.pk])
    page = client.get(url).content.decode()
    assert 'name="present"' not in page
    assert "Les présences se cochent à partir du début de l'atelier" in page
    response = client.post(url, {"present": [str(registration.pk)]}, follow=True)
    assert "Les présences se cochent à partir du début" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_a_place_without_public_is_not_offered_for_workshops(client):
    conseiller = make_conseiller()
    structure = Membership.objects.get(user=conseiller, role=Role.CONSEILLER).organisation
    open_place = make_place(structure=structure.structure, nom="Médiathèque ouverte")
    make_place(structure=structure.structure, nom="Bureau sans accueil", services=[])
    login(client, conseiller)
    page = client.get(reverse("workshops:create")).content.decode()
    assert "Médiathèque ouverte" in page and "Bureau sans accueil" not in page
    assert open_place.services


def test_workshop_themes_are_named_as_the_activity_themes():
    assert Thematique.choices == CraThematique.choices
