import datetime
import re

import pytest
from django.urls import reverse

from cnum.accounts.models import Membership, User
from cnum.accounts.testing import make_user
from cnum.accounts.tokens import email_confirmation_token

pytestmark = pytest.mark.django_db
SIGNUP = reverse("accounts:signup")
GOOD_PASSWORD = "Velo-rouge-sur-la-colline-42"


def signup_data(**overrides):
    data = {
        "first_name": "Dominique",
        "last_name": "Bernard",
        "email": "Dominique.Bernard@Exemple.fr",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_terms": "on",
    }
    return {**data, **overrides}


def confirmation_path(mail):
    return re.search(r"https?://[^/\s]+(/compte/confirmation/[^\s]+/)", mail.body).group(1)


def test_signup_creates_an_unconfirmed_account_without_role_and_sends_a_link(
    client, send_emails, mailoutbox
):
    with send_emails():
        response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "dominique.bernard@exemple.fr"
    assert user.email_confirmed_at is None
    assert user.check_password(GOOD_PASSWORD)
    assert not Membership.objects.exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dominique.bernard@exemple.fr"]
    assert "Confirmez votre adresse" in mailoutbox[0].subject
    assert "3 jours" in mailoutbox[0].body


def test_confirmation_link_activates_the_account(client, send_emails, mailoutbox):
    with send_emails():
        client.post(SIGNUP, signup_data())
    response = client.post(confirmation_path(mailoutbox[0]))
    assert response.status_code == 200
    assert "Adresse électronique confirmée" in response.content.decode()
    assert User.objects.get().email_confirmed_at is not None
    # A second click is harmless.
    assert "confirmée" in client.post(confirmation_path(mailoutbox[0])).content.decode()
    login = client.post(
        reverse("accounts:login"),
        {"username": "dominique.bernard@exemple.fr", "password": GOOD_PASSWORD},
    )
    assert login.status_code == 302


def test_confirmation_link_expires_after_three_days(client, monkeypatch):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = make_user(email_confirmed_at=None)
    token = email_confirmation_token.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("accounts:confirm", kwargs={"uidb64": uid, "token": token})
    later = datetime.datetime.now() + datetime.timedelta(days=2, hours=23)
    monkeypatch.setattr(email_confirmation_token, "_now", lambda: later)
    assert email_confirmation_token.check_token(user, token)
    monkeypatch.setattr(
        email_confirmation_token, "_now", lambda: later + datetime.timedelta(hours=2)
    )
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in html
    assert reverse("accounts:resend_confirmation") in html
    user.refresh_from_db()
    assert user.email_confirmed_at is None


@pytest.mark.parametrize(
    ("uidb64", "token"),
    [
        ("xx", "yy"),
        ("MQ", "abc-def"),
        ("!!!", "1-1"),
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "zzzzzzzzzzzzzzz-1"),
        ("YWJj", "-"),
    ],
)
def test_bad_confirmation_links_give_a_clear_page(client, uidb64, token):
    make_user()
    response = client.get(reverse("accounts:confirm", kwargs={"uidb64": uidb64, "token": token}))
    assert response.status_code == 200
    assert "Lien invalide ou expiré" in response.content.decode()


def test_confirmation_link_of_another_user_does_not_work(client):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    alice = make_user(email_confirmed_at=None)
    bob = make_user(email_confirmed_at=None)
    url = reverse(
        "accounts:confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(bob.pk)),
            "token": email_confirmation_token.make_token(alice),
        },
    )
    assert "Lien invalide" in client.get(url).content.decode()
    bob.refresh_from_db()
    assert bob.email_confirmed_at is None


def test_password_validators_apply_in_french(client):
    response = client.post(SIGNUP, signup_data(password1="123456789", password2="123456789"))
    html = response.content.decode()
    assert "trop court" in html
    assert "entièrement numérique" in html
    assert not User.objects.exists()


def test_password_too_close_to_the_name_is_refused(client):
    password = "dominique.bernard"
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))
    assert "trop semblable" in response.content.decode()
    assert not User.objects.exists()


def test_passwords_must_match(client):
    response = client.post(SIGNUP, signup_data(password2=GOOD_PASSWORD + "x"))
    assert "Les deux mots de passe ne sont pas identiques" in response.content.decode()


def test_terms_must_be_accepted(client):
    data = signup_data()
    del data["accept_terms"]
    response = client.post(SIGNUP, data)
    assert "Vous devez accepter les conditions" in response.content.decode()
    assert not User.objects.exists()


def test_a_visitor_cannot_grant_themselves_a_role_or_staff_rights(client):
    data = signup_data(
        role="administrateur", is_staff="on", is_superuser="on", email_confirmed_at="2026-01-01"
    )
    client.post(SIGNUP, data)
    user = User.objects.get()
    assert not user.is_staff and not user.is_superuser
    assert user.email_confirmed_at is None
    assert not user.memberships.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "a" * 10_000 + "@exemple.fr"},
        {"email": "a@" + "b" * 300 + ".fr"},
        {"email": "pas une adresse"},
        {"email": "nul\x00@exemple.fr"},
        {"first_name": "x" * 5_000},
        {"first_name": "\x00"},
        {"password1": "x" * 50_000, "password2": "x" * 50_000},
        {"email": ""},
    ],
)
def test_hostile_inputs_give_form_errors_not_500(client, overrides):
    response = client.post(SIGNUP, signup_data(**overrides))
    assert response.status_code == 200
    assert "fr-message--error" in response.content.decode()
    assert not User.objects.exists()


def test_empty_post_shows_errors(client):
    response = client.post(SIGNUP, {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()


def test_logged_in_user_is_sent_to_the_dashboard(client):
    client.force_login(make_user())
    assert client.get(SIGNUP)["Location"] == reverse("accounts:dashboard")


class TestResendConfirmation:
    url = reverse("accounts:resend_confirmation")

    def test_sends_a_new_link_to_an_unconfirmed_account(self, client, send_emails, mailoutbox):
        make_user(email="attente@exemple.fr", email_confirmed_at=None)
        with send_emails():
            response = client.post(self.url, {"email": "Attente@exemple.fr"})
        assert response["Location"] == reverse("accounts:signup_done")
        assert len(mailoutbox) == 1
        assert confirmation_path(mailoutbox[0])

    @pytest.mark.parametrize("email", ["inconnu@exemple.fr", "confirme@exemple.fr"])
    def test_same_answer_whether_or_not_the_account_exists(
        self, client, send_emails, mailoutbox, email
    ):
        make_user(email="confirme@exemple.fr")
        with send_emails():
            response = client.post(self.url, {"email": email}, follow=True)
        assert "Si un compte en attente de confirmation" in response.content.decode()
        assert mailoutbox == []

    def test_one_email_per_address_every_few_minutes(self, client, send_emails, mailoutbox):
        make_user(email="attente@exemple.fr", email_confirmed_at=None)
        with send_emails():
            client.post(self.url, {"email": "attente@exemple.fr"})
            client.post(self.url, {"email": "attente@exemple.fr"})
        assert len(mailoutbox) == 1

    @pytest.mark.parametrize("email", ["", "x" * 10_000, "pas-une-adresse", "\x00"])
    def test_bad_input_gives_a_form_error(self, client, email):
        response = client.post(self.url, {"email": email})
        assert response.status_code == 200
        assert "fr-message--error" in response.content.decode()
