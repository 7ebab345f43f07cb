"""Declaring a training abandoned asks for a confirmation first."""

import datetime

import pytest
from django.urls import reverse

from cnum.accounts.testing import login, make_user
from cnum.training import services
from cnum.training.enums import EnrolmentStatus as E
from cnum.training.models import Enrolment
from cnum.training.testing import make_enrolment, make_organisation, make_session

pytestmark = pytest.mark.django_db


def test_abandon_needs_the_confirmation_step(client):
    trainer = make_user()
    enrolment = make_enrolment(make_session(make_organisation(member=trainer, capacity=20)))
    services.start_training(enrolment, trainer, datetime.date(2025, 1, 6))
    login(client, trainer)
    move = reverse("training:enrolment_move", args=[enrolment.pk])
    response = client.post(move, {"action": "abandon", "comment": "Départ"})
    assert response.status_code == 200
    assert "est déclarée abandonnée" in response.text and 'name="confirm"' in response.text
    assert 'name="day"' not in response.text
    assert Enrolment.objects.get().status == E.EN_COURS
    client.post(move, {"action": "abandon", "comment": "Départ", "confirm": "1"})
    assert Enrolment.objects.get().status == E.ABANDONNEE
