import pytest
from django_otp import DEVICE_ID_SESSION_KEY

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db


def test_session_of_a_logged_in_user_reaches_the_api(client):
    login(client, make_user(Role.CANDIDAT, email="camille@exemple.fr"))
    response = client.get("/api/v1/moi")
    assert response.status_code == 200
    assert response.json() == {"email": "camille@exemple.fr", "roles": ["candidat"]}


def test_anonymous_session_is_refused(client):
    assert client.get("/api/v1/moi").status_code == 401


def test_session_awaiting_its_second_factor_is_refused(client):
    login(client, make_user(Role.PREFET))
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    assert client.get("/api/v1/moi").status_code == 401
