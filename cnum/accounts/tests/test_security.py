"""Hostile inputs never cause a 500; nothing lets a user change their own roles."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.models import Membership
from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": ""},
        {"password": "x"},
        {"username": "a" * 100_000, "password": "x"},
        {"username": "nul\x00@exemple.fr", "password": "x"},
        {"username": "é@é.fr", "password": "\x00"},
        {"username": "a@exemple.fr", "password": "p" * 100_000},
        {"username": ["a@exemple.fr", "b@exemple.fr"], "password": "x"},
    ],
)
def test_login_survives_hostile_input(client, data):
    make_user(email="a@exemple.fr")
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url", [reverse("accounts:two_factor_verify"), reverse("accounts:two_factor_setup")]
)
@pytest.mark.parametrize("code", ["", "x" * 100_000, "\x00", "' OR 1=1 --", "123456" * 3])
def test_second_factor_forms_survive_hostile_input(client, url, code):
    user = make_user(Role.ADMINISTRATEUR)
    client.force_login(user)
    if url == reverse("accounts:two_factor_verify"):
        TOTPDevice.objects.create(user=user, confirmed=True)
    else:
        client.get(url)
    response = client.post(url, {"code": code, "next": "javascript:alert(1)"})
    assert response.status_code == 200
    assert "javascript:" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/compte/confirmation/%00/%00/",
        "/compte/confirmation/" + "A" * 5000 + "/x-y/",
        "/compte/mot-de-passe/reinitialiser/%FF%FE/set-password/",
        "/compte/mot-de-passe/reinitialiser/" + "Q" * 5000 + "/1-1/",
    ],
)
def test_links_survive_garbage(client, path):
    assert client.get(path).status_code in ({400} if "%00" in path else {200, 404})


def test_dashboard_accepts_no_post(client):
    user = login(client, make_user(Role.CANDIDAT))
    response = client.post(reverse("accounts:dashboard"), {"role": Role.ADMINISTRATEUR})
    assert response.status_code == 405
    assert list(user.memberships.values_list("role", flat=True)) == [Role.CANDIDAT]


def test_no_accounts_page_changes_roles(client):
    """Post a role grant to every accounts page: memberships stay as they were."""
    user = login(client, make_user(Role.GESTIONNAIRE_STRUCTURE))
    before = list(Membership.objects.values_list("user", "role", "organisation", "is_active"))
    payload = {"role": Role.ADMINISTRATEUR, "roles": [Role.PREFET], "is_staff": "on"}
    from cnum.accounts import urls

    for pattern in urls.urlpatterns:
        if pattern.name in {"logout"}:
            continue
        kwargs = {"pk": 1} if "pk" in pattern.pattern.regex.pattern else {}
        if "uidb64" in pattern.pattern.regex.pattern:
            kwargs = {"uidb64": "MQ", "token": "a-b"}
        response = client.post(reverse(f"accounts:{pattern.name}", kwargs=kwargs), payload)
        assert response.status_code < 500, pattern.name
    after = list(Membership.objects.values_list("user", "role", "organisation", "is_active"))
    assert after == before
    user.refresh_from_db()
    assert not user.is_staff
