import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_login_page_is_public_and_french(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and "Adresse électronique" in html
    assert 'autocomplete="current-password"' in html
    assert html.count("<h1") == 1


def test_login_with_any_case_of_the_email(client):
    user = make_user(Role.CANDIDAT, email="camille@exemple.fr")
    response = post_login(client, "  Camille@EXEMPLE.fr ")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_keeps_a_safe_next_and_drops_a_foreign_one(client):
    make_user(email="a@exemple.fr")
    assert post_login(client, "a@exemple.fr", next="/compte/jetons-api/")["Location"] == (
        "/compte/jetons-api/"
    )
    client.logout()
    response = post_login(client, "a@exemple.fr", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:dashboard")


def test_wrong_password_says_so_in_french(client):
    make_user(email="a@exemple.fr")
    response = post_login(client, "a@exemple.fr", "mauvais")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unconfirmed_email_cannot_log_in_and_is_offered_a_new_link(client):
    make_user(email="nouveau@exemple.fr", email_confirmed_at=None)
    response = post_login(client, "nouveau@exemple.fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert "pas encore confirmée" in html
    assert reverse("accounts:resend_confirmation") in html
    assert "_auth_user_id" not in client.session


def test_unconfirmed_status_is_not_revealed_without_the_password(client):
    make_user(email="nouveau@exemple.fr", email_confirmed_at=None)
    html = post_login(client, "nouveau@exemple.fr", "mauvais").content.decode()
    assert "pas encore confirmée" not in html
    assert "mot de passe incorrect" in html


def test_inactive_user_cannot_log_in(client):
    make_user(email="parti@exemple.fr", is_active=False)
    response = post_login(client, "parti@exemple.fr")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logged_in_user_visiting_login_goes_to_dashboard(client):
    client.force_login(make_user())
    assert client.get(LOGIN)["Location"] == reverse("accounts:dashboard")


def test_logout_is_post_only(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_of_an_expired_session_goes_home(client):
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


class TestLockout:
    def test_five_failures_lock_the_account_from_this_address(self, client):
        make_user(email="cible@exemple.fr")
        for _ in range(4):
            assert post_login(client, "cible@exemple.fr", "mauvais").status_code == 200
        response = post_login(client, "cible@exemple.fr", "mauvais")
        assert response.status_code == 429
        # Even the right password is refused while locked.
        response = post_login(client, "cible@exemple.fr")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        html = response.content.decode()
        assert "Connexion temporairement bloquée" in html
        assert "15 minutes" in html
        assert reverse("accounts:password_reset") in html

    def test_changing_the_case_does_not_reset_the_count(self, client):
        make_user(email="cible@exemple.fr")
        for variant in [
            "cible@exemple.fr",
            "CIBLE@exemple.fr",
            " Cible@Exemple.FR",
            "cible@EXEMPLE.fr",
        ]:
            post_login(client, variant, "mauvais")
        assert post_login(client, "CiBlE@exemple.fr", "mauvais").status_code == 429

    def test_other_accounts_are_not_locked(self, client):
        make_user(email="cible@exemple.fr")
        make_user(email="autre@exemple.fr")
        for _ in range(5):
            post_login(client, "cible@exemple.fr", "mauvais")
        assert post_login(client, "autre@exemple.fr").status_code == 302

    def test_success_resets_the_count(self, client):
        make_user(email="a@exemple.fr")
        for _ in range(3):
            post_login(client, "a@exemple.fr", "mauvais")
        assert post_login(client, "a@exemple.fr").status_code == 302
        assert not AccessAttempt.objects.filter(username="a@exemple.fr").exists()
