"""The national administration's account screens: search, invite, roles, deactivation."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts import grants
from cnum.accounts.models import AccountEvent, AccountLog, Membership, User
from cnum.accounts.roles import Role
from cnum.accounts.testing import PASSWORD, login, make_user
from cnum.territories.models import Departement

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:admin_accounts")
INVITE = reverse("accounts:admin_invite")


@pytest.fixture
def admin(client):
    return login(client, make_user(Role.ADMINISTRATEUR, first_name="Alice", last_name="Admin"))


def page_text(response):
    return unescape(response.content.decode())


def test_list_searches_by_name_and_filters_by_role_and_departement(client, admin):
    make_user(Role.PREFET, first_name="Paul", last_name="Préfet-Rhône")
    grants.grant(
        make_user(first_name="Paula", last_name="Préfète-Paris"),
        Role.PREFET,
        grants.prefecture_for(departement=Departement.objects.get(code="75")),
    )
    make_user(Role.CANDIDAT, first_name="Claude", last_name="Candidat")

    page = page_text(client.get(LIST, {"q": "préfet-rh"}))
    assert "Préfet-Rhône" in page and "Préfète-Paris" not in page

    page = page_text(client.get(LIST, {"role": Role.PREFET, "departement": "75"}))
    assert "Préfète-Paris" in page and "Préfet-Rhône" not in page and "Claude" not in page
    assert "Paris (75)" in page and "Non activée" in page


def test_list_is_paginated(client, admin):
    for n in range(55):
        make_user(Role.CANDIDAT, last_name=f"Zz{n:02d}")
    first = page_text(client.get(LIST, {"role": Role.CANDIDAT}))
    assert "55 comptes" in first and "1 / 2" in first and "Zz49" in first and "Zz50" not in first
    second = page_text(client.get(LIST, {"role": Role.CANDIDAT, "page": 2}))
    assert "Zz50" in second and "Zz54" in second


def test_invite_a_prefet_of_a_region_sends_a_password_link(client, admin, mailoutbox, send_emails):
    with send_emails():
        response = client.post(
            INVITE,
            {
                "first_name": "Régine",
                "last_name": "Préfète",
                "email": "Regine.Prefete@Interieur.gouv.fr",
                "role": Role.PREFET,
                "region": "84",
            },
        )
    person = User.objects.get(email="regine.prefete@interieur.gouv.fr")
    assert response.status_code == 302 and response.url == reverse(
        "accounts:admin_account", args=[person.pk]
    )
    membership = person.memberships.get()
    assert membership.role == Role.PREFET and membership.organisation.region_id == "84"
    assert membership.organisation.departement is None
    assert not person.has_usable_password() and person.email_confirmed_at is None
    (mail,) = mailoutbox
    assert mail.to == [person.email] and "« Préfet »" in mail.body
    assert "double authentification" in mail.body
    link = re.search(r"http://\S+/mot-de-passe/reinitialiser/\S+/", mail.body).group(0)
    assert client.get(link.split("8000", 1)[1], follow=True).status_code == 200
    events = set(AccountLog.objects.filter(user=person).values_list("event", flat=True))
    assert events == {AccountEvent.GRANTED, AccountEvent.INVITED}
    page = page_text(client.get(response.url))
    assert "Région Auvergne-Rhône-Alpes" in page and "Invitation en attente" in page
    assert "Rôle attribué" in page and "Alice Admin" in page


def test_invite_needs_a_scope_for_a_prefet_and_loses_nothing(client, admin, mailoutbox):
    data = {"first_name": "Jo", "last_name": "Doe", "email": "jo@exemple.fr", "role": "prefet"}
    response = client.post(INVITE, data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Choisissez soit un département, soit une région" in page
    assert 'value="jo@exemple.fr"' in page
    both = client.post(INVITE, {**data, "departement": "69", "region": "84"})
    assert "Choisissez soit un département, soit une région" in page_text(both)
    assert not User.objects.filter(email="jo@exemple.fr").exists() and not mailoutbox


def test_invite_a_coordinator_by_siret(client, admin):
    from cnum.structures.testing import make_structure

    structure = make_structure()
    data = {
        "first_name": "Co",
        "last_name": "Ordo",
        "email": "co@exemple.fr",
        "role": "coordinateur",
    }
    assert "Aucune structure n'a ce SIRET" in page_text(
        client.post(INVITE, {**data, "siret": "12345678901234"})
    )
    client.post(INVITE, {**data, "siret": structure.siret})
    membership = Membership.objects.get(user__email="co@exemple.fr")
    assert membership.role == Role.COORDINATEUR and membership.organisation_id == structure.pk


def test_inviting_an_existing_account_adds_the_role(client, admin, mailoutbox, send_emails):
    person = make_user(Role.GESTIONNAIRE_STRUCTURE, email="agent@exemple.fr")
    with send_emails():
        client.post(
            INVITE,
            {
                "first_name": "X",
                "last_name": "Y",
                "email": "agent@exemple.fr",
                "role": Role.OPERATEUR_FINANCIER,
            },
        )
    person = User.objects.get(pk=person.pk)
    assert person.has_role(Role.OPERATEUR_FINANCIER) and person.check_password(PASSWORD)
    assert "mot-de-passe/reinitialiser" not in mailoutbox[0].body


def test_resend_only_while_the_password_is_not_chosen(client, admin, mailoutbox, send_emails):
    client.post(
        INVITE,
        {"first_name": "A", "last_name": "B", "email": "ab@exemple.fr", "role": "administrateur"},
    )
    person = User.objects.get(email="ab@exemple.fr")
    with send_emails():
        response = client.post(reverse("accounts:admin_resend", args=[person.pk]), follow=True)
    assert "Nouvelle invitation envoyée" in page_text(response)
    assert len(mailoutbox) == 1 and "mot-de-passe/reinitialiser" in mailoutbox[0].body
    assert AccountLog.objects.filter(user=person, event=AccountEvent.INVITATION_RESENT).exists()

    person.set_password(PASSWORD)
    person.save()
    response = client.post(reverse("accounts:admin_resend", args=[person.pk]), follow=True)
    assert "déjà choisi son mot de passe" in page_text(response)


def test_deactivation_needs_a_reason_then_blocks_login(client, admin):
    person = make_user(Role.COORDINATEUR)
    url = reverse("accounts:admin_deactivate", args=[person.pk])
    assert "Désactiver le compte" in page_text(client.get(url))
    response = client.post(url, {"confirm": "1", "reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in page_text(response)
    assert User.objects.get(pk=person.pk).is_active

    client.post(url, {"confirm": "1", "reason": "Départ de la structure"})
    assert not User.objects.get(pk=person.pk).is_active
    entry = AccountLog.objects.get(user=person, event=AccountEvent.DEACTIVATED)
    assert entry.reason == "Départ de la structure" and entry.actor == admin

    other = type(client)()
    response = other.post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 200 and "_auth_user_id" not in other.session

    client.post(reverse("accounts:admin_reactivate", args=[person.pk]))
    assert User.objects.get(pk=person.pk).is_active
    assert AccountLog.objects.filter(user=person, event=AccountEvent.REACTIVATED).exists()


def test_an_administrator_cannot_deactivate_themself(client, admin):
    client.post(
        reverse("accounts:admin_deactivate", args=[admin.pk]), {"confirm": "1", "reason": "x"}
    )
    assert User.objects.get(pk=admin.pk).is_active


def test_edit_scope_of_a_prefet(client, admin):
    person = make_user(Role.PREFET)
    membership = person.memberships.get()
    url = reverse("accounts:admin_scope", args=[membership.pk])
    assert "périmètre actuel" in page_text(client.get(url))
    client.post(url, {"departement": "13"})
    membership.refresh_from_db()
    assert membership.organisation.departement_id == "13"
    entry = AccountLog.objects.get(user=person, event=AccountEvent.CHANGED)
    assert entry.after["territoire"] == "Bouches-du-Rhône (13)"
    page = page_text(client.get(reverse("accounts:admin_account", args=[person.pk])))
    assert "→ Bouches-du-Rhône (13)" in page


def test_revoke_a_role_with_confirmation(client, admin):
    person = make_user(Role.OPERATEUR_FINANCIER)
    membership = person.memberships.get()
    url = reverse("accounts:admin_revoke", args=[membership.pk])
    client.post(url, {"reason": "Fin de mission"})  # no confirmation: nothing happens
    assert Membership.objects.get(pk=membership.pk).is_active
    client.post(url, {"confirm": "1", "reason": "Fin de mission"})
    assert not Membership.objects.get(pk=membership.pk).is_active


def test_grant_a_role_to_an_existing_account(client, admin):
    person = make_user(Role.CANDIDAT)
    client.post(
        reverse("accounts:admin_grant", args=[person.pk]), {"role": "prefet", "departement": "69"}
    )
    assert User.objects.get(pk=person.pk).has_role(Role.PREFET)


def test_others_cannot_administer_and_nothing_changes(client):
    login(client, make_user(Role.PREFET))
    person = make_user(Role.COORDINATEUR)
    url = reverse("accounts:admin_deactivate", args=[person.pk])
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 403
    assert User.objects.get(pk=person.pk).is_active
    assert client.post(INVITE, {"email": "x@exemple.fr"}).status_code == 403
    assert client.get(reverse("accounts:admin_account", args=[999999])).status_code == 403


def test_wrong_id_is_404(client, admin):
    assert client.get(reverse("accounts:admin_account", args=[999999])).status_code == 404
    assert client.get(reverse("accounts:admin_scope", args=[999999])).status_code == 404


def test_person_page_shows_last_login_and_2fa(client, admin):
    person = make_user(Role.PREFET, last_login=timezone.now())
    TOTPDevice.objects.create(user=person, name="Téléphone", confirmed=True)
    page = page_text(client.get(reverse("accounts:admin_account", args=[person.pk])))
    assert "Activée" in page and "Jamais" not in page
