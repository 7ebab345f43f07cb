"""The e-mail confirmation link opens a page; only its button (a POST) confirms the address."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cnum.accounts.testing import make_user
from cnum.accounts.tokens import email_confirmation_token

pytestmark = pytest.mark.django_db


def link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm", kwargs={"uidb64": uid, "token": token})


def test_opening_the_link_confirms_nothing_the_button_does(client):
    user = make_user(email="dominique@exemple.fr", email_confirmed_at=None)
    page = client.get(link(user))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Confirmer mon adresse" in html and "dominique@exemple.fr" in html
    user.refresh_from_db()
    assert user.email_confirmed_at is None
    response = client.post(link(user))
    assert "Adresse électronique confirmée" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_the_confirmation_needs_the_page_csrf_token():
    user = make_user(email_confirmed_at=None)
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(link(user)).status_code == 403
    user.refresh_from_db()
    assert user.email_confirmed_at is None
    token = csrf_client.get(link(user)).context["csrf_token"]
    csrf_client.post(link(user), {"csrfmiddlewaretoken": str(token)})
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_answers_the_french_error_either_way(client, method):
    user = make_user(email_confirmed_at=None)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("accounts:confirm", kwargs={"uidb64": uid, "token": "abc-def"})
    response = getattr(client, method)(url)
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None
