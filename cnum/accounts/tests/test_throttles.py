"""Login lockouts behind a proxy, password spraying, and the public account forms that could
tell who has an account or flood a mailbox."""

import pytest
from django.test import Client
from django.urls import reverse

from cnum.accounts.models import User
from cnum.accounts.testing import PASSWORD, make_user
from cnum.accounts.throttling import RESETS_PER_ADDRESS, RESETS_PER_TARGET, SIGNUPS_PER_ADDRESS

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
SIGNUP = reverse("accounts:signup")
RESET = reverse("accounts:password_reset")
PROXY = "10.0.0.1"
ATTACKER = "198.51.100.66"
VICTIM = "203.0.113.5"
GOOD_PASSWORD = "Velo-rouge-sur-la-colline-42"


def via_proxy(address, forwarded=None):
    """What the application receives from its reverse proxy for a client at `address` (the
    proxy appends the address it saw to whatever the client sent)."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def post_login(client, email, password=PASSWORD, **environ):
    return client.post(LOGIN, {"username": email, "password": password}, **environ)


class TestBehindAProxy:
    @pytest.fixture(autouse=True)
    def one_proxy(self, settings):
        settings.PROXY_COUNT = 1

    def test_an_attacker_locks_the_account_for_their_own_address_only(self, client):
        make_user(email="victime@exemple.fr")
        # The attacker even claims to be at the victim's address: only the proxy's entry counts.
        attacker = via_proxy(ATTACKER, forwarded=VICTIM)
        for _ in range(5):
            post_login(client, "victime@exemple.fr", "mauvais", **attacker)
        assert post_login(client, "victime@exemple.fr", **attacker).status_code == 429

        victim = Client()
        response = post_login(victim, "victime@exemple.fr", **via_proxy(VICTIM))
        assert response.status_code == 302
        assert victim.session["_auth_user_id"]
        # Still locked for the attacker.
        assert post_login(client, "victime@exemple.fr", **attacker).status_code == 429

    def test_spraying_is_limited_per_client_address_not_per_proxy(self, client, settings):
        settings.LOGIN_FAILURES_PER_ADDRESS = 5
        make_user(email="collegue@exemple.fr")
        for n in range(5):
            post_login(client, f"compte{n}@exemple.fr", "mauvais", **via_proxy(ATTACKER))
        refused = post_login(client, "x@exemple.fr", "mauvais", **via_proxy(ATTACKER))
        assert refused.status_code == 429
        # Someone else behind the same proxy logs in.
        assert post_login(Client(), "collegue@exemple.fr", **via_proxy(VICTIM)).status_code == 302


def test_password_spraying_from_one_address_is_stopped_early(client):
    """80 guesses spread over 40 accounts (2 each: under the per-account lockout)."""
    for n in range(40):
        make_user(email=f"agent{n}@exemple.fr")
    statuses = [
        post_login(client, f"agent{n % 40}@exemple.fr", f"essai-{n}").status_code for n in range(80)
    ]
    first_refusal = statuses.index(429)
    assert first_refusal <= 30
    assert set(statuses[first_refusal:]) == {429}
    # Even the right password is refused from that address, with a French explanation.
    response = post_login(client, "agent0@exemple.fr")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "De nombreuses connexions ont échoué depuis votre connexion internet" in html
    assert "réessayez dans une heure" in html
    # Another address is not affected.
    assert post_login(Client(), "agent0@exemple.fr", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_successful_logins_do_not_count_towards_the_address_limit(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    make_user(email="a@exemple.fr")
    for _ in range(5):
        assert post_login(Client(), "a@exemple.fr").status_code == 302


def signup_data(email):
    return {
        "first_name": "Dominique",
        "last_name": "Bernard",
        "email": email,
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        "accept_terms": "on",
    }


class TestSignupTellsNothing:
    def test_same_answer_for_a_new_and_an_existing_address(self, client, send_emails, mailoutbox):
        owner = make_user(email="dominique.bernard@exemple.fr", first_name="Dominique")
        with send_emails():
            existing = client.post(SIGNUP, signup_data("DOMINIQUE.bernard@exemple.fr"))
            new = client.post(SIGNUP, signup_data("nouvelle@exemple.fr"))
        assert existing.status_code == new.status_code == 302
        assert existing["Location"] == new["Location"] == reverse("accounts:signup_done")
        assert User.objects.filter(email="dominique.bernard@exemple.fr").count() == 1
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)  # untouched

        to_owner = next(m for m in mailoutbox if m.to == ["dominique.bernard@exemple.fr"])
        assert "Création de compte avec votre adresse" in to_owner.subject
        assert "Vous avez déjà un compte" in to_owner.body
        assert reverse("accounts:login") in to_owner.body
        assert reverse("accounts:password_reset") in to_owner.body

    def test_the_page_never_says_an_account_exists(self, client):
        make_user(email="dominique.bernard@exemple.fr")
        response = client.post(SIGNUP, signup_data("dominique.bernard@exemple.fr"), follow=True)
        assert "existe déjà" not in response.content.decode()
        assert "Consultez votre messagerie" in response.content.decode()

    def test_an_unconfirmed_owner_gets_a_new_confirmation_link(
        self, client, send_emails, mailoutbox
    ):
        make_user(email="attente@exemple.fr", email_confirmed_at=None)
        with send_emails():
            client.post(SIGNUP, signup_data("attente@exemple.fr"))
        assert len(mailoutbox) == 1
        assert "/compte/confirmation/" in mailoutbox[0].body

    def test_the_owner_is_not_flooded(self, send_emails, mailoutbox):
        make_user(email="cible@exemple.fr")
        with send_emails():
            for n in range(5):
                Client().post(SIGNUP, signup_data("cible@exemple.fr"), REMOTE_ADDR=f"10.0.0.{n}")
        assert len(mailoutbox) == 1


def test_signup_is_throttled_per_address(client):
    for n in range(SIGNUPS_PER_ADDRESS):
        assert client.post(SIGNUP, signup_data(f"p{n}@exemple.fr")).status_code == 302
    response = client.post(SIGNUP, signup_data("encore@exemple.fr"))
    assert response.status_code == 429
    assert "De nombreuses inscriptions ont été envoyées depuis votre connexion" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="encore@exemple.fr").exists()
    other = Client().post(SIGNUP, signup_data("encore@exemple.fr"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_new_confirmation_links_are_throttled_per_address(client, send_emails, mailoutbox):
    resend = reverse("accounts:resend_confirmation")
    for n in range(SIGNUPS_PER_ADDRESS):
        make_user(email=f"attente{n}@exemple.fr", email_confirmed_at=None)
        assert client.post(resend, {"email": f"attente{n}@exemple.fr"}).status_code == 302
    make_user(email="encore@exemple.fr", email_confirmed_at=None)
    with send_emails():
        response = client.post(resend, {"email": "encore@exemple.fr"})
    assert response.status_code == 429
    assert "De nombreuses demandes de lien" in response.content.decode()
    assert not mailoutbox


class TestPasswordResetLimits:
    def test_one_person_gets_a_few_links_whoever_asks(self, send_emails, mailoutbox):
        make_user(email="cible@exemple.fr")
        with send_emails():
            responses = [
                Client().post(RESET, {"email": "Cible@exemple.fr"}, REMOTE_ADDR=f"10.0.1.{n}")
                for n in range(10)
            ]
        assert len(mailoutbox) == RESETS_PER_TARGET
        # Past the limit the answer is the same: it tells nothing about the account.
        assert {r.status_code for r in responses} == {302}
        assert {r["Location"] for r in responses} == {reverse("accounts:password_reset_done")}

    def test_requests_are_limited_per_client_address(self, client, send_emails, mailoutbox):
        for n in range(RESETS_PER_ADDRESS + 1):
            make_user(email=f"agent{n}@exemple.fr")
        with send_emails():
            for n in range(RESETS_PER_ADDRESS):
                assert client.post(RESET, {"email": f"agent{n}@exemple.fr"}).status_code == 302
            response = client.post(RESET, {"email": f"agent{RESETS_PER_ADDRESS}@exemple.fr"})
        assert response.status_code == 429
        assert "De nombreuses demandes de réinitialisation de mot de passe" in (
            response.content.decode()
        )
        assert len(mailoutbox) == RESETS_PER_ADDRESS
        other = Client().post(RESET, {"email": "agent0@exemple.fr"}, REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 302
