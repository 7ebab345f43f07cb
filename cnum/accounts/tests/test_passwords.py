import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from cnum.accounts.testing import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Un-autre-mot-de-passe-2027"


def reset_path(mail):
    return re.search(r"https?://[^/\s]+(/compte/mot-de-passe/reinitialiser/[^\s]+/)", mail.body)[1]


def request_reset(client, send_emails, email):
    with send_emails():
        response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response["Location"] == reverse("accounts:password_reset_done")


def test_reset_mail_goes_through_the_task_queue(
    client, send_emails, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(email="oubli@exemple.fr")
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("accounts:password_reset"), {"email": "oubli@exemple.fr"})
    assert len(callbacks) == 1 and mailoutbox == []  # nothing sent inside the request
    request_reset(client, send_emails, "OUBLI@exemple.fr")
    assert len(mailoutbox) == 1
    assert "Réinitialisation de votre mot de passe" in mailoutbox[0].subject
    assert reset_path(mailoutbox[0])


def test_full_reset_journey(client, send_emails, mailoutbox):
    user = make_user(email="oubli@exemple.fr")
    request_reset(client, send_emails, "oubli@exemple.fr")
    response = client.get(reset_path(mailoutbox[0]), follow=True)
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link is single-use.
    response = client.get(reset_path(mailoutbox[0]), follow=True)
    assert "Lien invalide ou expiré" in response.content.decode()


def test_reset_confirms_the_address_and_lifts_the_lockout(client, send_emails, mailoutbox):
    user = make_user(email="bloque@exemple.fr", email_confirmed_at=None)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "mauvais"})
    assert AccessAttempt.objects.exists()
    request_reset(client, send_emails, user.email)
    form_url = client.get(reset_path(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(client, send_emails, mailoutbox):
    request_reset(client, send_emails, "personne@exemple.fr")
    assert mailoutbox == []


def test_weak_new_password_is_refused_in_french(client, send_emails, mailoutbox):
    make_user(email="oubli@exemple.fr")
    request_reset(client, send_emails, "oubli@exemple.fr")
    form_url = client.get(reset_path(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "azerty", "new_password2": "azerty"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "trop court" in html and "trop courant" in html


@pytest.mark.parametrize(("uidb64", "token"), [("x", "y"), ("MQ", "set-password"), ("É", "1-2")])
def test_bad_reset_links_give_a_clear_page(client, uidb64, token):
    make_user()
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    response = client.get(url)
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in response.content.decode()


@pytest.mark.parametrize("email", ["", "x" * 5000, "pas-une-adresse"])
def test_reset_form_rejects_bad_input(client, email):
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 200
    assert "fr-message--error" in response.content.decode()


class TestPasswordChange:
    url = reverse("accounts:password_change")

    def test_change_and_notification(self, client, send_emails, mailoutbox):
        user = login(client, make_user())
        with send_emails():
            response = client.post(
                self.url,
                {
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
            )
        assert response["Location"] == reverse("accounts:password_change_done")
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        # Still logged in (the session hash is updated).
        assert client.get(reverse("accounts:dashboard")).status_code == 200
        assert "a été modifié" in mailoutbox[0].subject

    def test_wrong_current_password(self, client):
        login(client, make_user())
        response = client.post(
            self.url,
            {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert "Votre mot de passe actuel est incorrect" in response.content.decode()

    def test_requires_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
