"""Support impersonation: administrators only, never as an administrator, banner, journal."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.models import AccountEvent, AccountLog
from cnum.accounts.roles import Role
from cnum.accounts.sessions import LAST_SEEN_KEY
from cnum.accounts.testing import login, make_user

pytestmark = pytest.mark.django_db
START = reverse("accounts:impersonation_start")
END = reverse("accounts:impersonation_end")
DASHBOARD = reverse("accounts:dashboard")


def page(client, url=DASHBOARD):
    response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    return unescape(response.content.decode())


def test_administrator_acts_as_a_prefet_then_comes_back(client):
    admin = login(client, make_user(Role.ADMINISTRATEUR, first_name="Alice", last_name="Admin"))
    prefet = make_user(Role.PREFET, first_name="Paul", last_name="Préfet")
    detail = reverse("accounts:admin_account", args=[prefet.pk])
    assert "Se connecter en tant que cette personne" in page(client, detail)

    response = client.post(START, {"user_pk": prefet.pk, "next": DASHBOARD})
    assert response.url == DASHBOARD
    # No second-factor prompt for the préfet's pages, and the banner on every page.
    text = page(client)
    assert "Vous êtes connecté en tant que Paul Préfet" in text and "Revenir à mon compte" in text
    assert "Vous êtes connecté en tant que" in page(client, reverse("core:home"))
    assert client.get(reverse("accounts:admin_accounts")).status_code == 403

    response = client.post(END, {"next": detail})
    assert response.url == detail
    text = page(client, detail)  # back as the administrator, second factor still verified
    assert "Vous êtes connecté en tant que" not in text
    started, ended = (
        AccountLog.objects.filter(user=prefet)
        .filter(event__in=[AccountEvent.IMPERSONATION_STARTED, AccountEvent.IMPERSONATION_ENDED])
        .order_by("pk")
    )
    assert (started.event, started.actor) == (AccountEvent.IMPERSONATION_STARTED, admin)
    assert (ended.event, ended.actor) == (AccountEvent.IMPERSONATION_ENDED, admin)
    assert "Connexion en tant que (début)" in text and "Connexion en tant que (fin)" in text


def test_signing_out_or_idling_while_acting_as_someone_journals_the_end(client):
    admin = login(client, make_user(Role.ADMINISTRATEUR))
    conseiller = make_user(Role.CONSEILLER)
    client.post(START, {"user_pk": conseiller.pk, "next": DASHBOARD})
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    ended = AccountLog.objects.get(user=conseiller, event=AccountEvent.IMPERSONATION_ENDED)
    assert ended.actor == admin and "Déconnexion" in ended.reason
    # Idle while acting as a candidate (a role without the idle rule): signed out all the same.
    login(client, admin)
    client.post(START, {"user_pk": make_user(Role.CANDIDAT).pk, "next": DASHBOARD})
    session = client.session
    session[LAST_SEEN_KEY] = (timezone.now() - datetime.timedelta(minutes=31)).isoformat()
    session.save()
    assert client.get(DASHBOARD).url.startswith(reverse("accounts:login"))
    assert AccountLog.objects.filter(event=AccountEvent.IMPERSONATION_ENDED).count() == 2
    # An ordinary sign-out journals nothing.
    login(client, admin)
    client.post(reverse("accounts:logout"))
    assert AccountLog.objects.filter(event=AccountEvent.IMPERSONATION_ENDED).count() == 2


def test_never_as_another_administrator(client):
    login(client, make_user(Role.ADMINISTRATEUR))
    other = make_user(Role.ADMINISTRATEUR)
    both = make_user(Role.PREFET)
    from cnum.accounts import grants
    from cnum.accounts.testing import make_organisation

    grants.grant(both, Role.ADMINISTRATEUR, make_organisation("administration"))
    for target in (other, both):
        assert client.post(START, {"user_pk": target.pk}).status_code == 403
        assert "Se connecter en tant que" not in page(
            client, reverse("accounts:admin_account", args=[target.pk])
        )
    assert not AccountLog.objects.filter(event=AccountEvent.IMPERSONATION_STARTED).exists()
    assert "Vous êtes connecté en tant que" not in page(client)


def test_only_administrators_impersonate(client):
    login(client, make_user(Role.PREFET))
    target = make_user(Role.CONSEILLER)
    assert client.post(START, {"user_pk": target.pk}).status_code == 403
    assert int(client.session["_auth_user_id"]) != target.pk
