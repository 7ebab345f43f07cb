"""The administration finds a candidate by name, e-mail or commune among thousands."""

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.candidates.testing import make_profile

pytestmark = pytest.mark.django_db
LIST = reverse("candidates:admin_list")


def names(response):
    return [p.user.email for p in response.context["page"].object_list]


def test_search_by_name_email_or_commune(client):
    alix = make_profile(make_user(Role.CANDIDAT, first_name="Alix", last_name="Durand"))
    make_profile(make_user(Role.CANDIDAT, first_name="Sam", last_name="Roche"), commune="75056")
    login(client, make_user(Role.ADMINISTRATEUR))
    assert names(client.get(LIST, {"q": "durand"})) == [alix.user.email]
    assert names(client.get(LIST, {"q": "Alix Lyon"})) == [alix.user.email]
    assert names(client.get(LIST, {"q": alix.user.email.upper()})) == [alix.user.email]
    assert len(names(client.get(LIST, {"q": "Paris"}))) == 1
    assert names(client.get(LIST, {"q": "personne"})) == []
    html = client.get(LIST, {"q": "durand"}).content.decode()
    assert 'value="durand"' in html and "1 candidat" in html


def test_search_combines_with_the_departement_filter(client):
    make_profile(make_user(Role.CANDIDAT, last_name="Martin"))
    paris = make_profile(make_user(Role.CANDIDAT, last_name="Martin"), commune="75056")
    login(client, make_user(Role.ADMINISTRATEUR))
    assert names(client.get(LIST, {"q": "martin", "departement": "75"})) == [paris.user.email]


def test_hostile_search_text_answers_an_empty_list(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    response = client.get(LIST, {"q": "%' OR 1=1 --"})
    assert response.status_code == 200
